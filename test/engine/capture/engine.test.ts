import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { CapturedEngine, OrtCApi, splitForCapture } from '../../../src/engine/capture';
import { transformIoFile } from '../../../src/engine/io';
import { OptionError, ProviderError } from '../../../src/core';
import { decodeImage, resizeRgb } from '../../../src/image';
import { PPOCRV4_DET } from '../../../src/models';

const IMAGES = path.resolve(__dirname, '../../../../shared/data/ic15_train_mmocr10/images');
// 480x640 keeps each CPU run near 0.1 s and still finds text in the IC15 images.
const [H, W] = [480, 640];

function images(t: { skip(msg: string): void }): string[] | undefined {
  if (!fs.existsSync(IMAGES)) {
    if (process.env.CI === 'true') throw new Error(`${IMAGES} is missing (CI must have ../shared/data)`);
    t.skip('shared test images not present');
    return undefined;
  }
  return fs.readdirSync(IMAGES).filter((f) => f.endsWith('.jpg')).sort().slice(0, 2).map((f) => path.join(IMAGES, f));
}

test('the C API table is the one of the onnxruntime that onnxruntime-node loads', () => {
  const api = OrtCApi.load();
  assert.equal(api.version, require('onnxruntime-node/package.json').version);
  assert.ok(fs.existsSync(api.libraryPath));
});

test('the three capture graphs load, and prologue + core + readback equal the whole transformed model', async () => {
  const g = splitForCapture(PPOCRV4_DET.path(), { input: 'packed-nhwc', output: 'packed-uint8' });
  const open = (b: Uint8Array) => ort.InferenceSession.create(b);
  const [pro, core, back, whole] = await Promise.all([open(g.prologue), open(g.core), open(g.readback), open(transformIoFile(PPOCRV4_DET.path(), { input: 'packed-nhwc', output: 'packed-uint8' }))]);
  try {
    assert.deepEqual([pro.inputNames, pro.outputNames], [[g.names.input], [g.names.x]]);
    assert.deepEqual([core.inputNames, core.outputNames], [[g.names.x], [g.names.y]]);
    assert.deepEqual([back.inputNames, back.outputNames], [[g.names.y], [g.names.output]]);
    const bytes = new Uint32Array((H * W * 3) / 4);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (Math.imul(i, 2654435761) >>> 0);
    const feed = new ort.Tensor('uint32', bytes, [1, H, (W * 3) / 4]);
    const x = (await pro.run({ [g.names.input]: feed }))[g.names.x];
    assert.deepEqual(x.dims, [1, 3, H, W]);
    const y = (await core.run({ [g.names.x]: x }))[g.names.y];
    const out = (await back.run({ [g.names.y]: y }))[g.names.output];
    const ref = (await whole.run({ [whole.inputNames[0]]: feed }))[whole.outputNames[0]];
    assert.deepEqual(out.data, ref.data);
  } finally {
    await Promise.all([pro, core, back, whole].map((s) => s.release()));
  }
});

test('a captured engine (bound runs through the C API, here on the CPU) gives the whole model\'s bytes image after image', async (t) => {
  const files = images(t);
  if (!files) return;
  const engine = CapturedEngine.create(PPOCRV4_DET.path(), { shape: [1, H, W], provider: 'cpu', capture: false });
  const whole = await ort.InferenceSession.create(transformIoFile(PPOCRV4_DET.path(), { input: 'packed-nhwc', output: 'packed-uint8' }));
  try {
    assert.equal(engine.input.length, H * W * 3);
    assert.equal(engine.uploadPath.path, 'onnxruntime');
    assert.match(engine.uploadPath.reason, /cpu provider/);
    assert.equal(engine.output.length, H * W);
    const seen: string[] = [];
    for (const f of [...files, files[0]]) {
      const rgb = await resizeRgb(await decodeImage(f), W, H);
      engine.input.set(rgb.data);
      const stages = engine.runTimed();
      assert.ok(Object.values(stages).every((ms) => ms >= 0));
      const words = new Uint32Array(rgb.data.buffer.slice(rgb.data.byteOffset, rgb.data.byteOffset + rgb.data.byteLength));
      const ref = (await whole.run({ [whole.inputNames[0]]: new ort.Tensor('uint32', words, [1, H, (W * 3) / 4]) }))[whole.outputNames[0]];
      const refBytes = new Uint8Array((ref.data as Uint32Array).buffer, (ref.data as Uint32Array).byteOffset, H * W);
      assert.deepEqual(Buffer.from(engine.output), Buffer.from(refBytes), `${path.basename(f)}: engine output differs from the whole model`);
      assert.ok(refBytes.some((v) => v > 76), `${path.basename(f)}: no text found, the comparison would prove little`);
      seen.push(Buffer.from(engine.output).toString('base64').slice(0, 64) + engine.output.reduce((a, b) => a + b, 0));
    }
    assert.notEqual(seen[0], seen[1], 'two different images gave the same output');
    assert.equal(seen[0], seen[2], 'the same image gave a different output the second time');
  } finally {
    engine.dispose();
    await whole.release();
  }
  assert.throws(() => engine.run(), ProviderError);
});

test('captured engine options are checked before anything is opened', () => {
  assert.throws(() => CapturedEngine.create(PPOCRV4_DET.path(), { provider: 'cpu' }), (e: Error) => e instanceof OptionError && /Graph capture needs the webgpu provider/.test(e.message));
  assert.throws(() => CapturedEngine.create(PPOCRV4_DET.path(), { shape: [1, 64, 66], provider: 'cpu', capture: false }), (e: Error) => e instanceof OptionError && /divisible by 4/.test(e.message));
  assert.throws(() => CapturedEngine.create(PPOCRV4_DET.path(), { shape: [1, 0, 64] }), OptionError);
  assert.throws(() => CapturedEngine.create(PPOCRV4_DET.path(), { provider: 'cuda' as 'cpu', capture: false }), (e: Error) => /"webgpu", "cpu"/.test(e.message));
  assert.throws(() => CapturedEngine.create(PPOCRV4_DET.path(), { provider: 'cpu', capture: false, upload: 'queue' }), (e: Error) => e instanceof OptionError && /queue upload path needs the webgpu provider/.test(e.message));
  assert.throws(() => CapturedEngine.create(PPOCRV4_DET.path(), { upload: 'dma' as 'queue' }), (e: Error) => /"auto", "onnxruntime", "queue"/.test(e.message));
});

test('without a GPU the captured WebGPU engine fails with one clear line (with a GPU it runs)', () => {
  let engine: CapturedEngine | undefined;
  try {
    engine = CapturedEngine.create(PPOCRV4_DET.path(), { shape: [1, 64, 64] });
  } catch (err) {
    assert.ok(err instanceof ProviderError);
    assert.match(err.message, /^Cannot create a captured webgpu engine: no WebGPU adapter/);
    return;
  }
  engine.run();
  assert.equal(engine.output.length, 64 * 64);
  assert.deepEqual(engine.uploadPath, { path: 'queue', reason: '' }, 'on linux-x64 the direct upload path is found and verified');
  engine.dispose();
});

test('a Detector with capture runs captured engines on webgpu only, and says so before opening anything', async () => {
  const { Detector } = await import('../../../src/pipeline');
  await assert.rejects(Detector.create({ capture: true }), (e: Error) => e instanceof OptionError && /webgpu provider, not cpu/.test(e.message));
  let detector: Awaited<ReturnType<typeof Detector.create>> | undefined;
  try {
    detector = await Detector.create({ capture: true, provider: 'webgpu' });
  } catch (err) {
    assert.match((err as Error).message, /no WebGPU adapter/);
    return;
  }
  // With a GPU: packed formats by default, and results name the captured provider.
  assert.deepEqual(detector.options.io, { input: 'packed-nhwc', output: 'packed-uint8' });
  assert.equal(detector.provider, 'webgpu-graph');
  await detector.dispose();
});
