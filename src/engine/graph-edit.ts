/**
 * Small, mutable views of an ONNX graph for the converters (fp16, int8): constant tensors as typed
 * arrays, producer/consumer maps, and builders for new tensors and nodes. Reading and writing the
 * model itself stays in `src/onnx/model.ts` (protobufjs + the official schema).
 */
import { ModelError } from '../core';
import { onnx } from '../onnx/model';

/** TensorProto.DataType numbers used here. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10 } as const;

type LongLike = number | string | { toNumber(): number } | null | undefined;

export function num(v: LongLike): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  return v.toNumber();
}

export function dimsOf(t: onnx.ITensorProto): number[] {
  return (t.dims ?? []).map((d) => num(d as LongLike));
}

/** The values of a float32 tensor (raw_data or float_data). */
export function floatsOf(t: onnx.ITensorProto): Float32Array {
  if (t.dataType !== DT.FLOAT) throw new ModelError(`Tensor ${t.name} is not float32 (data type ${t.dataType})`);
  if (t.rawData && t.rawData.length > 0) {
    // Copy: raw_data may sit at an unaligned offset inside the decoded buffer.
    const bytes = Uint8Array.from(t.rawData);
    return new Float32Array(bytes.buffer, 0, bytes.length / 4);
  }
  return Float32Array.from(t.floatData ?? []);
}

/** The values of an int64 tensor, as numbers. */
export function int64sOf(t: onnx.ITensorProto): number[] {
  if (t.rawData && t.rawData.length > 0) {
    const bytes = Uint8Array.from(t.rawData);
    return Array.from(new BigInt64Array(bytes.buffer, 0, bytes.length / 8), (v) => Number(v));
  }
  return (t.int64Data ?? []).map((v) => num(v as LongLike));
}

function raw(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

export function makeTensor(name: string, dataType: number, dims: number[], data: ArrayBufferView): onnx.TensorProto {
  return onnx.TensorProto.create({ name, dataType, dims, rawData: raw(data) });
}

export const floatTensor = (name: string, dims: number[], data: Float32Array): onnx.TensorProto => makeTensor(name, DT.FLOAT, dims, data);

export function makeNode(opType: string, inputs: string[], outputs: string[], name: string, attrs: onnx.IAttributeProto[] = []): onnx.NodeProto {
  return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name, attribute: attrs });
}

export function intAttr(name: string, value: number): onnx.AttributeProto {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
}

export function floatAttr(name: string, value: number): onnx.AttributeProto {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value });
}

export function getAttr(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function intsOf(node: onnx.INodeProto, name: string): number[] | undefined {
  const a = getAttr(node, name);
  return a ? (a.ints ?? []).map((v) => num(v as LongLike)) : undefined;
}

export function intOf(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = getAttr(node, name);
  return a && a.i !== undefined && a.i !== null ? num(a.i as LongLike) : fallback;
}

export function floatOf(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = getAttr(node, name);
  return a && typeof a.f === 'number' ? a.f : fallback;
}

/**
 * Turns `Constant` nodes into initializers (paddle2onnx stores every weight as a Constant node),
 * so that weights can be found, folded and quantized in one place. Mutates `model`.
 */
export function constantsToInitializers(model: onnx.IModelProto): void {
  const graph = model.graph!;
  const kept: onnx.INodeProto[] = [];
  graph.initializer = graph.initializer ?? [];
  for (const n of graph.node ?? []) {
    const value = n.opType === 'Constant' ? getAttr(n, 'value') : undefined;
    if (value?.t) {
      graph.initializer.push(onnx.TensorProto.create({ ...value.t, name: n.output![0] }));
    } else {
      kept.push(n);
    }
  }
  graph.node = kept;
}

/** Producer, consumers and constants of a graph, rebuilt on demand after edits. */
export class GraphView {
  readonly producer = new Map<string, onnx.INodeProto>();
  readonly consumers = new Map<string, onnx.INodeProto[]>();
  readonly inits = new Map<string, onnx.ITensorProto>();
  readonly outputs: Set<string>;

  constructor(readonly graph: onnx.IGraphProto) {
    for (const t of graph.initializer ?? []) this.inits.set(t.name!, t);
    for (const n of graph.node ?? []) {
      for (const o of n.output ?? []) if (o) this.producer.set(o, n);
      for (const i of n.input ?? []) {
        if (!i) continue;
        const list = this.consumers.get(i) ?? [];
        list.push(n);
        this.consumers.set(i, list);
      }
    }
    this.outputs = new Set((graph.output ?? []).map((o) => o.name!));
  }

  /** Consumers of `name`, counting a graph output as one more reader. */
  readers(name: string): number {
    return (this.consumers.get(name)?.length ?? 0) + (this.outputs.has(name) ? 1 : 0);
  }

  isConst(name: string): boolean {
    return this.inits.has(name);
  }

  /** A float constant's values when `name` is an initializer of at most `maxSize` elements. */
  constFloats(name: string, maxSize = Infinity): Float32Array | undefined {
    const t = this.inits.get(name);
    if (!t || t.dataType !== DT.FLOAT) return undefined;
    const v = floatsOf(t);
    return v.length <= maxSize ? v : undefined;
  }

  setInit(t: onnx.TensorProto): void {
    const list = this.graph.initializer!;
    const i = list.findIndex((x) => x.name === t.name);
    if (i >= 0) list[i] = t;
    else list.push(t);
    this.inits.set(t.name, t);
  }
}

/** Removes initializers that no node reads any more. */
export function dropUnusedInitializers(graph: onnx.IGraphProto): void {
  const used = new Set<string>();
  for (const n of graph.node ?? []) for (const i of n.input ?? []) used.add(i);
  for (const o of graph.output ?? []) used.add(o.name!);
  graph.initializer = (graph.initializer ?? []).filter((t) => used.has(t.name!));
}

/** Sets the default-domain opset to at least `version` (QDQ per-channel needs 13). */
export function requireOpset(model: onnx.IModelProto, version: number): void {
  const imp = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  if (imp && num(imp.version as LongLike) < version) imp.version = version;
}
