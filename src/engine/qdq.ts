/**
 * Static QDQ quantization laid out for onnxruntime's CPU provider, which fuses
 * DequantizeLinear → op → QuantizeLinear groups into integer kernels:
 *
 *   Conv                → QLinearConv (uint8 activations, int8 per-channel symmetric weights, int32 bias)
 *   Add, Mul            → QLinearAdd / QLinearMul
 *   GlobalAveragePool   → QLinearGlobalAveragePool
 *   Concat              → QLinearConcat
 *   Resize              → Resize on uint8 (Q/DQ dropped; input and output share parameters)
 *   Clip(0, c), Relu    → removed: the producer's output range is clamped instead, so saturation
 *                         in its QuantizeLinear does the clipping
 *   Mul(x, c > 0)       → removed when x is quantized: the same uint8 values are dequantized with
 *                         scale c·s (exact; one integer pass fewer per hard-swish)
 *
 * Other ops (HardSigmoid, ConvTranspose, Sigmoid, …) would only gain a dequantize/quantize round trip,
 * so they stay float and read the dequantized tensor. Quantization planning and the graph rewrite are
 * separate steps because calibration must run on the float graph with the tensors the plan names.
 */
import { OptionError } from '../core';
import type { onnx } from '../onnx/model';
import {
  DT, GraphView, dimsOf, dropUnusedInitializers, floatOf, floatsOf, intAttr, makeNode, makeTensor, requireOpset,
} from './graph-edit';
import type { Ranges } from './calibrate';

/** Ops that onnxruntime's CPU provider runs in integer arithmetic when wrapped in Q/DQ. */
export const QUANTIZABLE_OPS = ['Conv', 'Add', 'Mul', 'GlobalAveragePool', 'Concat', 'Resize'] as const;

export interface QdqPlan {
  /** Nodes that get quantized inputs and outputs. */
  nodes: Set<onnx.INodeProto>;
  /** Activation tensors to quantize (names in the float graph, after absorbing Clip/Relu). */
  tensors: string[];
  /** Clip/Relu nodes folded into their producer's output range, with the clamp they apply. */
  absorbed: Map<onnx.INodeProto, [number, number]>;
  /** Resize outputs share their input's parameters: output name -> input name. */
  shared: Map<string, string>;
  /** Mul-by-positive-constant nodes turned into a rescaled dequantize, by node. */
  rescaled: Map<onnx.INodeProto, { from: string; factor: number }>;
}

/** Which inputs of a quantized node are activations (constants are quantized offline). */
function activationInputs(view: GraphView, n: onnx.INodeProto): string[] {
  switch (n.opType) {
    case 'Conv':
    case 'GlobalAveragePool':
    case 'Resize':
      return [n.input![0]];
    default:
      return (n.input ?? []).filter((i) => i && !view.isConst(i));
  }
}

function clipBounds(view: GraphView, n: onnx.INodeProto): [number, number] | undefined {
  if (n.opType === 'Relu') return [0, Infinity];
  if (n.opType !== 'Clip') return undefined;
  const lo = n.input![1] ? view.constFloats(n.input![1], 1)?.[0] : floatOf(n, 'min', -Infinity);
  const hi = n.input![2] ? view.constFloats(n.input![2], 1)?.[0] : floatOf(n, 'max', Infinity);
  if (lo === undefined || hi === undefined) return undefined;
  return [lo, hi];
}

/**
 * Decides which nodes and tensors to quantize. `exclude` lists op types or node names kept float.
 * Does not modify the graph.
 */
export function planQdq(model: onnx.IModelProto, exclude: readonly string[] = []): QdqPlan {
  const graph = model.graph!;
  const view = new GraphView(graph);
  const nodes = new Set<onnx.INodeProto>();
  for (const n of graph.node ?? []) {
    if (!(QUANTIZABLE_OPS as readonly string[]).includes(n.opType!)) continue;
    if (exclude.includes(n.opType!) || exclude.includes(n.name ?? '')) continue;
    if (n.opType === 'Conv' && !view.constFloats(n.input![1])) continue;
    if (n.opType === 'Conv' && n.input![2] && !view.constFloats(n.input![2])) continue;
    if (activationInputs(view, n).length === 0) continue;
    nodes.add(n);
  }
  // A Clip(0, c) / Relu that is the only reader of a quantized node's output becomes a clamp.
  const absorbed = new Map<onnx.INodeProto, [number, number]>();
  for (const n of graph.node ?? []) {
    const bounds = clipBounds(view, n);
    if (!bounds || bounds[0] > 0 || exclude.includes(n.opType!) || exclude.includes(n.name ?? '')) continue;
    const src = view.producer.get(n.input![0]);
    if (!src || !nodes.has(src) || src.opType === 'Resize' || view.readers(n.input![0]) !== 1) continue;
    if (view.outputs.has(n.output![0])) continue;
    absorbed.set(n, bounds);
  }
  const renamed = new Map<string, string>(); // pre-clip name -> post-clip name
  for (const n of absorbed.keys()) renamed.set(n.input![0], n.output![0]);
  // Mul by a positive scalar right after a quantized node: read the same integers with a scaled DQ.
  const rescaled = new Map<onnx.INodeProto, { from: string; factor: number }>();
  for (const n of [...nodes]) {
    if (n.opType !== 'Mul') continue;
    const k = view.isConst(n.input![0]) ? 0 : view.isConst(n.input![1]) ? 1 : -1;
    const c = k >= 0 ? view.constFloats(n.input![k], 1)?.[0] : undefined;
    if (c === undefined || !(c > 0)) continue;
    const x = n.input![1 - k];
    const prod = view.producer.get(x);
    const src = prod && absorbed.has(prod) ? view.producer.get(prod.input![0]) : prod;
    if (!src || !nodes.has(src) || src.opType === 'Resize' || view.readers(x) !== 1) continue;
    const y = n.output![0];
    if (view.outputs.has(y) || (view.consumers.get(y) ?? []).some((r) => r.opType === 'Resize')) continue;
    rescaled.set(n, { from: x, factor: c });
    nodes.delete(n);
  }
  const derived = new Set([...rescaled.keys()].map((n) => n.output![0]));
  const tensors = new Set<string>();
  const shared = new Map<string, string>();
  for (const n of nodes) {
    for (const i of activationInputs(view, n)) if (!derived.has(i)) tensors.add(renamed.get(i) ?? i);
    const out = renamed.get(n.output![0]) ?? n.output![0];
    if (n.opType === 'Resize') shared.set(out, renamed.get(n.input![0]) ?? n.input![0]);
    else tensors.add(out);
  }
  for (const [out, input] of shared) tensors.add(input), tensors.delete(out);
  return { nodes, tensors: [...tensors], absorbed, shared, rescaled };
}

/** uint8 asymmetric parameters for a range that contains 0. */
export function uint8Params(lo: number, hi: number): { scale: number; zeroPoint: number } {
  const l = Math.min(lo, 0);
  const h = Math.max(hi, 0);
  const scale = h > l ? (h - l) / 255 : 1;
  return { scale, zeroPoint: Math.max(0, Math.min(255, Math.round(-l / scale))) };
}

/** Counts of what the rewrite did, for the manifest. */
export interface QdqReport {
  quantizedNodes: Record<string, number>;
  activationTensors: number;
  absorbedClips: number;
  rescaledMuls: number;
  floatNodes: Record<string, number>;
}

/**
 * Rewrites `model` in place according to `plan`, using calibrated `ranges` for activations.
 * The graph keeps its float32 inputs and outputs.
 */
export function applyQdq(model: onnx.IModelProto, plan: QdqPlan, ranges: Ranges): QdqReport {
  const graph = model.graph!;
  let view = new GraphView(graph);
  const params = new Map<string, { scale: number; zeroPoint: number }>();
  for (const t of plan.tensors) {
    const r = ranges.get(t);
    if (!r) throw new OptionError(`No calibration range for tensor ${t}`, { fix: 'calibrate with the same plan that is applied' });
    params.set(t, uint8Params(r[0], r[1]));
  }
  for (const [out, input] of plan.shared) params.set(out, params.get(input)!);
  // Rescaled Mul outputs: the source's integers with scale c·s (no Q/DQ pair of their own).
  const sources = new Map<string, { output: string; factor: number }>();
  for (const [n, r] of plan.rescaled) sources.set(r.from, { output: n.output![0], factor: r.factor });
  const derivedParams = (name: string) => {
    for (const [from, r] of sources) {
      const p = params.get(from);
      if (r.output === name && p) return { scale: p.scale * r.factor, zeroPoint: p.zeroPoint };
    }
    return undefined;
  };

  // 1. Absorb Clip/Relu: the producer writes the clip's output name, and its range is clamped.
  for (const [clip, [lo, hi]] of plan.absorbed) {
    const src = view.producer.get(clip.input![0])!;
    src.output = [clip.output![0]];
    const p = params.get(clip.output![0]);
    const r = ranges.get(clip.output![0]);
    if (p && r) params.set(clip.output![0], uint8Params(Math.max(r[0], lo), Math.min(r[1], hi)));
  }
  graph.node = (graph.node ?? []).filter((n) => !plan.absorbed.has(n) && !plan.rescaled.has(n));
  view = new GraphView(graph);

  const newNodes: onnx.INodeProto[] = [];
  const scalar = (name: string, v: number) => makeTensor(name, DT.FLOAT, [], new Float32Array([v]));
  const zp8 = (name: string, v: number) => makeTensor(name, DT.UINT8, [], new Uint8Array([v]));

  // 2. Activations: Q → DQ right after the producer; every reader (quantized or not) reads the DQ.
  const inputNames = new Set((graph.input ?? []).map((i) => i.name));
  const rename = new Map<string, string>();
  for (const [t, p] of params) {
    view.setInit(scalar(`${t}_scale`, p.scale));
    view.setInit(zp8(`${t}_zero_point`, p.zeroPoint));
    const src = inputNames.has(t) || view.isConst(t) ? t : `${t}_float`;
    const dq = src === t ? `${t}_dequantized` : t;
    if (src !== t) {
      const producer = view.producer.get(t)!;
      producer.output = producer.output!.map((o) => (o === t ? src : o));
    } else {
      rename.set(t, dq);
    }
    newNodes.push(makeNode('QuantizeLinear', [src, `${t}_scale`, `${t}_zero_point`], [`${t}_quantized`], `${t}_QuantizeLinear`));
    const r = sources.get(t);
    if (r) {
      view.setInit(scalar(`${r.output}_scale`, p.scale * r.factor));
      newNodes.push(makeNode('DequantizeLinear', [`${t}_quantized`, `${r.output}_scale`, `${t}_zero_point`], [r.output], `${r.output}_DequantizeLinear`));
    } else {
      newNodes.push(makeNode('DequantizeLinear', [`${t}_quantized`, `${t}_scale`, `${t}_zero_point`], [dq], `${t}_DequantizeLinear`));
    }
  }
  for (const n of graph.node ?? []) n.input = n.input!.map((i) => rename.get(i) ?? i);

  // 3. Constants read by quantized nodes: weights per channel, biases int32, other constants uint8.
  const done = new Set<string>();
  const quantizedNodes: Record<string, number> = {};
  for (const n of plan.nodes) {
    quantizedNodes[n.opType!] = (quantizedNodes[n.opType!] ?? 0) + 1;
    if (n.opType === 'Conv') {
      const xName = n.input![0].replace(/_dequantized$/, '');
      const xParams = params.get(xName) ?? derivedParams(xName)!;
      const wt = view.inits.get(n.input![1])!;
      const w = floatsOf(wt);
      const dims = dimsOf(wt);
      const channels = dims[0];
      const per = w.length / channels;
      const ws = new Float32Array(channels);
      const wq = new Int8Array(w.length);
      for (let c = 0; c < channels; c++) {
        let m = 0;
        for (let i = c * per; i < (c + 1) * per; i++) m = Math.max(m, Math.abs(w[i]));
        ws[c] = m > 0 ? m / 127 : 1;
        for (let i = c * per; i < (c + 1) * per; i++) wq[i] = Math.max(-127, Math.min(127, Math.round(w[i] / ws[c])));
      }
      const wName = `${n.name || n.output![0]}.w`;
      view.setInit(makeTensor(`${wName}_quantized`, DT.INT8, dims, wq));
      view.setInit(makeTensor(`${wName}_scale`, DT.FLOAT, [channels], ws));
      view.setInit(makeTensor(`${wName}_zero_point`, DT.INT8, [channels], new Int8Array(channels)));
      newNodes.push(makeNode('DequantizeLinear', [`${wName}_quantized`, `${wName}_scale`, `${wName}_zero_point`], [`${wName}_dequantized`], `${wName}_DequantizeLinear`, [intAttr('axis', 0)]));
      const inputs = [n.input![0], `${wName}_dequantized`];
      if (n.input![2]) {
        const b = floatsOf(view.inits.get(n.input![2])!);
        const bs = Float32Array.from(ws, (s) => s * xParams.scale);
        const bq = Int32Array.from(b, (v, c) => Math.round(v / bs[c]));
        const bName = `${n.name || n.output![0]}.b`;
        view.setInit(makeTensor(`${bName}_quantized`, DT.INT32, [channels], bq));
        view.setInit(makeTensor(`${bName}_scale`, DT.FLOAT, [channels], bs));
        view.setInit(makeTensor(`${bName}_zero_point`, DT.INT32, [channels], new Int32Array(channels)));
        newNodes.push(makeNode('DequantizeLinear', [`${bName}_quantized`, `${bName}_scale`, `${bName}_zero_point`], [`${bName}_dequantized`], `${bName}_DequantizeLinear`, [intAttr('axis', 0)]));
        inputs.push(`${bName}_dequantized`);
      }
      n.input = inputs;
    } else if (n.opType === 'Add' || n.opType === 'Mul' || n.opType === 'Concat') {
      n.input = n.input!.map((i) => {
        if (!view.isConst(i)) return i;
        const dq = `${i}_dequantized`;
        if (!done.has(i)) {
          done.add(i);
          const t = view.inits.get(i)!;
          const v = floatsOf(t);
          let lo = 0;
          let hi = 0;
          for (const x of v) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
          const p = uint8Params(lo, hi);
          const q = Uint8Array.from(v, (x) => Math.max(0, Math.min(255, Math.round(x / p.scale) + p.zeroPoint)));
          view.setInit(makeTensor(`${i}_quantized`, DT.UINT8, dimsOf(t), q));
          view.setInit(scalar(`${i}_scale`, p.scale));
          view.setInit(zp8(`${i}_zero_point`, p.zeroPoint));
          newNodes.push(makeNode('DequantizeLinear', [`${i}_quantized`, `${i}_scale`, `${i}_zero_point`], [dq], `${i}_DequantizeLinear`));
        }
        return dq;
      });
    }
  }
  graph.node = [...newNodes, ...(graph.node ?? [])];
  sortTopologically(graph);
  requireOpset(model, 13);
  dropUnusedInitializers(graph);
  const floatNodes: Record<string, number> = {};
  for (const n of graph.node) {
    if (plan.nodes.has(n) || n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear') continue;
    floatNodes[n.opType!] = (floatNodes[n.opType!] ?? 0) + 1;
  }
  return { quantizedNodes, activationTensors: params.size, absorbedClips: plan.absorbed.size, rescaledMuls: plan.rescaled.size, floatNodes };
}

/** ONNX requires nodes in topological order; the inserted Q/DQ nodes are placed by a stable sort. */
export function sortTopologically(graph: onnx.IGraphProto): void {
  const available = new Set<string>([...(graph.input ?? []).map((i) => i.name!), ...(graph.initializer ?? []).map((t) => t.name!), '']);
  const pending = [...(graph.node ?? [])];
  const sorted: onnx.INodeProto[] = [];
  const waiting = new Map<string, onnx.INodeProto[]>();
  const missing = new Map<onnx.INodeProto, number>();
  const ready: onnx.INodeProto[] = [];
  for (const n of pending) {
    const need = (n.input ?? []).filter((i) => !available.has(i));
    missing.set(n, need.length);
    for (const i of need) waiting.set(i, [...(waiting.get(i) ?? []), n]);
    if (need.length === 0) ready.push(n);
  }
  while (ready.length > 0) {
    const n = ready.shift()!;
    sorted.push(n);
    for (const o of n.output ?? []) {
      for (const w of waiting.get(o) ?? []) {
        const left = missing.get(w)! - 1;
        missing.set(w, left);
        if (left === 0) ready.push(w);
      }
      waiting.delete(o);
    }
  }
  if (sorted.length !== pending.length) {
    throw new OptionError(`Graph has a cycle or a missing input after rewriting (${pending.length - sorted.length} nodes unplaced)`);
  }
  graph.node = sorted;
}
