/**
 * Read-only views of an ONNX graph shared by inspection, shape propagation and lint: who produces
 * and who consumes each value, attribute values, and the contents of constant tensors.
 */
import { onnx } from './model';

/** protobufjs gives int64 fields as Long objects, numbers or strings depending on the field. */
export type LongLike = number | string | { toNumber(): number } | null | undefined;

export function toNumber(v: LongLike): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  return v.toNumber();
}

/** ONNX TensorProto.DataType numbers to names (the subset detection models use). */
export const DTYPE_NAMES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

/** Bytes per element for each data type (strings count 0: they are not parameters). */
export const DTYPE_BYTES: Record<number, number> = {
  1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 8: 0, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2,
};

/** Types that hold learned weights (int8/uint8 for quantized models); int32/int64 hold shapes and indices. */
export const WEIGHT_DTYPES: ReadonlySet<number> = new Set([1, 2, 3, 10, 11, 16]);

export const INT64 = 7;

export interface GraphIndex {
  model: onnx.IModelProto;
  graph: onnx.IGraphProto;
  nodes: onnx.INodeProto[];
  /** value name -> the node that writes it */
  producer: Map<string, onnx.INodeProto>;
  /** value name -> nodes that read it */
  consumers: Map<string, onnx.INodeProto[]>;
  /** constant tensors: initializers and Constant-node outputs, by value name */
  constants: Map<string, onnx.ITensorProto>;
  inputNames: Set<string>;
  outputNames: Set<string>;
}

export function indexGraph(model: onnx.IModelProto): GraphIndex {
  const graph = model.graph ?? {};
  const nodes = graph.node ?? [];
  const producer = new Map<string, onnx.INodeProto>();
  const consumers = new Map<string, onnx.INodeProto[]>();
  const constants = new Map<string, onnx.ITensorProto>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', t);
  for (const n of nodes) {
    for (const o of n.output ?? []) if (o) producer.set(o, n);
    for (const i of n.input ?? []) {
      if (!i) continue;
      const list = consumers.get(i) ?? [];
      list.push(n);
      consumers.set(i, list);
    }
    if (n.opType === 'Constant') {
      const t = constantTensor(n);
      if (t) constants.set(n.output?.[0] ?? '', t);
    }
  }
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  return {
    model,
    graph,
    nodes,
    producer,
    consumers,
    constants,
    // Old exporters list initializers among the inputs too; those are not real inputs.
    inputNames: new Set((graph.input ?? []).map((v) => v.name ?? '').filter((n) => !initNames.has(n))),
    outputNames: new Set((graph.output ?? []).map((v) => v.name ?? '')),
  };
}

/** The tensor a Constant node holds, from `value` or the opset-12 shorthands (value_float, value_ints …). */
function constantTensor(n: onnx.INodeProto): onnx.ITensorProto | undefined {
  const t = attr(n, 'value');
  if (t && typeof t === 'object' && !Array.isArray(t)) return t as onnx.ITensorProto;
  const f = attr(n, 'value_float');
  if (typeof f === 'number') return { dims: [], dataType: 1, floatData: [f] };
  const i = attr(n, 'value_int');
  if (typeof i === 'number') return { dims: [], dataType: INT64, int64Data: [i] };
  const fs = attr(n, 'value_floats');
  if (Array.isArray(fs)) return { dims: [fs.length], dataType: 1, floatData: fs as number[] };
  const is = attr(n, 'value_ints');
  if (Array.isArray(is)) return { dims: [is.length], dataType: INT64, int64Data: is as number[] };
  return undefined;
}

/** A readable name for a node in messages: its name, else its op and first output. */
export function nodeLabel(n: onnx.INodeProto): string {
  return n.name ? n.name : `${n.opType}(${n.output?.[0] ?? '?'})`;
}

export type AttrValue = number | string | number[] | string[] | onnx.ITensorProto | undefined;

/** The value of a node attribute, decoded by its type; undefined when absent. */
export function attr(n: onnx.INodeProto, name: string): AttrValue {
  const a = (n.attribute ?? []).find((x) => x.name === name);
  if (!a) return undefined;
  switch (a.type) {
    case onnx.AttributeProto.AttributeType.FLOAT: return a.f ?? 0;
    case onnx.AttributeProto.AttributeType.INT: return toNumber(a.i as LongLike);
    case onnx.AttributeProto.AttributeType.STRING: return Buffer.from(a.s ?? new Uint8Array()).toString('utf8');
    case onnx.AttributeProto.AttributeType.TENSOR: return a.t ?? undefined;
    case onnx.AttributeProto.AttributeType.FLOATS: return (a.floats ?? []).map(Number);
    case onnx.AttributeProto.AttributeType.INTS: return (a.ints ?? []).map((v) => toNumber(v as LongLike));
    case onnx.AttributeProto.AttributeType.STRINGS: return (a.strings ?? []).map((s) => Buffer.from(s).toString('utf8'));
    default: return undefined;
  }
}

export function intAttr(n: onnx.INodeProto, name: string, fallback: number): number {
  const v = attr(n, name);
  return typeof v === 'number' ? v : fallback;
}

export function intsAttr(n: onnx.INodeProto, name: string): number[] | undefined {
  const v = attr(n, name);
  return Array.isArray(v) ? (v as number[]) : undefined;
}

export function strAttr(n: onnx.INodeProto, name: string, fallback: string): string {
  const v = attr(n, name);
  return typeof v === 'string' ? v : fallback;
}

export function tensorDims(t: onnx.ITensorProto): number[] {
  return (t.dims ?? []).map((d) => toNumber(d as LongLike));
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/**
 * The values of a numeric tensor as plain numbers (int64 read exactly up to 2^53), or undefined for
 * types this reader does not decode (float16, strings) and external data.
 */
export function tensorValues(t: onnx.ITensorProto): number[] | undefined {
  const raw = t.rawData && t.rawData.length > 0 ? Buffer.from(t.rawData) : undefined;
  const n = elementCount(tensorDims(t));
  const type = t.dataType ?? 0;
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out: number[] = [];
    const size = DTYPE_BYTES[type];
    if (!size) return undefined;
    for (let i = 0; i < raw.byteLength / size; i++) {
      const o = i * size;
      switch (type) {
        case 1: out.push(view.getFloat32(o, true)); break;
        case 11: out.push(view.getFloat64(o, true)); break;
        case 7: out.push(Number(view.getBigInt64(o, true))); break;
        case 6: out.push(view.getInt32(o, true)); break;
        case 2: case 9: out.push(view.getUint8(o)); break;
        case 3: out.push(view.getInt8(o)); break;
        default: return undefined;
      }
    }
    return out;
  }
  if (t.floatData && t.floatData.length) return t.floatData.map(Number);
  if (t.int64Data && t.int64Data.length) return t.int64Data.map((v) => toNumber(v as LongLike));
  if (t.int32Data && t.int32Data.length) return t.int32Data.map(Number);
  if (t.doubleData && t.doubleData.length) return t.doubleData.map(Number);
  // An empty tensor (e.g. Resize's unused `roi`) decodes to [].
  return n === 0 ? [] : undefined;
}

/** Declared dims of a graph input/output: numbers, symbolic names, or '?' when unnamed. */
export function valueInfoDims(v: onnx.IValueInfoProto): (number | string)[] | undefined {
  const shape = v.type?.tensorType?.shape;
  if (!shape) return undefined;
  return (shape.dim ?? []).map((d) => {
    if (d.dimParam) return d.dimParam;
    // Decoded messages own only the fields that were on the wire; an unset dim is unknown, not 0.
    if (Object.prototype.hasOwnProperty.call(d, 'dimValue') && d.dimValue !== null && d.dimValue !== undefined) {
      return toNumber(d.dimValue as LongLike);
    }
    return '?';
  });
}

export function valueInfoDtype(v: onnx.IValueInfoProto): string {
  const t = v.type?.tensorType?.elemType ?? 0;
  return DTYPE_NAMES[t] ?? `type${t}`;
}
