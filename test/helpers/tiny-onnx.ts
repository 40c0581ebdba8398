/** Builds tiny ONNX models in memory for tests (through the project's protobuf schema). */
import { onnx, saveOnnx } from '../../src/onnx/model';

type Dim = number | string;

export function valueInfo(name: string, dims: Dim[], elemType = onnx.TensorProto.DataType.FLOAT): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

/** A model computing `output = op(input)` for a one-input unary op (Identity, Sigmoid, …). */
export function unaryModel(op: string, inDims: Dim[], outDims: Dim[] = inDims, opset = 13): Uint8Array {
  return saveOnnx({
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'detbench-test',
    graph: {
      name: 'tiny',
      node: [{ opType: op, input: ['input'], output: ['output'], name: `${op.toLowerCase()}_0` }],
      input: [valueInfo('input', inDims)],
      output: [valueInfo('output', outDims)],
    },
  });
}
