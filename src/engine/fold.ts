/**
 * Exact graph simplifications done before quantization, so that each Conv stands alone between its
 * quantize/dequantize pairs and onnxruntime can fuse it into QLinearConv:
 *
 *   Conv → BatchNormalization | Mul(const) | Add(const)   ⇒ Conv with new weights and bias
 *   ConvTranspose → the same (group 1)                       ⇒ ConvTranspose with new weights and bias
 *   Div(x, const)                                            ⇒ Mul(x, 1/const)
 *   Mul(const a) → Mul(const b)                              ⇒ Mul(const a·b)
 *
 * onnxruntime does the same folds on float graphs at load time; here they must happen before QDQ
 * nodes are inserted, because a quantize node between Conv and Mul would block them.
 */
import type { onnx } from '../onnx/model';
import { DT, GraphView, dimsOf, dropUnusedInitializers, floatOf, floatTensor, floatsOf, intOf } from './graph-edit';

/** How many of each fold were applied. */
export type FoldReport = Record<'batchnorm' | 'mul' | 'add' | 'div' | 'mulmul', number>;

/** Channel-wise view of a constant: a scalar, or one value per channel C (shape [..., C, 1, 1]). */
export function perChannel(values: Float32Array, dims: number[], channels: number): ((c: number) => number) | undefined {
  if (values.length === 1) return () => values[0];
  const tail = dims.slice(-3);
  if (values.length === channels && tail.length === 3 && tail[0] === channels && tail[1] === 1 && tail[2] === 1) return (c) => values[c];
  return undefined;
}

/** A Conv's (or ConvTranspose's) weights and bias as mutable copies, with the output channel of each weight. */
export interface ConvWeights {
  w: Float32Array;
  b: Float32Array;
  /** Output channels and the element index -> output channel map. */
  channels: number;
  channelOf: (i: number) => number;
  wDims: number[];
}

/** The constant weights and bias of `conv` (zeros when it has none); undefined when they are not float constants. */
export function convWeights(view: GraphView, conv: onnx.INodeProto): ConvWeights | undefined {
  const wName = conv.input![1];
  const wt = view.inits.get(wName);
  if (!wt || wt.dataType !== DT.FLOAT) return undefined;
  const wDims = dimsOf(wt);
  const w = floatsOf(wt);
  let channels: number;
  let channelOf: (i: number) => number;
  if (conv.opType === 'Conv') {
    channels = wDims[0];
    const per = w.length / channels;
    channelOf = (i) => Math.floor(i / per);
  } else {
    if (intOf(conv, 'group', 1) !== 1) return undefined;
    channels = wDims[1]; // ConvTranspose weight: [Cin, Cout, kh, kw]
    const k = wDims.slice(2).reduce((a, b) => a * b, 1);
    channelOf = (i) => Math.floor(i / k) % channels;
  }
  const bName = conv.input![2];
  let b: Float32Array;
  if (bName) {
    const bv = view.constFloats(bName);
    if (!bv) return undefined;
    b = Float32Array.from(bv);
  } else {
    b = new Float32Array(channels);
  }
  return { w: Float32Array.from(w), b, channels, channelOf, wDims };
}

/** Stores `cw` as new initializers named after `conv` and `tag`, and points `conv` at them. */
export function writeConv(view: GraphView, conv: onnx.INodeProto, cw: ConvWeights, tag: string): void {
  const base = `${conv.name || conv.output![0]}.${tag}`;
  view.setInit(floatTensor(`${base}.w`, cw.wDims, cw.w));
  view.setInit(floatTensor(`${base}.b`, [cw.channels], cw.b));
  conv.input = [conv.input![0], `${base}.w`, `${base}.b`];
}

/** Tries to fold `next` (the only reader of `conv`'s output) into `conv`. */
function foldInto(view: GraphView, conv: onnx.INodeProto, next: onnx.INodeProto, report: FoldReport): boolean {
  const cw = convWeights(view, conv);
  if (!cw) return false;
  const y = conv.output![0];
  if (next.opType === 'BatchNormalization') {
    const [scale, bias, mean, variance] = next.input!.slice(1).map((n) => view.constFloats(n));
    if (!scale || !bias || !mean || !variance || (next.output ?? []).filter(Boolean).length > 1) return false;
    const eps = floatOf(next, 'epsilon', 1e-5);
    const g = Float32Array.from(scale, (s, c) => s / Math.sqrt(variance[c] + eps));
    for (let i = 0; i < cw.w.length; i++) cw.w[i] *= g[cw.channelOf(i)];
    for (let c = 0; c < cw.channels; c++) cw.b[c] = (cw.b[c] - mean[c]) * g[c] + bias[c];
    report.batchnorm++;
  } else if (next.opType === 'Mul' || next.opType === 'Add') {
    const other = next.input![0] === y ? next.input![1] : next.input![0];
    const t = view.inits.get(other);
    const v = view.constFloats(other);
    const at = t && v ? perChannel(v, dimsOf(t), cw.channels) : undefined;
    if (!at) return false;
    if (next.opType === 'Mul') {
      for (let i = 0; i < cw.w.length; i++) cw.w[i] *= at(cw.channelOf(i));
      for (let c = 0; c < cw.channels; c++) cw.b[c] *= at(c);
      report.mul++;
    } else {
      for (let c = 0; c < cw.channels; c++) cw.b[c] += at(c);
      report.add++;
    }
  } else {
    return false;
  }
  writeConv(view, conv, cw, `f${report.batchnorm + report.mul + report.add}`);
  conv.output = [next.output![0]];
  return true;
}

function scalarMulConst(view: GraphView, n: onnx.INodeProto): { x: string; c: number } | undefined {
  if (n.opType !== 'Mul') return undefined;
  for (const k of [0, 1]) {
    const v = view.constFloats(n.input![k], 1);
    if (v) return { x: n.input![1 - k], c: v[0] };
  }
  return undefined;
}

/** One pass over the graph; returns whether anything changed. */
function foldPass(graph: onnx.IGraphProto, report: FoldReport): boolean {
  const view = new GraphView(graph);
  const removed = new Set<onnx.INodeProto>();
  let changed = false;
  for (const n of graph.node ?? []) {
    if (removed.has(n)) continue;
    if (n.opType === 'Div') {
      const c = view.constFloats(n.input![1]);
      const t = view.inits.get(n.input![1]);
      if (c && t && c.every((v) => v !== 0)) {
        const name = `${n.input![1]}.reciprocal`;
        view.setInit(floatTensor(name, dimsOf(t), Float32Array.from(c, (v) => 1 / v)));
        n.opType = 'Mul';
        n.input = [n.input![0], name];
        report.div++;
        changed = true;
      }
      continue;
    }
    const y = n.output?.[0];
    if (!y || view.readers(y) !== 1) continue;
    const next = view.consumers.get(y)?.[0];
    if (!next || removed.has(next)) continue;
    if ((n.opType === 'Conv' || n.opType === 'ConvTranspose') && foldInto(view, n, next, report)) {
      removed.add(next);
      changed = true;
      continue;
    }
    const a = scalarMulConst(view, n);
    const b = next && scalarMulConst(view, next);
    if (a && b && b.x === y) {
      const name = `${n.name || y}.mulmul`;
      view.setInit(floatTensor(name, [], new Float32Array([a.c * b.c])));
      n.input = [a.x, name];
      n.output = [next.output![0]];
      removed.add(next);
      report.mulmul++;
      changed = true;
    }
  }
  graph.node = (graph.node ?? []).filter((n) => !removed.has(n));
  return changed;
}

/** Applies the folds until none applies. Mutates `model`; the result computes the same function. */
export function foldForQuantization(model: onnx.IModelProto): FoldReport {
  const report: FoldReport = { batchnorm: 0, mul: 0, add: 0, div: 0, mulmul: 0 };
  for (let i = 0; i < 50 && foldPass(model.graph!, report); i++);
  dropUnusedInitializers(model.graph!);
  return report;
}
