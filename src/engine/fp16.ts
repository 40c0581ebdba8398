/**
 * float32 → float16 conversion for GPU providers. Graph inputs and outputs stay float32 (callers
 * keep feeding Float32Array); blocked nodes run in float32 behind Cast nodes:
 *
 *   x (f32) ─Cast→ f16 ─Conv─Cast→ f32 ─Add/Mul─Cast→ f16 ─Conv─ … ─Cast→ f32 ─Sigmoid→ y (f32)
 *
 * Blocked by default: Resize (its scales input is float and must stay float32), the node that writes
 * each graph output (the final Sigmoid, thresholded by post-processing), and the elementwise ops
 * Add, Mul, Div and GlobalAveragePool: with them in half, the half-activation emulation changed 1 to 4
 * of the 38 PP-OCRv4 boxes on the IC15 sample (-0.37 CLEval points); with them in float32 the
 * boxes are identical. The convolutions, where the time goes, stay in half.
 *
 * On x86, onnxruntime-node 1.30's CPU provider loads the fp16 model but has no fp16 kernels for
 * most of its ops: it inserts Casts and runs them in float32 (at level 'all' most Casts then fold
 * away), so a CPU run mostly measures weight rounding. `emulateFp16` builds the float32 twin used to
 * measure fp16 numerics on any provider: weights rounded to half and every activation rounded to
 * half by a Cast pair, as a GPU computing in half would.
 */
import { onnx } from '../onnx/model';
import { foldForQuantization } from './fold';
import { DT, GraphView, constantsToInitializers, dropUnusedInitializers, floatsOf, intAttr, makeNode, makeTensor } from './graph-edit';

/** Ops the fp16 converter keeps in float32 unless told otherwise (see the header for why). */
export const DEFAULT_FP16_BLOCK_OPS: readonly string[] = ['Resize', 'Upsample', 'Range', 'RoiAlign', 'NonMaxSuppression', 'Add', 'Mul', 'Div', 'GlobalAveragePool'];

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half bits of a float32 value, round to nearest even, overflow to ±65504 (not infinity). */
export function toHalfBits(value: number): number {
  const v = Math.max(-65504, Math.min(65504, value));
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (Number.isNaN(value)) return 0x7e00;
  if (exp < 103) return sign; // too small: signed zero
  if (exp < 113) {
    // Subnormal half.
    mant |= 0x800000;
    const shift = 126 - exp;
    const half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rem > mid || (rem === mid && half & 1) ? 1 : 0));
  }
  let h = ((exp - 112) << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return sign | h;
}

/** float32 value of IEEE half bits. */
export function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export interface Fp16Report {
  /** Nodes kept in float32 (by op type). */
  blocked: Record<string, number>;
  casts: number;
  convertedInitializers: number;
  /** Weight values outside the half range (clamped to ±65504); should be 0. */
  overflowed: number;
}

function blockedNodes(graph: onnx.IGraphProto, blockOps: readonly string[]): Set<onnx.INodeProto> {
  const outputs = new Set((graph.output ?? []).map((o) => o.name));
  return new Set((graph.node ?? []).filter((n) => blockOps.includes(n.opType!) || blockOps.includes(n.name ?? '') || (n.output ?? []).some((o) => outputs.has(o))));
}

/**
 * Converts `model` in place to float16 with float32 inputs/outputs. `blockOps` lists op types or
 * node names kept float32 (in addition to the nodes writing graph outputs).
 */
export function convertToFp16(model: onnx.IModelProto, blockOps: readonly string[] = DEFAULT_FP16_BLOCK_OPS): Fp16Report {
  constantsToInitializers(model);
  // BatchNormalization variances overflow half (PP-OCRv4's head has one of ~1e7): fold them first.
  foldForQuantization(model);
  const graph = model.graph!;
  const view = new GraphView(graph);
  const blocked = blockedNodes(graph, blockOps);
  // Type of every float value as it will be: graph inputs f32, outputs of converted nodes f16.
  const half = new Set<string>();
  const castCache = new Map<string, string>();
  const nodes: onnx.INodeProto[] = [];
  let casts = 0;
  const cast = (name: string, to: number): string => {
    const key = `${name}->${to}`;
    let out = castCache.get(key);
    if (!out) {
      out = `${name}_cast_${to === DT.FLOAT16 ? 'f16' : 'f32'}`;
      nodes.push(makeNode('Cast', [name], [out], `${out}_Cast`, [intAttr('to', to)]));
      castCache.set(key, out);
      casts++;
    }
    return out;
  };
  const converted = new Set<string>();
  const report: Fp16Report = { blocked: {}, casts: 0, convertedInitializers: 0, overflowed: 0 };
  const convertInit = (name: string): string => {
    const t = view.inits.get(name)!;
    const hName = `${name}_fp16`;
    if (!converted.has(name)) {
      const v = floatsOf(t);
      for (const x of v) if (Math.abs(x) > 65504) report.overflowed++;
      view.setInit(makeTensor(hName, DT.FLOAT16, (t.dims ?? []) as number[], Uint16Array.from(v, toHalfBits)));
      converted.add(name);
    }
    return hName;
  };
  for (const n of graph.node ?? []) {
    const isBlocked = blocked.has(n);
    if (isBlocked) report.blocked[n.opType!] = (report.blocked[n.opType!] ?? 0) + 1;
    n.input = (n.input ?? []).map((i) => {
      if (!i) return i;
      const init = view.inits.get(i);
      if (init) return init.dataType === DT.FLOAT && !isBlocked ? convertInit(i) : i;
      if (isBlocked) return half.has(i) ? cast(i, DT.FLOAT) : i;
      // A float32 activation (graph input, blocked node's output) entering a converted node.
      return !half.has(i) && isFloatValue(graph, view, i) ? cast(i, DT.FLOAT16) : i;
    });
    nodes.push(n);
    if (!isBlocked) for (const o of n.output ?? []) if (o && producesFloat(n)) half.add(o);
  }
  graph.node = nodes;
  graph.valueInfo = [];
  dropUnusedInitializers(graph);
  report.casts = casts;
  report.convertedInitializers = converted.size;
  return report;
}

/** Ops whose outputs are not float even with float inputs. */
const NON_FLOAT_OUTPUT = new Set(['Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero', 'Equal', 'Greater', 'Less', 'Not', 'And', 'Or', 'NonMaxSuppression', 'TopK']);

function producesFloat(n: onnx.INodeProto): boolean {
  if (n.opType === 'Cast') return false;
  return !NON_FLOAT_OUTPUT.has(n.opType!);
}

function isFloatValue(graph: onnx.IGraphProto, view: GraphView, name: string): boolean {
  const input = (graph.input ?? []).find((i) => i.name === name);
  if (input) return input.type?.tensorType?.elemType === DT.FLOAT;
  const p = view.producer.get(name);
  return p ? producesFloat(p) : false;
}

/**
 * A float32 model whose numerics follow the fp16 one: float weights rounded to half, every float
 * activation passed through Cast(f16) → Cast(f32). Runs on any provider with float32 kernels.
 */
export function emulateFp16(model: onnx.IModelProto, blockOps: readonly string[] = DEFAULT_FP16_BLOCK_OPS): void {
  constantsToInitializers(model);
  foldForQuantization(model);
  const graph = model.graph!;
  const blocked = blockedNodes(graph, blockOps);
  const view = new GraphView(graph);
  const round = new Set<string>();
  for (const n of graph.node ?? []) {
    if (blocked.has(n)) continue;
    for (const i of n.input ?? []) {
      const t = view.inits.get(i);
      if (t && t.dataType === DT.FLOAT && !round.has(i)) {
        round.add(i);
        const v = floatsOf(t);
        view.setInit(makeTensor(i, DT.FLOAT, (t.dims ?? []) as number[], Float32Array.from(v, (x) => fromHalfBits(toHalfBits(x)))));
      }
    }
  }
  // Every float activation a converted node reads is rounded to half, wherever it comes from (a
  // converted node, a blocked one, or the graph input), as the Casts of the real fp16 graph do.
  const nodes: onnx.INodeProto[] = [];
  const rounded = new Map<string, string>();
  const initial = new Set((graph.input ?? []).filter((i) => i.type?.tensorType?.elemType === DT.FLOAT).map((i) => i.name!));
  const floatValues = new Set<string>(initial);
  for (const n of graph.node ?? []) {
    if (!blocked.has(n)) {
      n.input = (n.input ?? []).map((i) => {
        if (!i || view.isConst(i) || !floatValues.has(i)) return i;
        let r = rounded.get(i);
        if (!r) {
          r = `${i}_rounded`;
          nodes.push(makeNode('Cast', [i], [`${i}_half`], `${i}_to_half`, [intAttr('to', DT.FLOAT16)]));
          nodes.push(makeNode('Cast', [`${i}_half`], [r], `${i}_to_float`, [intAttr('to', DT.FLOAT)]));
          rounded.set(i, r);
        }
        return r;
      });
    }
    nodes.push(n);
    if (producesFloat(n)) for (const o of n.output ?? []) if (o) floatValues.add(o);
  }
  // A converted node's output is half: round it for its blocked readers and the graph outputs too.
  for (const n of graph.node ?? []) {
    if (blocked.has(n) || !producesFloat(n)) continue;
    for (const o of n.output ?? []) {
      const r = rounded.get(o) ?? `${o}_rounded`;
      if (!rounded.has(o)) {
        const at = nodes.indexOf(n) + 1;
        nodes.splice(at, 0,
          makeNode('Cast', [o], [`${o}_half`], `${o}_to_half`, [intAttr('to', DT.FLOAT16)]),
          makeNode('Cast', [`${o}_half`], [r], `${o}_to_float`, [intAttr('to', DT.FLOAT)]));
        rounded.set(o, r);
      }
      for (const reader of view.consumers.get(o) ?? []) if (blocked.has(reader)) reader.input = reader.input!.map((i) => (i === o ? r : i));
    }
  }
  graph.node = nodes;
  graph.valueInfo = [];
}

export { onnx };
