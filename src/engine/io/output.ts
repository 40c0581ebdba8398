/**
 * Shrinks the probability output so less comes back from the device: fp16, or uint8 round(p * 255),
 * optionally packed four to a uint32 for providers without 8-bit tensors (WebGPU). The output keeps
 * its name; the float32 value it came from is renamed.
 */
import { ModelError } from '../../core';
import type { onnx } from '../../onnx/model';
import type { OutputFormat } from './formats';
import { DT, PREFIX, dimsOf, floatTensor, intAttr, intsAttr, node, uint32Tensor, valueInfo } from './proto';

/** Rewrites the graph's first output to `format`. Mutates `graph` (callers pass a copy). */
export function transformOutput(graph: onnx.IGraphProto, format: OutputFormat): void {
  if (format === 'float32') return;
  const out = graph.output?.[0];
  const dims = out ? dimsOf(out) : [];
  if (!out || out.type?.tensorType?.elemType !== DT.FLOAT || dims.length !== 4) {
    throw new ModelError(`The model's first output must be a float32 [N, 1, H, W] probability map to become ${format}, but ${out?.name ?? 'none'} is [${dims.join(', ')}]`, {
      subject: out?.name ?? undefined, fix: 'apply output transforms to a detector whose first output is its probability map',
    });
  }
  const name = out.name as string;
  const src = `${PREFIX}${name}_float32`;
  for (const n of graph.node ?? []) n.output = (n.output ?? []).map((o) => (o === name ? src : o));
  const p = (s: string) => `${PREFIX}out_${s}`;
  const nodes: onnx.INodeProto[] = [];
  const inits: onnx.ITensorProto[] = [];
  let elem: number = DT.FLOAT16;
  let outDims = dims;
  if (format === 'float16') {
    nodes.push(node('Cast', [src], [name], [intAttr('to', DT.FLOAT16)]));
  } else {
    // round(p * 255) as floor(p * 255 + 0.5): p is a sigmoid output in [0, 1], so no clip is needed.
    inits.push(floatTensor(p('x255'), new Float32Array([255]), []), floatTensor(p('half'), new Float32Array([0.5]), []));
    nodes.push(
      node('Mul', [src, p('x255')], [p('scaled')]),
      node('Add', [p('scaled'), p('half')], [p('shifted')]),
      node('Floor', [p('shifted')], [p('levels')]),
    );
    if (format === 'uint8') {
      elem = DT.UINT8;
      nodes.push(node('Cast', [p('levels')], [name], [intAttr('to', DT.UINT8)]));
    } else {
      elem = DT.UINT32;
      const w = dims[3];
      outDims = [dims[0], dims[1], dims[2], typeof w === 'number' ? w / 4 : `${w}/4`];
      // Two stride-4 convolutions pack the levels into 16-bit halves (exact in float32: integers
      // below 2^16); Slice, the obvious tool, has no WebGPU kernel at opset 11 and would run on the CPU.
      inits.push(
        floatTensor(p('w_lo'), new Float32Array([1, 256, 0, 0]), [1, 1, 1, 4]),
        floatTensor(p('w_hi'), new Float32Array([0, 0, 1, 256]), [1, 1, 1, 4]),
        uint32Tensor(p('u65536'), [65536], []),
      );
      const conv = (w: string, out: string): onnx.INodeProto => node('Conv', [p('levels'), p(w)], [p(out)], [intsAttr('kernel_shape', [1, 4]), intsAttr('strides', [1, 4])]);
      nodes.push(
        conv('w_lo', 'lo'),
        conv('w_hi', 'hi'),
        node('Cast', [p('lo')], [p('lo_u32')], [intAttr('to', DT.UINT32)]),
        node('Cast', [p('hi')], [p('hi_u32')], [intAttr('to', DT.UINT32)]),
        node('Mul', [p('hi_u32'), p('u65536')], [p('hi_shifted')]),
        node('Add', [p('lo_u32'), p('hi_shifted')], [name]),
      );
    }
  }
  graph.node = [...(graph.node ?? []), ...nodes];
  graph.initializer = [...(graph.initializer ?? []), ...inits];
  graph.output = [valueInfo(name, elem, outDims), ...(graph.output ?? []).slice(1)];
}
