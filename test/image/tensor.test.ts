import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeInto, roundHalfEven, targetSize, toTensor } from '../../src/image';
import { PPOCRV4_DET } from '../../src/models';

test('rounds half to even like Python (PaddleOCR relies on it)', () => {
  assert.equal(roundHalfEven(16.5), 16);
  assert.equal(roundHalfEven(17.5), 18);
  assert.equal(roundHalfEven(16.49), 16);
  assert.ok(roundHalfEven(-0.5) === 0); // 0 or -0
  assert.equal(roundHalfEven(-1.5), -2);
  assert.equal(roundHalfEven(2.5000001), 3);
});

test('resizes as PaddleOCR DetResizeForTest (limit_type max, 960, multiples of 32)', () => {
  const p = PPOCRV4_DET.resize;
  // 1280x720: ratio 0.75 → 960x540 → 540/32 = 16.875 → 17*32.
  assert.deepEqual(targetSize(1280, 720, p), { width: 960, height: 544 });
  // Never upscales; 528/32 = 16.5 rounds to 16 (half to even), 560/32 = 17.5 rounds to 18.
  assert.deepEqual(targetSize(560, 528, p), { width: 576, height: 512 });
  // Tiny images get at least one multiple.
  assert.deepEqual(targetSize(10, 10, p), { width: 32, height: 32 });
  // Portrait: the long side is the height.
  assert.deepEqual(targetSize(720, 1280, p), { width: 544, height: 960 });
});

test('normalises into BGR planes with the ImageNet constants, and pads', () => {
  const img = { data: Buffer.from([255, 0, 0, 0, 255, 0]), width: 2, height: 1 }; // red, green
  const out = new Float32Array(3 * 3 * 2);
  normalizeInto(img, PPOCRV4_DET.input, out, 3, 2, 0);
  const plane = 6;
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-5, `${a} vs ${b}`);
  // Channel 0 is blue: red pixel has B = 0.
  close(out[0], (0 - 0.485) / 0.229);
  // Channel 2 is red: red pixel has R = 1.
  close(out[2 * plane], (1 - 0.406) / 0.225);
  // Green pixel, channel 1.
  close(out[plane + 1], (1 - 0.456) / 0.224);
  // Padding column and row hold the normalised pad value.
  close(out[2], (0 - 0.485) / 0.229);
  close(out[3], (0 - 0.485) / 0.229);
  assert.deepEqual([...img.data], [255, 0, 0, 0, 255, 0], 'input not mutated');
});

test('toTensor keeps the source size for mapping boxes back', async () => {
  const data = Buffer.alloc(1280 * 720 * 3, 128);
  const t = await toTensor({ data, width: 1280, height: 720 }, PPOCRV4_DET.input, PPOCRV4_DET.resize);
  assert.deepEqual(t.dims, [1, 3, 544, 960]);
  assert.equal(t.srcWidth, 1280);
  assert.equal(t.srcHeight, 720);
  assert.equal(t.data.length, 3 * 544 * 960);
});
