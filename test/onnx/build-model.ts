/**
 * Builds small ONNX models in tests with onnx-proto, so each lint rule and shape formula can be
 * checked on a graph that contains exactly one pitfall.
 */
import { onnx } from '../../src/onnx';

export type Dim = number | string;

export function valueInfo(name: string, dims: Dim[], elemType = 1): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

export function floatTensor(name: string, dims: number[], fill = 0.01): onnx.ITensorProto {
  const n = dims.reduce((a, b) => a * b, 1);
  return { name, dims, dataType: 1, floatData: Array.from({ length: n }, () => fill) };
}

export function int64Tensor(name: string, values: number[]): onnx.ITensorProto {
  return { name, dims: [values.length], dataType: 7, int64Data: values };
}

type AttrInput = number | number[] | string | onnx.ITensorProto;

export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrInput> = {}, name?: string): onnx.INodeProto {
  const T = onnx.AttributeProto.AttributeType;
  const attribute: onnx.IAttributeProto[] = Object.entries(attrs).map(([k, v]) => {
    if (typeof v === 'string') return { name: k, type: T.STRING, s: Buffer.from(v) };
    if (Array.isArray(v)) return { name: k, type: T.INTS, ints: v };
    if (typeof v === 'object') return { name: k, type: T.TENSOR, t: v };
    return Number.isInteger(v) ? { name: k, type: T.INT, i: v } : { name: k, type: T.FLOAT, f: v };
  });
  return { opType, input: inputs, output: outputs, attribute, name: name ?? `${opType}_${outputs[0]}` };
}

export interface GraphSpec {
  nodes: onnx.INodeProto[];
  inputs: onnx.IValueInfoProto[];
  outputs: onnx.IValueInfoProto[];
  initializers?: onnx.ITensorProto[];
  opset?: number;
}

/** A ModelProto, round-tripped through bytes so tests see what a file on disk would give. */
export function buildModel(spec: GraphSpec): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: 'detbench-test',
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }],
    graph: { name: 'g', node: spec.nodes, input: spec.inputs, output: spec.outputs, initializer: spec.initializers ?? [] },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** A clean dynamic model: Conv 3->8 (3x3, pad 1) + Relu, input [N,3,H,W]. */
export function cleanConvModel(opset = 17): Uint8Array {
  return buildModel({
    opset,
    inputs: [valueInfo('x', ['N', 3, 'H', 'W'])],
    outputs: [valueInfo('y', ['N', 8, 'H', 'W'])],
    initializers: [floatTensor('w', [8, 3, 3, 3]), floatTensor('b', [8])],
    nodes: [node('Conv', ['x', 'w', 'b'], ['c'], { pads: [1, 1, 1, 1], kernel_shape: [3, 3] }), node('Relu', ['c'], ['y'])],
  });
}
