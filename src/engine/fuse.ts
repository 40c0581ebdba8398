/**
 * Rewrites that cut the number of kernels a GPU provider launches per run. On WebGPU every node is a
 * dispatch costing microseconds of host and GPU time whatever its size, and paddle2onnx exports spend
 * most of their nodes on scalar arithmetic (bench/NOTES.md, attempt 16):
 *
 *   1. the folds of fold.ts: Conv → Mul/Add/BatchNormalization into the Conv, Div(c) → Mul(1/c), Mul·Mul;
 *   2. HardSwish as paddle2onnx writes it, Mul(x, Clip(x + 3, 0, 6)) · k  ⇒  Mul(x, HardSigmoid(x)) · 6k,
 *      the trailing Mul dropped when 6k = 1 or when it can go into the Conv that makes x (4 nodes → 2);
 *   3. a constant affine y·s + c read only by Convs without padding  ⇒  folded into those Convs
 *      (Conv(W, y·s + c) = Conv(W·s, y) + Σ W·c holds exactly in real arithmetic when no tap reads padding).
 *
 * Each is exact in real arithmetic; in float32 the results differ by rounding only (tested against the
 * source model on real images in test/engine/fuse.test.ts).
 */
import type { onnx } from '../onnx/model';
import { convWeights, foldForQuantization, perChannel, writeConv, type FoldReport } from './fold';
import {
  DT, GraphView, constantsToInitializers, dimsOf, dropUnusedInitializers, floatAttr, floatTensor, getAttr, intOf, intsOf,
} from './graph-edit';

/** What the rewrites did, and the node counts (Constant nodes excluded) before and after. */
export type FuseReport = FoldReport & { hardswish: number; affineIntoConv: number; nodesBefore: number; nodesAfter: number };

const computeNodes = (g: onnx.IGraphProto): number => (g.node ?? []).filter((n) => n.opType !== 'Constant').length;

/** The single-element float value of `name` when it is a constant, else undefined. */
function scalar(view: GraphView, name: string | undefined): number | undefined {
  const v = name ? view.constFloats(name, 1) : undefined;
  return v ? v[0] : undefined;
}

/** `n`'s non-constant input and its constant one, for a binary node with exactly one constant input. */
function splitConst(view: GraphView, n: onnx.INodeProto): { x: string; c: string } | undefined {
  const [a, b] = n.input ?? [];
  if (!a || !b) return undefined;
  if (view.isConst(b) && !view.isConst(a)) return { x: a, c: b };
  if (view.isConst(a) && !view.isConst(b)) return { x: b, c: a };
  return undefined;
}

/** The only consumer of `name`, when it has exactly one reader and is not a graph output. */
function onlyConsumer(view: GraphView, name: string): onnx.INodeProto | undefined {
  return view.readers(name) === 1 ? view.consumers.get(name)?.[0] : undefined;
}

function clipBounds(view: GraphView, clip: onnx.INodeProto): [number, number] | undefined {
  // opset >= 11 passes min/max as inputs; older opsets as attributes.
  const lo = clip.input?.[1] ? scalar(view, clip.input[1]) : undefined;
  const hi = clip.input?.[2] ? scalar(view, clip.input[2]) : undefined;
  const attr = (name: string) => getAttr(clip, name)?.f ?? undefined; // null (unset) reads as no bound
  const min = lo ?? attr('min');
  const max = hi ?? attr('max');
  return min === undefined || max === undefined ? undefined : [min, max];
}

/** Rewrite 2 for the pattern rooted at `add` (x + 3); returns the nodes it removed. */
function rewriteHardSwish(view: GraphView, add: onnx.INodeProto, tag: number): onnx.INodeProto[] | undefined {
  if (add.opType !== 'Add') return undefined;
  const ax = splitConst(view, add);
  if (!ax || scalar(view, ax.c) !== 3) return undefined;
  const x = ax.x;
  const clip = onlyConsumer(view, add.output![0]);
  if (clip?.opType !== 'Clip' || clip.input![0] !== add.output![0]) return undefined;
  const bounds = clipBounds(view, clip);
  if (!bounds || bounds[0] !== 0 || bounds[1] !== 6) return undefined;
  const mul = onlyConsumer(view, clip.output![0]);
  if (mul?.opType !== 'Mul' || !mul.input!.includes(x)) return undefined;
  const tail = onlyConsumer(view, mul.output![0]);
  const tk = tail?.opType === 'Mul' ? splitConst(view, tail) : undefined;
  const k = tk && tk.x === mul.output![0] ? scalar(view, tk.c) : undefined;
  if (!tail || !tk || k === undefined) return undefined; // without the 1/6 the result would need a Mul(6) anyway

  // The result is K·x·HardSigmoid(x) with K = 6k. When x comes from a Conv read only by this pattern, K
  // goes into that Conv (x' = K·x) and HardSigmoid's slope becomes 1/(6K), so that it still sees x.
  const K = Math.fround(6 * k);
  const conv = view.producer.get(x);
  const scaleConv = K !== 1 && K !== 0 && conv?.opType === 'Conv' && view.readers(x) === 2 && scaleConvOutput(view, conv, K, tag);
  const h = `${add.output![0]}.hardsigmoid`;
  add.opType = 'HardSigmoid';
  add.input = [x];
  add.output = [h];
  add.attribute = [floatAttr('alpha', scaleConv ? 1 / (6 * K) : 1 / 6), floatAttr('beta', 0.5)];
  mul.input = [x, h];
  if (K === 1 || scaleConv) {
    mul.output = [tail.output![0]];
    return [clip, tail];
  }
  const name = `hardswish.${tag}.scale`;
  view.setInit(floatTensor(name, [], new Float32Array([K])));
  tail.input = [mul.output![0], name];
  return [clip];
}

/** Multiplies a Conv's weights and bias by `k` (new initializers); false when they are not constants. */
function scaleConvOutput(view: GraphView, conv: onnx.INodeProto, k: number, tag: number): boolean {
  const cw = convWeights(view, conv);
  if (!cw) return false;
  for (let i = 0; i < cw.w.length; i++) cw.w[i] *= k;
  for (let c = 0; c < cw.channels; c++) cw.b[c] *= k;
  writeConv(view, conv, cw, `scaled${tag}`);
  return true;
}

/** A Conv that reads `name` as its data input through taps that never touch padding. */
function padFreeConv(view: GraphView, conv: onnx.INodeProto, name: string): boolean {
  if (conv.opType !== 'Conv' || conv.input![0] !== name || conv.input!.slice(1).includes(name)) return false;
  const w = view.inits.get(conv.input![1]);
  if (!w || w.dataType !== DT.FLOAT || (conv.input![2] && !view.constFloats(conv.input![2]))) return false;
  const autoPad = getAttr(conv, 'auto_pad')?.s;
  const ap = autoPad ? Buffer.from(autoPad).toString() : 'NOTSET';
  if (ap !== 'NOTSET' && ap !== 'VALID') return false;
  return (intsOf(conv, 'pads') ?? []).every((p) => p === 0);
}

/**
 * Rewrite 3 for the affine rooted at `first` (a Mul or Add by a constant, optionally followed by an Add
 * by a constant); returns the nodes it removed.
 */
function absorbAffine(view: GraphView, first: onnx.INodeProto, tag: number): onnx.INodeProto[] | undefined {
  if (first.opType !== 'Mul' && first.opType !== 'Add') return undefined;
  const a = splitConst(view, first);
  if (!a) return undefined;
  const chain = [first];
  const scale = first.opType === 'Mul' ? a.c : undefined;
  let shift = first.opType === 'Add' ? a.c : undefined;
  const next = first.opType === 'Mul' ? onlyConsumer(view, first.output![0]) : undefined;
  const b = next?.opType === 'Add' ? splitConst(view, next) : undefined;
  if (next && b && b.x === first.output![0]) {
    chain.push(next);
    shift = b.c;
  }
  const out = chain[chain.length - 1].output![0];
  const readers = view.consumers.get(out) ?? [];
  if (view.outputs.has(out) || readers.length === 0 || !readers.every((c) => padFreeConv(view, c, out))) return undefined;

  // Check every reader before changing any: a constant must be a scalar or one value per input channel.
  const plans = readers.map((conv) => {
    const cw = convWeights(view, conv)!; // padFreeConv checked that weights and bias are constants
    const inC = cw.wDims[1] * intOf(conv, 'group', 1);
    const at = (name: string | undefined) => (name ? perChannel(view.constFloats(name)!, dimsOf(view.inits.get(name)!), inC) : undefined);
    return { conv, cw, s: at(scale), c: at(shift) };
  });
  if (plans.some((p) => (scale && !p.s) || (shift && !p.c))) return undefined;

  for (const [i, { conv, cw, s, c }] of plans.entries()) {
    const [outC, inPerGroup] = cw.wDims;
    const group = intOf(conv, 'group', 1);
    const taps = cw.wDims.slice(2).reduce((p, d) => p * d, 1);
    const perOut = inPerGroup * taps;
    for (let e = 0; e < cw.w.length; e++) {
      const o = Math.floor(e / perOut);
      const ch = Math.floor(o / (outC / group)) * inPerGroup + (Math.floor(e / taps) % inPerGroup);
      if (c) cw.b[o] += cw.w[e] * c(ch); // with the original weights: Σ W·c
      if (s) cw.w[e] *= s(ch);
    }
    conv.input = [a.x, ...conv.input!.slice(1)];
    writeConv(view, conv, cw, `affine${tag}.${i}`);
  }
  return chain;
}

function pass(graph: onnx.IGraphProto, rewrite: (view: GraphView, n: onnx.INodeProto, tag: number) => onnx.INodeProto[] | undefined, start: number): number {
  let count = 0;
  for (;;) {
    const view = new GraphView(graph);
    let removed: onnx.INodeProto[] | undefined;
    for (const n of graph.node ?? []) {
      removed = rewrite(view, n, start + count);
      if (removed) break;
    }
    if (!removed) return count;
    const gone = new Set(removed);
    graph.node = (graph.node ?? []).filter((n) => !gone.has(n));
    count++;
  }
}

/** Applies rewrites 1–3 until none applies. Mutates `model`. */
export function fuseForDispatch(model: onnx.IModelProto): FuseReport {
  const graph = model.graph!;
  const nodesBefore = computeNodes(graph);
  constantsToInitializers(model);
  const folds = foldForQuantization(model);
  const hardswish = pass(graph, rewriteHardSwish, 0);
  const affineIntoConv = pass(graph, absorbAffine, 0);
  dropUnusedInitializers(graph);
  return { ...folds, hardswish, affineIntoConv, nodesBefore, nodesAfter: computeNodes(graph) };
}
