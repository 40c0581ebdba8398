/**
 * A small shape propagator: given concrete input shapes, computes the shape of every value for the
 * operators detection models use (convolutions, pooling, resize, matmul, element-wise, shape
 * plumbing). Shape sub-graphs (Shape -> Gather -> Concat -> Resize) are constant-folded on the way,
 * so runtime-computed sizes resolve too. Unknown operators leave their outputs unknown and are listed.
 */
import { type onnx, defaultOpset } from './model';
import { type GraphIndex, attr, intAttr, intsAttr, strAttr, tensorDims, tensorValues, elementCount } from './graph';

export interface ShapeResult {
  /** Concrete shape of every value that could be inferred. */
  shapes: Map<string, number[]>;
  /** Folded contents of small constant or shape-derived tensors (for sizes, axes, pads …). */
  values: Map<string, number[]>;
  /** Operator types whose outputs could not be inferred (each listed once). */
  unsupported: string[];
}

/** Operators whose output has the shape of their first input. */
const SAME_SHAPE = new Set([
  'Relu', 'Sigmoid', 'Tanh', 'Clip', 'HardSigmoid', 'HardSwish', 'LeakyRelu', 'Elu', 'Selu', 'PRelu', 'Gelu', 'Erf',
  'Exp', 'Log', 'Sqrt', 'Neg', 'Abs', 'Floor', 'Ceil', 'Round', 'Reciprocal', 'Sign', 'Not', 'Softplus', 'Softsign',
  'BatchNormalization', 'InstanceNormalization', 'LayerNormalization', 'LRN', 'Softmax', 'LogSoftmax', 'Cast',
  'Identity', 'Dropout', 'Mish', 'CumSum', 'QuantizeLinear', 'DequantizeLinear',
]);

/** Element-wise operators with numpy broadcasting. */
const BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Equal', 'Less', 'Greater',
  'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Mod', 'Where']);

/** Largest tensor whose values are folded; shape tensors are tiny, weights are not folded. */
const MAX_FOLD_ELEMENTS = 64;

export function broadcastShapes(...shapes: number[][]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + i] ?? 1;
      if (v !== 1) d = v;
    }
    out.push(d);
  }
  return out;
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Output spatial size of a sliding window (Conv, pools). */
function windowOut(n: onnx.INodeProto, input: number[], kernel: number[], ceil = false): number[] {
  const spatial = input.slice(2);
  const strides = intsAttr(n, 'strides') ?? spatial.map(() => 1);
  const dil = intsAttr(n, 'dilations') ?? spatial.map(() => 1);
  const pads = intsAttr(n, 'pads') ?? spatial.concat(spatial).map(() => 0);
  const autoPad = strAttr(n, 'auto_pad', 'NOTSET');
  return spatial.map((x, i) => {
    const k = (kernel[i] - 1) * dil[i] + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(x / strides[i]);
    if (autoPad === 'VALID') return Math.floor((x - k) / strides[i]) + 1;
    const span = x + pads[i] + pads[i + spatial.length] - k;
    return (ceil ? Math.ceil(span / strides[i]) : Math.floor(span / strides[i])) + 1;
  });
}

export function propagateShapes(index: GraphIndex, inputShapes: Record<string, number[]>): ShapeResult {
  const shapes = new Map<string, number[]>();
  const values = new Map<string, number[]>();
  const unsupported = new Set<string>();
  const opset = defaultOpset(index.model);
  for (const [name, t] of index.constants) {
    shapes.set(name, tensorDims(t));
    if (elementCount(tensorDims(t)) <= MAX_FOLD_ELEMENTS) {
      const v = tensorValues(t);
      if (v) values.set(name, v);
    }
  }
  for (const [name, s] of Object.entries(inputShapes)) shapes.set(name, s.slice());

  for (const n of index.nodes) {
    const ins = (n.input ?? []).map((i) => (i ? shapes.get(i) : undefined));
    const vals = (n.input ?? []).map((i) => (i ? values.get(i) : undefined));
    const outs = n.output ?? [];
    const set = (i: number, s: number[] | undefined, v?: number[]) => {
      if (!s || !outs[i]) return;
      shapes.set(outs[i], s);
      if (v && v.length <= MAX_FOLD_ELEMENTS) values.set(outs[i], v);
    };
    const op = n.opType ?? '';
    const x = ins[0];
    if (op === 'Constant') continue; // handled with the constants above
    if (SAME_SHAPE.has(op)) {
      let v: number[] | undefined;
      if (vals[0]) {
        if (op === 'Cast' || op === 'Identity') v = vals[0];
        else if (op === 'Floor') v = vals[0].map(Math.floor);
        else if (op === 'Ceil') v = vals[0].map(Math.ceil);
        else if (op === 'Neg') v = vals[0].map((a) => -a);
      }
      set(0, x, v);
      continue;
    }
    if (BROADCAST.has(op)) {
      if (ins.every((s) => s)) {
        const out = broadcastShapes(...(ins as number[][]));
        set(0, out, foldBinary(op, vals[0], vals[1], elementCount(out)));
      }
      continue;
    }
    if (!x && op !== 'ConstantOfShape') {
      continue; // an upstream value is unknown: nothing to add
    }
    const out = inferOne(n, op, ins, vals, opset);
    if (out === undefined) {
      unsupported.add(op);
      continue;
    }
    out.forEach((o, i) => set(i, o.shape, o.value));
  }
  return { shapes, values, unsupported: [...unsupported].sort() };
}

function foldBinary(op: string, a?: number[], b?: number[], count?: number): number[] | undefined {
  if (!a || !b || count === undefined || count > MAX_FOLD_ELEMENTS) return undefined;
  const f: Record<string, (p: number, q: number) => number> = {
    // Shape arithmetic is integer arithmetic; Div truncates like ONNX int64 Div.
    Add: (p, q) => p + q, Sub: (p, q) => p - q, Mul: (p, q) => p * q, Div: (p, q) => (Number.isInteger(p) && Number.isInteger(q) ? Math.trunc(p / q) : p / q),
    Max: Math.max, Min: Math.min,
  };
  const fn = f[op];
  if (!fn) return undefined;
  return Array.from({ length: count }, (_, i) => fn(a[a.length === 1 ? 0 : i], b[b.length === 1 ? 0 : i]));
}

interface Out { shape: number[]; value?: number[] }

/** Shapes for one node's outputs; undefined when the operator is not modelled. */
function inferOne(
  n: onnx.INodeProto, op: string, ins: (number[] | undefined)[], vals: (number[] | undefined)[], opset: number,
): Out[] | undefined {
  const x = ins[0] as number[];
  switch (op) {
    case 'Conv': {
      const w = ins[1];
      if (!w) return undefined;
      const kernel = intsAttr(n, 'kernel_shape') ?? w.slice(2);
      return [{ shape: [x[0], w[0], ...windowOut(n, x, kernel)] }];
    }
    case 'ConvTranspose': {
      const w = ins[1];
      if (!w) return undefined;
      const group = intAttr(n, 'group', 1);
      const kernel = intsAttr(n, 'kernel_shape') ?? w.slice(2);
      const spatial = x.slice(2);
      const given = intsAttr(n, 'output_shape');
      const strides = intsAttr(n, 'strides') ?? spatial.map(() => 1);
      const dil = intsAttr(n, 'dilations') ?? spatial.map(() => 1);
      const pads = intsAttr(n, 'pads') ?? spatial.concat(spatial).map(() => 0);
      const outPad = intsAttr(n, 'output_padding') ?? spatial.map(() => 0);
      const sp = given ?? spatial.map((v, i) => strides[i] * (v - 1) + outPad[i] + (kernel[i] - 1) * dil[i] + 1 - pads[i] - pads[i + spatial.length]);
      return [{ shape: [x[0], w[1] * group, ...sp] }];
    }
    case 'MaxPool': case 'AveragePool': case 'LpPool': {
      const kernel = intsAttr(n, 'kernel_shape') ?? [];
      const shape = [x[0], x[1], ...windowOut(n, x, kernel, intAttr(n, 'ceil_mode', 0) === 1)];
      return [{ shape }, { shape }];
    }
    case 'GlobalAveragePool': case 'GlobalMaxPool':
      return [{ shape: [x[0], x[1], ...x.slice(2).map(() => 1)] }];
    case 'Resize': case 'Upsample': {
      // Resize: X, roi, scales, sizes (opset >= 11); X, scales (opset 10); Upsample: X, scales or attribute.
      const sizes = op === 'Resize' && opset >= 11 ? vals[3] : undefined;
      if (sizes && sizes.length === x.length) return [{ shape: sizes.slice() }];
      const scales = op === 'Resize' ? (opset >= 11 ? vals[2] : vals[1]) : (vals[1] ?? (attr(n, 'scales') as number[] | undefined));
      if (!scales || scales.length !== x.length) return undefined;
      return [{ shape: x.map((d, i) => Math.floor(d * scales[i])) }];
    }
    case 'Concat': {
      if (!ins.every((s) => s)) return undefined;
      const axis = normAxis(intAttr(n, 'axis', 0), x.length);
      const shape = x.slice();
      shape[axis] = (ins as number[][]).reduce((a, s) => a + s[axis], 0);
      const value = vals.every((v) => v) ? (vals as number[][]).flat() : undefined;
      return [{ shape, value }];
    }
    case 'Shape': {
      const start = normAxis(intAttr(n, 'start', 0), x.length);
      const endAttr = attr(n, 'end');
      const end = typeof endAttr === 'number' ? normAxis(endAttr, x.length) : x.length;
      const value = x.slice(start, end);
      return [{ shape: [value.length], value }];
    }
    case 'Gather': {
      const idx = ins[1];
      if (!idx) return undefined;
      const axis = normAxis(intAttr(n, 'axis', 0), x.length);
      const shape = [...x.slice(0, axis), ...idx, ...x.slice(axis + 1)];
      const value = vals[0] && vals[1] && x.length === 1 ? vals[1].map((i) => vals[0]![i < 0 ? i + x[0] : i]) : undefined;
      return [{ shape, value }];
    }
    case 'Unsqueeze': {
      const axes = opset >= 13 ? vals[1] : intsAttr(n, 'axes');
      if (!axes) return undefined;
      const rank = x.length + axes.length;
      const norm = axes.map((a) => normAxis(a, rank));
      const shape: number[] = [];
      let j = 0;
      for (let i = 0; i < rank; i++) shape.push(norm.includes(i) ? 1 : x[j++]);
      return [{ shape, value: vals[0] }];
    }
    case 'Squeeze': {
      const axes = (opset >= 13 ? vals[1] : intsAttr(n, 'axes'))?.map((a) => normAxis(a, x.length));
      return [{ shape: x.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)), value: vals[0] }];
    }
    case 'Reshape': {
      const target = vals[1];
      if (!target) return undefined;
      const allowZero = intAttr(n, 'allowzero', 0) === 1;
      const shape = target.map((d, i) => (d === 0 && !allowZero ? x[i] : d));
      const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      return [{ shape: shape.map((d) => (d === -1 ? elementCount(x) / known : d)), value: vals[0] }];
    }
    case 'Flatten': {
      const axis = normAxis(intAttr(n, 'axis', 1), x.length);
      return [{ shape: [elementCount(x.slice(0, axis)), elementCount(x.slice(axis))] }];
    }
    case 'Transpose': {
      const perm = intsAttr(n, 'perm') ?? x.map((_, i) => x.length - 1 - i);
      return [{ shape: perm.map((p) => x[p]) }];
    }
    case 'MatMul': {
      const b = ins[1];
      if (!b || x.length < 2 || b.length < 2) return undefined;
      const batch = broadcastShapes(x.slice(0, -2), b.slice(0, -2));
      return [{ shape: [...batch, x[x.length - 2], b[b.length - 1]] }];
    }
    case 'Gemm': {
      const b = ins[1];
      if (!b) return undefined;
      const m = intAttr(n, 'transA', 0) ? x[1] : x[0];
      const nOut = intAttr(n, 'transB', 0) ? b[0] : b[1];
      return [{ shape: [m, nOut] }];
    }
    case 'Slice': {
      const starts = opset >= 10 ? vals[1] : intsAttr(n, 'starts');
      const ends = opset >= 10 ? vals[2] : intsAttr(n, 'ends');
      if (!starts || !ends) return undefined;
      const axes = (opset >= 10 ? vals[3] : intsAttr(n, 'axes')) ?? starts.map((_, i) => i);
      const steps = (opset >= 10 ? vals[4] : undefined) ?? starts.map(() => 1);
      const shape = x.slice();
      let value = vals[0];
      axes.forEach((a0, i) => {
        const a = normAxis(a0, x.length);
        const dim = x[a];
        const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + dim : v, lo), hi);
        const st = steps[i];
        const s = st > 0 ? clamp(starts[i], 0, dim) : clamp(starts[i], -1, dim - 1);
        const e = st > 0 ? clamp(ends[i], 0, dim) : clamp(ends[i], -1, dim - 1);
        shape[a] = Math.max(0, Math.ceil((e - s) / st));
        if (value && x.length === 1) value = Array.from({ length: shape[a] }, (_, k) => value![s + k * st]);
      });
      return [{ shape, value }];
    }
    case 'Split': {
      const axis = normAxis(intAttr(n, 'axis', 0), x.length);
      const count = (n.output ?? []).length;
      const parts = (opset >= 13 ? vals[1] : intsAttr(n, 'split')) ?? Array(count).fill(x[axis] / count);
      return parts.map((p) => ({ shape: x.map((d, i) => (i === axis ? p : d)) }));
    }
    case 'ReduceMean': case 'ReduceSum': case 'ReduceMax': case 'ReduceMin': case 'ReduceProd': case 'ReduceL2': {
      const axes = ((op === 'ReduceSum' && opset >= 13) || opset >= 18 ? vals[1] : intsAttr(n, 'axes'))?.map((a) => normAxis(a, x.length));
      const keep = intAttr(n, 'keepdims', 1) === 1;
      const all = !axes || axes.length === 0;
      const shape = keep ? x.map((d, i) => (all || axes!.includes(i) ? 1 : d)) : x.filter((_, i) => !(all || axes!.includes(i)));
      return [{ shape }];
    }
    case 'Pad': {
      const pads = opset >= 11 ? vals[1] : intsAttr(n, 'pads');
      if (!pads) return undefined;
      return [{ shape: x.map((d, i) => d + pads[i] + pads[i + x.length]) }];
    }
    case 'Expand': {
      const target = vals[1];
      return target ? [{ shape: broadcastShapes(x, target) }] : undefined;
    }
    case 'Tile': {
      const reps = vals[1];
      return reps ? [{ shape: x.map((d, i) => d * reps[i]) }] : undefined;
    }
    case 'ConstantOfShape': {
      const target = vals[0];
      return target ? [{ shape: target.slice() }] : undefined;
    }
    case 'ArgMax': case 'ArgMin': {
      const axis = normAxis(intAttr(n, 'axis', 0), x.length);
      const keep = intAttr(n, 'keepdims', 1) === 1;
      return [{ shape: keep ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis) }];
    }
    case 'DepthToSpace': {
      const b = intAttr(n, 'blocksize', 1);
      return [{ shape: [x[0], x[1] / (b * b), x[2] * b, x[3] * b] }];
    }
    default:
      return undefined;
  }
}
