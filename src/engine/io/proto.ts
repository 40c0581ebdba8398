/**
 * Small builders for the nodes, constants and value infos the I/O transforms add to a graph.
 * Names are prefixed so they never collide with the model's own.
 */
import { onnx } from '../../onnx/model';

export const DT = onnx.TensorProto.DataType;
export const PREFIX = 'detbench_io/';

export function node(op: string, inputs: string[], outputs: string[], attrs: onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType: op, input: inputs, output: outputs, name: `${PREFIX}${op}_${outputs[0]}`, attribute: attrs };
}

export function intAttr(name: string, i: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

export function intsAttr(name: string, ints: number[]): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints };
}

export function floatTensor(name: string, values: Float32Array, dims: number[]): onnx.ITensorProto {
  return { name, dataType: DT.FLOAT, dims, rawData: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) };
}

export function int32Tensor(name: string, values: number[], dims: number[]): onnx.ITensorProto {
  return { name, dataType: DT.INT32, dims, int32Data: values };
}

export function uint32Tensor(name: string, values: number[], dims: number[]): onnx.ITensorProto {
  const raw = new Uint8Array(new Uint32Array(values).buffer);
  return { name, dataType: DT.UINT32, dims, rawData: raw };
}

export function int64Tensor(name: string, values: number[], dims: number[]): onnx.ITensorProto {
  return { name, dataType: DT.INT64, dims, int64Data: values };
}

/** A tensor value info; a string dim is symbolic. */
export function valueInfo(name: string, elemType: number, dims: (number | string)[]): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

/** The dims of a value info, symbolic ones as their names (or '?' when unnamed). */
export function dimsOf(vi: onnx.IValueInfoProto): (number | string)[] {
  return (vi.type?.tensorType?.shape?.dim ?? []).map((d, i) =>
    d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0 ? Number(d.dimValue) : `d${i}`,
  );
}
