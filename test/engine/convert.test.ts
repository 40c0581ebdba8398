import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildEngine, convertToFp16, foldForQuantization, fromHalfBits, numericalCheck, toHalfBits } from '../../src/engine';
import { constantsToInitializers } from '../../src/engine/graph-edit';
import { collectRanges, entropyThreshold } from '../../src/engine/calibrate';
import { planQdq, uint8Params } from '../../src/engine/qdq';
import { decodeImage, toTensor } from '../../src/image';
import { PPOCRV4_DET } from '../../src/models';
import { loadOnnx, saveOnnx } from '../../src/onnx/model';
import { sharedPath, tempDir } from '../helpers/fixtures';

const SIDE = 320; // small images keep the suite fast on 2 cores
const images = (n: number): string[] | undefined => {
  const dir = sharedPath('data/ic15_train_mmocr10/images');
  return dir ? ['img_1.jpg', 'img_2.jpg', 'img_3.jpg', 'img_4.jpg'].slice(0, n).map((f) => path.join(dir, f)) : undefined;
};

function randomInput(h: number, w: number): ort.Tensor {
  let s = 12345;
  const data = Float32Array.from({ length: 3 * h * w }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 4 - 2);
  return new ort.Tensor('float32', data, [1, 3, h, w]);
}

async function run(model: Uint8Array | string, x: ort.Tensor): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(model as string);
  const out = await s.run({ [s.inputNames[0]]: x });
  await s.release();
  return out[s.outputNames[0]].data as Float32Array;
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Op types of the graph onnxruntime actually runs (after its own QDQ fusions). */
async function optimizedOps(file: string): Promise<Record<string, number>> {
  const out = path.join(tempDir(), 'opt.onnx');
  const s = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'extended', optimizedModelFilePath: out });
  await s.release();
  const ops: Record<string, number> = {};
  for (const n of loadOnnx(out).graph!.node!) ops[n.opType!] = (ops[n.opType!] ?? 0) + 1;
  return ops;
}

test('half-precision bits match IEEE 754 for known values, clamping instead of overflowing', () => {
  assert.equal(toHalfBits(1), 0x3c00);
  assert.equal(toHalfBits(-2), 0xc000);
  assert.equal(toHalfBits(0.1), 0x2e66);
  assert.equal(toHalfBits(65504), 0x7bff);
  assert.equal(toHalfBits(1e7), 0x7bff);
  assert.equal(toHalfBits(1e-9), 0);
  assert.equal(fromHalfBits(0x3555), 0.333251953125);
  assert.equal(fromHalfBits(toHalfBits(2 ** -20)), 2 ** -20); // subnormal round trip
});

test('folding BatchNorm / scalar affine / Div into convolutions keeps the model output', async () => {
  const m = loadOnnx(PPOCRV4_DET.path());
  constantsToInitializers(m);
  const report = foldForQuantization(m);
  assert.equal(report.batchnorm, 3);
  assert.ok(report.mul > 0 && report.add > 0 && report.div > 0, JSON.stringify(report));
  assert.ok(!m.graph!.node!.some((n) => n.opType === 'BatchNormalization' || n.opType === 'Div'));
  const x = randomInput(96, 128);
  assert.ok(maxAbs(await run(PPOCRV4_DET.path(), x), await run(saveOnnx(m), x)) < 1e-4);
});

test('uint8 parameters put 0 on an integer and cover the range', () => {
  const p = uint8Params(-1, 3);
  assert.equal(p.zeroPoint, Math.round(1 / (4 / 255)));
  assert.ok(Math.abs(p.scale - 4 / 255) < 1e-12);
  assert.deepEqual(uint8Params(0.5, 2), { scale: 2 / 255, zeroPoint: 0 }, 'ranges always include 0');
});

test('the entropy threshold clips the sparse tail of a decaying histogram but keeps its bulk', () => {
  // Counts 1e6 * exp(-bin / 100): 99% of the mass lies below bin 460 (value 1.8 of 8); the last
  // non-empty bin is about 1380 (value 5.4). KL keeps more than the bulk and less than the tail.
  const hist = Float64Array.from({ length: 2048 }, (_, i) => Math.round(1e6 * Math.exp(-i / 100)));
  const last = hist.findLastIndex((v) => v > 0);
  const t = entropyThreshold(hist, 8, 128);
  assert.ok(t > (460 / 2048) * 8 && t < (last / 2048) * 8, `threshold ${t}`);
  const uniform = new Float64Array(2048).fill(10);
  assert.ok(entropyThreshold(uniform, 8, 128) > 7.9, 'a flat histogram is not clipped');
});

test('fp16 keeps float32 inputs and outputs, blocks Resize and the final Sigmoid, and loads', async () => {
  const m = loadOnnx(PPOCRV4_DET.path());
  const report = convertToFp16(m, ['Resize']);
  assert.equal(report.overflowed, 0);
  assert.deepEqual(report.blocked, { Resize: 6, Sigmoid: 1 });
  assert.ok(!m.graph!.node!.some((n) => n.opType === 'Conv' && n.input!.some((i) => i.endsWith('_cast_f32'))), 'convolutions read half');
  assert.equal(m.graph!.input![0].type!.tensorType!.elemType, 1);
  assert.equal(m.graph!.output![0].type!.tensorType!.elemType, 1);
  assert.ok(m.graph!.initializer!.filter((t) => t.dataType === 10).length > 200, 'weights are float16');
  const x = randomInput(64, 96);
  const ref = await run(PPOCRV4_DET.path(), x);
  const half = await run(saveOnnx(m), x); // onnxruntime's CPU provider loads and runs it here
  assert.ok(maxAbs(ref, half) < 0.1);
});

test('fp16 engine: numerical check against fp32 on real images', async (t) => {
  const imgs = images(2);
  if (!imgs) return t.skip('shared data ../shared/data/ic15_train_mmocr10 is missing');
  const engine = await buildEngine({ variant: 'fp16', cacheDir: tempDir() });
  const r = await numericalCheck(engine, imgs, { side: SIDE });
  assert.equal(r.images, 2);
  assert.equal(r.ranOn, 'cpu (fp16 emulated)');
  assert.equal(r.outputs[0].name, 'sigmoid_0.tmp_0');
  assert.ok(r.outputs[0].maxAbs > 0, 'half precision changes something');
  assert.ok(r.outputs[0].meanAbs < 1e-3, JSON.stringify(r.outputs));
  assert.ok(r.outputs[0].flipRate < 1e-3, JSON.stringify(r.outputs));
  const direct = await numericalCheck(engine, imgs.slice(0, 1), { side: SIDE, fp16: 'engine' });
  assert.equal(direct.ranOn, 'cpu');
  assert.ok(direct.outputs[0].meanAbs < 1e-3, JSON.stringify(direct.outputs));
});

test('int8 engine: calibrated QDQ that onnxruntime fuses into integer kernels, close to fp32', async (t) => {
  const imgs = images(4);
  if (!imgs) return t.skip('shared data ../shared/data/ic15_train_mmocr10 is missing');
  const dir = path.dirname(imgs[0]);
  const engine = await buildEngine({ variant: 'int8', calibration: dir, calibrationSize: 4, calibrationSide: SIDE, cacheDir: tempDir() });
  assert.equal(engine.precision, 'int8');
  const calib = (engine.buildOptions.calibration as { images: { name: string }[] }).images.map((i) => i.name);
  assert.deepEqual(calib, ['img_1.jpg', 'img_2.jpg', 'img_3.jpg', 'img_4.jpg'], 'first N images in natural order');
  const ops = await optimizedOps(engine.modelPath);
  assert.equal(ops.QLinearConv, 62, JSON.stringify(ops));
  assert.equal(ops.Conv ?? 0, 0, 'no convolution is left in float');
  assert.ok(ops.QLinearAdd > 0 && ops.QLinearMul > 0);
  const r = await numericalCheck(engine, imgs.slice(0, 2), { side: SIDE });
  assert.ok(r.outputs[0].meanAbs < 0.01, JSON.stringify(r.outputs));
  assert.ok(r.outputs[0].flipRate < 0.01, JSON.stringify(r.outputs));
  assert.ok(fs.statSync(engine.modelPath).size < 0.4 * fs.statSync(PPOCRV4_DET.path()).size, 'int8 weights shrink the file');
});

test('int8 calibration methods give different engines (and cache keys)', async (t) => {
  const imgs = images(2);
  if (!imgs) return t.skip('shared data ../shared/data/ic15_train_mmocr10 is missing');
  const cacheDir = tempDir();
  const common = { variant: 'int8' as const, calibration: path.dirname(imgs[0]), calibrationSize: 2, calibrationSide: 160, cacheDir };
  const a = await buildEngine({ ...common, calibrationMethod: 'minmax' });
  const b = await buildEngine({ ...common, calibrationMethod: 'percentile' });
  assert.notEqual(a.key, b.key);
  assert.equal(b.cacheHit, false);
  assert.match(b.rebuiltBecause ?? '', /build options changed \(calibration\)/);
  assert.notEqual(a.files[0].sha256, b.files[0].sha256);
  assert.notEqual(a.modelPath, b.modelPath, 'engines differing only in options coexist in the cache');
  assert.ok(fs.existsSync(a.modelPath) && fs.existsSync(b.modelPath));
  assert.equal((await buildEngine({ ...common, calibrationMethod: 'minmax' })).cacheHit, true);
});

test('percentile calibration ranges lie inside the minmax ranges and clip some outlier tails', async (t) => {
  const imgs = images(2);
  if (!imgs) return t.skip('shared data ../shared/data/ic15_train_mmocr10 is missing');
  const model = loadOnnx(PPOCRV4_DET.path());
  constantsToInitializers(model);
  foldForQuantization(model);
  const plan = planQdq(model, ['ConvTranspose', 'Sigmoid']);
  const policy = { ...PPOCRV4_DET.resize, limitType: 'max' as const, limitSideLen: 160 };
  const feeds = [];
  for (const f of imgs) {
    const x = await toTensor(await decodeImage(f), PPOCRV4_DET.input, policy);
    feeds.push({ [PPOCRV4_DET.input.name]: new ort.Tensor('float32', x.data, x.dims) });
  }
  const settings = { percentile: 99.99, bins: 2048, threads: 0 };
  const mm = await collectRanges(model, plan.tensors, feeds, { ...settings, method: 'minmax' });
  const pc = await collectRanges(model, plan.tensors, feeds, { ...settings, method: 'percentile' });
  let narrower = 0;
  for (const name of plan.tensors) {
    const [a, b] = [mm.get(name)!, pc.get(name)!];
    assert.ok(a[0] <= 0 && a[1] >= 0 && b[0] <= 0 && b[1] >= 0, `${name}: ranges contain 0`);
    // One histogram bin of slack: percentile reports a bin's upper edge.
    const bin = (a[1] - a[0]) / settings.bins;
    assert.ok(b[0] >= a[0] - bin && b[1] <= a[1] + bin, `${name}: percentile [${b}] inside minmax [${a}]`);
    if (b[1] - b[0] < 0.9 * (a[1] - a[0])) narrower++;
  }
  assert.ok(narrower > 0, 'the 99.99th percentile clips the tail of at least one activation');
});
