/**
 * Shrinks the probability output so less comes back from the device: fp16, or uint8 round(p * 255),
 * optionally packed four to a uint32 for providers without 8-bit tensors (WebGPU). The output keeps
 * its name; the float32 value it came from is renamed.
 */
import { ModelError } from '../../core';
import type { onnx } from '../../onnx/model';
import type { OutputFormat } from './formats';
import { DT, PREFIX, dimsOf, floatTensor, int64Tensor, intAttr, node, uint32Tensor, valueInfo } from './proto';

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
      inits.push(
        int64Tensor(p('shape_quads'), [0, 0, 0, -1, 4], [5]),
        uint32Tensor(p('byte_mul'), [1, 256, 65536, 16777216], [4]),
        int64Tensor(p('shape_words'), [0, 0, 0, -1], [4]),
        int64Tensor(p('axis4'), [4], [1]),
      );
      nodes.push(
        node('Cast', [p('levels')], [p('levels_u32')], [intAttr('to', DT.UINT32)]),
        node('Reshape', [p('levels_u32'), p('shape_quads')], [p('quads')]),
        node('Mul', [p('quads'), p('byte_mul')], [p('placed')]),
      );
      // Sum of the four placed bytes through Slice + Add: ReduceSum has no uint32 kernel on WebGPU.
      for (let k = 0; k < 4; k++) {
        inits.push(int64Tensor(p(`s${k}`), [k], [1]), int64Tensor(p(`e${k}`), [k + 1], [1]));
        nodes.push(node('Slice', [p('placed'), p(`s${k}`), p(`e${k}`), p('axis4')], [p(`b${k}`)]));
      }
      nodes.push(
        node('Add', [p('b0'), p('b1')], [p('b01')]),
        node('Add', [p('b2'), p('b3')], [p('b23')]),
        node('Add', [p('b01'), p('b23')], [p('word5')]),
        node('Reshape', [p('word5'), p('shape_words')], [name]),
      );
    }
  }
  graph.node = [...(graph.node ?? []), ...nodes];
  graph.initializer = [...(graph.initializer ?? []), ...inits];
  graph.output = [valueInfo(name, elem, outDims), ...(graph.output ?? []).slice(1)];
}
