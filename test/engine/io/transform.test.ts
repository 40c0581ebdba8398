import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  DEFAULT_IO_TRANSFORM_OPTIONS, halfToFloat, imageFeed, normalizationTable, readProbability, transformIo, transformIoFile,
} from '../../../src/engine/io';
import { ModelError, OptionError } from '../../../src/core';
import { decodeImage, normalizeInto, resizeRgb, type RgbImage } from '../../../src/image';
import { PPOCRV4_DET } from '../../../src/models';
import { loadOnnx, saveOnnx } from '../../../src/onnx/model';

const IMAGE = path.resolve(__dirname, '../../../../shared/data/ic15_train_mmocr10/images/img_1.jpg');

/** A real image at a small model input size (fast on 2 cores), or a skip/fail per the CI rule. */
async function smallImage(t: { skip(msg: string): void }): Promise<RgbImage | undefined> {
  if (!fs.existsSync(IMAGE)) {
    if (process.env.CI === 'true') throw new Error(`${IMAGE} is missing (CI must have ../shared/data)`);
    t.skip(`${IMAGE} missing: shared test data not present`);
    return undefined;
  }
  return resizeRgb(await decodeImage(IMAGE), 320, 192);
}

async function probability(model: Uint8Array | string, feed: ort.Tensor, format: Parameters<typeof readProbability>[1]): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(model as Uint8Array);
  try {
    const out = await s.run({ [s.inputNames[0]]: feed });
    return Float32Array.from(readProbability(out[s.outputNames[0]], format).data);
  } finally {
    await s.release();
  }
}

test('the normalisation table equals the host normalisation bit for bit', () => {
  const lut = normalizationTable(DEFAULT_IO_TRANSFORM_OPTIONS.normalize);
  // A 1x256 image whose R, G, B run through every byte value; normalizeInto gives BGR planes.
  const data = new Uint8Array(256 * 3);
  for (let v = 0; v < 256; v++) data.set([v, (v + 85) % 256, (v + 170) % 256], v * 3);
  const out = new Float32Array(3 * 256);
  normalizeInto({ data: Buffer.from(data), width: 256, height: 1 }, PPOCRV4_DET.input, out, 256, 1);
  for (let v = 0; v < 256; v++) {
    assert.equal(out[v], lut[2 * 256 + data[v * 3 + 2]]); // B plane from source channel 2
    assert.equal(out[256 + v], lut[256 + data[v * 3 + 1]]);
    assert.equal(out[512 + v], lut[data[v * 3]]);
  }
});

test('uint8 and packed inputs give exactly the float32 model output on a real image', async (t) => {
  const img = await smallImage(t);
  if (!img) return;
  const ref = await probability(PPOCRV4_DET.path(), imageFeed('float32', img, PPOCRV4_DET.input), 'float32');
  for (const input of ['uint8-nhwc', 'uint8-nchw', 'packed-nhwc'] as const) {
    const got = await probability(transformIoFile(PPOCRV4_DET.path(), { input }), imageFeed(input, img, PPOCRV4_DET.input), 'float32');
    assert.equal(got.length, ref.length);
    const firstDiff = got.findIndex((v, i) => v !== ref[i]);
    assert.equal(firstDiff, -1, `${input}: pixel ${firstDiff} differs`);
  }
});

test('fp16 and uint8 outputs stay within their rounding of the float32 map', async (t) => {
  const img = await smallImage(t);
  if (!img) return;
  const feed = imageFeed('float32', img, PPOCRV4_DET.input);
  const ref = await probability(PPOCRV4_DET.path(), feed, 'float32');
  const tol = { float16: 2 ** -11, uint8: 0.5 / 255 + 1e-6, 'packed-uint8': 0.5 / 255 + 1e-6 } as const;
  const maps: Record<string, Float32Array> = {};
  for (const output of ['float16', 'uint8', 'packed-uint8'] as const) {
    const got = await probability(transformIoFile(PPOCRV4_DET.path(), { output }), feed, output);
    maps[output] = got;
    let max = 0;
    for (let i = 0; i < ref.length; i++) max = Math.max(max, Math.abs(got[i] - ref[i]));
    assert.ok(max <= tol[output], `${output}: max difference ${max} > ${tol[output]}`);
    assert.ok(max > 0, `${output}: identical to float32, so the output was not converted`);
  }
  // Packing four levels to a word must not change any level.
  assert.deepEqual(maps['packed-uint8'], maps.uint8);
});

test('packed output declares a quarter of the width as uint32', () => {
  const m = transformIo(loadOnnx(PPOCRV4_DET.path()), { input: 'packed-nhwc', output: 'packed-uint8' });
  const out = m.graph!.output![0];
  assert.equal(out.type!.tensorType!.elemType, 12);
  const input = m.graph!.input!.find((i) => i.name === 'image')!;
  assert.equal(input.type!.tensorType!.elemType, 12);
});

test('transformIo does not change the model it is given', () => {
  const model = loadOnnx(PPOCRV4_DET.path());
  const before = saveOnnx(model);
  transformIo(model, { input: 'uint8-nhwc', output: 'float16' });
  assert.deepEqual(saveOnnx(model), before);
});

test('rejects unknown formats and misspelled options', () => {
  const model = loadOnnx(PPOCRV4_DET.path());
  assert.throws(() => transformIo(model, { input: 'rgb8' as never }), (e: unknown) => e instanceof OptionError && /uint8-nhwc/.test((e as Error).message));
  assert.throws(() => transformIo(model, { outptu: 'float16' } as never), (e: unknown) => e instanceof OptionError && /Unknown option "outptu"/.test((e as Error).message));
});

test('refuses a model whose input is not a float32 image', () => {
  const model = transformIo(loadOnnx(PPOCRV4_DET.path()), { input: 'uint8-nhwc' });
  assert.throws(() => transformIo(model, { input: 'uint8-nhwc' }), (e: unknown) => e instanceof ModelError && /must be float32 \[N, 3, H, W\]/.test((e as Error).message));
});

test('halfToFloat decodes known float16 bit patterns', () => {
  const got = halfToFloat(new Uint16Array([0x0000, 0x3c00, 0xc000, 0x3555, 0x0001, 0x7c00]));
  assert.deepEqual([...got.slice(0, 3)], [0, 1, -2]);
  assert.ok(Math.abs(got[3] - 0.333251953125) < 1e-12);
  assert.equal(got[4], 2 ** -24);
  assert.equal(got[5], Infinity);
});
