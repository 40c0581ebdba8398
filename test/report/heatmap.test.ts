import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import { ShapeError } from '../../src/core';
import { probDiffHeatmap } from '../../src/report';

const map = (w: number, h: number, f: (i: number) => number) => ({ width: w, height: h, data: Float32Array.from({ length: w * h }, (_, i) => f(i)) });

test('higher engine probability is red, lower is blue, agreement is white', async () => {
  const ref = map(3, 1, () => 0.5);
  const cand = map(3, 1, (i) => [0.7, 0.3, 0.5][i]);
  const before = Array.from(cand.data);
  const r = await probDiffHeatmap(ref, cand);
  const { data, info } = await sharp(r.png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.width, 3);
  const px = (i: number) => Array.from(data.subarray(i * info.channels, i * info.channels + 3));
  assert.deepEqual(px(0), [255, 0, 0]);
  assert.deepEqual(px(1), [0, 0, 255]);
  assert.deepEqual(px(2), [255, 255, 255]);
  assert.ok(Math.abs(r.maxAbs - 0.2) < 1e-6);
  assert.match(r.caption, /red = engine higher, blue = lower/);
  assert.deepEqual(Array.from(cand.data), before, 'input unchanged');
});

test('a background image shows through, faded, where the engines agree', async () => {
  const ref = map(2, 1, () => 0.5);
  const cand = map(2, 1, (i) => (i === 0 ? 0.9 : 0.5));
  // A black 4x2 image: faded to 70% white = 178.5 → 179 (rounded), under full red where they differ.
  const background = { width: 4, height: 2, data: new Uint8Array(4 * 2 * 3) };
  const r = await probDiffHeatmap(ref, cand, { background });
  const { data, info } = await sharp(r.png).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual(Array.from(data.subarray(0, 3)), [255, 0, 0]);
  assert.deepEqual(Array.from(data.subarray(info.channels, info.channels + 3)), [179, 179, 179]);
});

test('rejects maps of different sizes with a ShapeError naming both', async () => {
  await assert.rejects(probDiffHeatmap(map(4, 2, () => 0), map(2, 4, () => 0)), (e: unknown) => e instanceof ShapeError && /reference 4x2, candidate 2x4/.test(e.message));
});
