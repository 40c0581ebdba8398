import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { fuseForDispatch } from '../../src/engine';
import { floatTensor, intAttr, makeNode } from '../../src/engine/graph-edit';
import { decodeImage, toTensor } from '../../src/image';
import { PPOCRV4_DET } from '../../src/models';
import { loadOnnx, onnx, saveOnnx } from '../../src/onnx/model';
import { dbPostprocess } from '../../src/postprocess';
import { sharedPath } from '../helpers/fixtures';
import { valueInfo } from '../helpers/tiny-onnx';

// Tolerance: the rewrites are exact in real arithmetic; float32 reassociation moves results by a few ulps
// of the largest intermediate (|x| < 100 here), so 1e-4 absolute leaves a wide margin and still catches
// any algebra slip (those move results by O(1)).
const TOL = 1e-4;

function seeded(n: number, seed: number, scale = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => (((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1) * scale);
}

const ints = (name: string, values: number[]) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });

/**
 * X ─Conv3x3(pad 1)─ ·s + b ─ HardSwish as paddle2onnx writes it (Add 3, Clip 0..6, Mul x, Div 6) ─ ·s2 + b2 ─┬─ Conv1x1 (groups g) ─ Y
 *                                                                                                            └─ (when `padded`) Conv3x3 pad 1 ─ Z
 */
function blockModel(opts: { group?: number; padded?: boolean; perChannel?: boolean } = {}): onnx.IModelProto {
  const C = 4;
  const g = opts.group ?? 1;
  const scalarOrChannels = (name: string, seed: number, base: number) =>
    opts.perChannel ? floatTensor(name, [C, 1, 1], seeded(C, seed, 0.5).map((v) => v + base)) : floatTensor(name, [], new Float32Array([base]));
  const inits = [
    floatTensor('w1', [C, 3, 3, 3], seeded(C * 27, 1, 0.5)),
    floatTensor('s', [], new Float32Array([1.7])),
    floatTensor('b', [], new Float32Array([-0.3])),
    floatTensor('three', [], new Float32Array([3])),
    floatTensor('zero', [], new Float32Array([0])),
    floatTensor('six', [], new Float32Array([6])),
    scalarOrChannels('s2', 2, 0.8),
    scalarOrChannels('b2', 3, 0.25),
    floatTensor('w2', [6, C / g, 1, 1], seeded((6 * C) / g, 4)),
    floatTensor('c2', [6], seeded(6, 5)),
    floatTensor('w3', [2, C, 3, 3], seeded(2 * C * 9, 6)),
  ];
  const node = [
    makeNode('Conv', ['X', 'w1'], ['c1'], 'conv1', [ints('pads', [1, 1, 1, 1])]),
    makeNode('Mul', ['s', 'c1'], ['m1'], 'lab_mul'), // constant first, as paddle2onnx writes it
    makeNode('Add', ['m1', 'b'], ['a1'], 'lab_add'),
    makeNode('Add', ['a1', 'three'], ['h1'], 'hs_add'),
    makeNode('Clip', ['h1', 'zero', 'six'], ['h2'], 'hs_clip'),
    makeNode('Mul', ['a1', 'h2'], ['h3'], 'hs_mul'),
    makeNode('Div', ['h3', 'six'], ['h4'], 'hs_div'),
    makeNode('Mul', ['s2', 'h4'], ['m2'], 'lab2_mul'),
    makeNode('Add', ['m2', 'b2'], ['a2'], 'lab2_add'),
    makeNode('Conv', ['a2', 'w2', 'c2'], ['Y'], 'conv2', [intAttr('group', g)]),
    ...(opts.padded ? [makeNode('Conv', ['a2', 'w3'], ['Z'], 'conv3', [ints('pads', [1, 1, 1, 1])])] : []),
  ];
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 11 }],
    graph: {
      name: 'block', node, initializer: inits,
      input: [valueInfo('X', [1, 3, 8, 8])],
      output: [valueInfo('Y', [1, 6, 8, 8]), ...(opts.padded ? [valueInfo('Z', [1, 2, 8, 8])] : [])],
    },
  };
}

async function outputs(model: Uint8Array | string, feeds: Record<string, ort.Tensor>): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(model as string, { graphOptimizationLevel: 'disabled' });
  const out = await s.run(feeds);
  const values = s.outputNames.map((n) => out[n].data as Float32Array);
  await s.release();
  return values;
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const ops = (m: onnx.IModelProto) => m.graph!.node!.map((n) => n.opType);

async function assertSameFunction(before: onnx.IModelProto, after: onnx.IModelProto): Promise<void> {
  const x = new ort.Tensor('float32', seeded(3 * 64, 9, 4), [1, 3, 8, 8]);
  const a = await outputs(saveOnnx(before), { X: x });
  const b = await outputs(saveOnnx(after), { X: x });
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(maxAbs(a[i], b[i]) < TOL, `output ${i}: max |d| ${maxAbs(a[i], b[i])}`);
}

test('a paddle2onnx block becomes Conv, HardSigmoid, Mul, Conv and computes the same function', async () => {
  const source = blockModel();
  const fused = loadOnnx(saveOnnx(source));
  const report = fuseForDispatch(fused);
  assert.deepEqual(ops(fused), ['Conv', 'HardSigmoid', 'Mul', 'Conv']);
  assert.equal(report.hardswish, 1);
  assert.equal(report.affineIntoConv, 1);
  assert.deepEqual([report.nodesBefore, report.nodesAfter], [10, 4]);
  const hsig = fused.graph!.node!.find((n) => n.opType === 'HardSigmoid')!;
  // The lab scale 0.8 (with HardSwish's 1/6) went into conv1, so HardSigmoid's slope is 1/(6·0.8).
  assert.ok(Math.abs(hsig.attribute!.find((a) => a.name === 'alpha')!.f! - 1 / (6 * 0.8)) < 1e-6);
  await assertSameFunction(source, fused);
});

test('per-channel constants and grouped 1x1 Convs are absorbed channel by channel', async () => {
  const source = blockModel({ group: 2, perChannel: true });
  const fused = loadOnnx(saveOnnx(source));
  const report = fuseForDispatch(fused);
  assert.equal(report.affineIntoConv, 1);
  await assertSameFunction(source, fused);
});

test('an affine also read by a padded Conv stays: padding would see the constant shift', async () => {
  const source = blockModel({ padded: true });
  const fused = loadOnnx(saveOnnx(source));
  const report = fuseForDispatch(fused);
  assert.equal(report.affineIntoConv, 0);
  assert.ok(ops(fused).includes('Add'), `ops: ${ops(fused).join(',')}`);
  await assertSameFunction(source, fused);
});

test('PP-OCRv4 det: 330 nodes become under 190, and the detections on a real image are unchanged', async (t) => {
  const dir = sharedPath('data/ic15_train_mmocr10/images');
  if (!dir) return t.skip('shared IC15 sample not present');
  const source = loadOnnx(PPOCRV4_DET.path());
  const fused = loadOnnx(PPOCRV4_DET.path());
  const report = fuseForDispatch(fused);
  assert.equal(report.nodesBefore, 330);
  assert.ok(report.nodesAfter < 190, `nodes after: ${report.nodesAfter}`);
  assert.equal(report.hardswish, 24);
  const img = await decodeImage(path.join(dir, 'img_1.jpg'));
  const t0 = await toTensor(img, PPOCRV4_DET.input, PPOCRV4_DET.resize); // 544x960: smaller maps lose this image's text
  const [height, width] = t0.dims.slice(2);
  const x = new ort.Tensor('float32', t0.data, t0.dims);
  const [a] = await outputs(saveOnnx(source), { x });
  const [b] = await outputs(saveOnnx(fused), { x });
  assert.ok(maxAbs(a, b) < TOL, `max |d| ${maxAbs(a, b)}`);
  const boxes = (m: Float32Array) => dbPostprocess({ data: m, width, height }, { srcWidth: img.width, srcHeight: img.height });
  // Same polygons (the detections); box scores are means of the map and move by rounding only.
  const [ba, bb] = [boxes(a), boxes(b)];
  assert.ok(ba.length > 0);
  assert.deepEqual(bb.map((d) => d.points), ba.map((d) => d.points));
  for (let i = 0; i < ba.length; i++) assert.ok(Math.abs(ba[i].score - bb[i].score) < TOL);
});
