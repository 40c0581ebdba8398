/**
 * Moves image normalisation (and the BGR swap) into the graph so the host can feed the resized RGB
 * bytes directly.
 *
 *   uint8 [N,H,W,3] ─Cast int32─▶ +channel offset ─Gather(LUT)─▶ float [N,H,W,3] ─Transpose─▶ [N,3,H,W] ─swap─▶ x
 *
 * A 768-entry lookup table is used instead of Mul/Add so that every value is bit-identical to the
 * host-side `normalizeInto` (the same double-precision `v * scale/std + (-mean/std)` rounded once to
 * float32): the GPU engine then sees exactly the tensor the CPU reference sees.
 */
import { ModelError } from '../../core';
import type { onnx } from '../../onnx/model';
import type { InputFormat, IoTransformOptions } from './formats';
import { DT, PREFIX, dimsOf, floatTensor, int32Tensor, int64Tensor, intAttr, intsAttr, node, uint32Tensor, valueInfo } from './proto';

/** LUT[j * 256 + v]: the normalised value of byte v of source (RGB) channel j, in its destination channel's constants. */
export function normalizationTable(n: IoTransformOptions['normalize']): Float32Array {
  const order = n.channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const lut = new Float32Array(768);
  for (let c = 0; c < 3; c++) {
    const j = order[c];
    const a = n.scale / n.std[c];
    const b = -n.mean[c] / n.std[c];
    for (let v = 0; v < 256; v++) lut[j * 256 + v] = v * a + b;
  }
  return lut;
}

/**
 * Replaces the graph's first input (float32 [N,3,H,W]) by one of format `format`, adding the nodes
 * that rebuild the original tensor under its original name. Mutates `graph` (callers pass a copy).
 */
export function transformInput(graph: onnx.IGraphProto, format: InputFormat, o: IoTransformOptions): void {
  if (format === 'float32') return;
  const inputs = graph.input ?? [];
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const idx = inputs.findIndex((i) => !initNames.has(i.name));
  const orig = inputs[idx];
  const dims = orig ? dimsOf(orig) : [];
  if (!orig || orig.type?.tensorType?.elemType !== DT.FLOAT || dims.length !== 4 || (typeof dims[1] === 'number' && dims[1] !== 3)) {
    throw new ModelError(`The model's image input must be float32 [N, 3, H, W] to take ${format} input, but ${orig?.name ?? 'none'} is [${dims.join(', ')}]`, {
      subject: orig?.name ?? undefined, fix: 'apply the input transform to the exported detector itself, before other edits',
    });
  }
  const [n, , h, w] = dims;
  const x = orig.name as string;
  const p = (s: string) => `${PREFIX}in_${s}`;
  const nodes: onnx.INodeProto[] = [];
  const inits: onnx.ITensorProto[] = [
    floatTensor(p('lut'), normalizationTable(o.normalize), [768]),
  ];
  let newInput: onnx.IValueInfoProto;
  let ints: string; // int32 bytes, [N,H,W,3] or [N,3,H,W]
  if (format === 'packed-nhwc') {
    newInput = valueInfo(o.inputName, DT.UINT32, [n, h, typeof w === 'number' ? (w * 3) / 4 : `${w}*3/4`]);
    inits.push(
      int64Tensor(p('shape_words'), [0, 0, -1, 1], [4]),
      uint32Tensor(p('byte_div'), [1, 256, 65536, 16777216], [4]),
      uint32Tensor(p('u256'), [256], []),
      int64Tensor(p('shape_nhwc'), [0, 0, -1, 3], [4]),
    );
    nodes.push(
      node('Reshape', [o.inputName, p('shape_words')], [p('words')]),
      node('Div', [p('words'), p('byte_div')], [p('shifted')]),
      node('Div', [p('shifted'), p('u256')], [p('high')]),
      node('Mul', [p('high'), p('u256')], [p('high256')]),
      node('Sub', [p('shifted'), p('high256')], [p('bytes')]),
      node('Reshape', [p('bytes'), p('shape_nhwc')], [p('bytes_nhwc')]),
      node('Cast', [p('bytes_nhwc')], [p('ints')], [intAttr('to', DT.INT32)]),
    );
    ints = p('ints');
  } else {
    const nhwc = format === 'uint8-nhwc';
    newInput = valueInfo(o.inputName, DT.UINT8, nhwc ? [n, h, w, 3] : [n, 3, h, w]);
    nodes.push(node('Cast', [o.inputName], [p('ints')], [intAttr('to', DT.INT32)]));
    ints = p('ints');
  }
  const nhwc = format !== 'uint8-nchw';
  inits.push(int32Tensor(p('offsets'), [0, 256, 512], nhwc ? [3] : [1, 3, 1, 1]));
  nodes.push(
    node('Add', [ints, p('offsets')], [p('lut_index')]),
    node('Gather', [p('lut'), p('lut_index')], [p(nhwc ? 'norm_nhwc' : 'norm_rgb')], [intAttr('axis', 0)]),
  );
  if (nhwc) nodes.push(node('Transpose', [p('norm_nhwc')], [p('norm_rgb')], [intsAttr('perm', [0, 3, 1, 2])]));
  if (o.normalize.channelOrder === 'BGR') {
    inits.push(int32Tensor(p('bgr'), [2, 1, 0], [3]));
    nodes.push(node('Gather', [p('norm_rgb'), p('bgr')], [x], [intAttr('axis', 1)]));
  } else {
    nodes.push(node('Identity', [p('norm_rgb')], [x]));
  }
  inputs.splice(idx, 1, newInput);
  graph.input = inputs;
  graph.initializer = [...(graph.initializer ?? []), ...inits];
  graph.node = [...nodes, ...(graph.node ?? [])];
}
