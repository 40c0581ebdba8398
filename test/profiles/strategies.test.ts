import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../src/core';
import { PPOCRV4_DET } from '../../src/models';
import type { RgbImage } from '../../src/image';
import { bucketed, dynamic, fixed, profileChartSpec, profileFrame, profileRows, type Profile } from '../../src/profiles';

function image(width: number, height: number, value = 200): RgbImage {
  return { data: Buffer.alloc(width * height * 3, value), width, height };
}
const bucket = (name: string, h: number, w: number): Profile => ({ name, shapes: { x: { min: [1, 3, 32, 32], opt: [1, 3, h, w], max: [1, 3, h, w] } } });
const box = (x: number, y: number) => ({ score: 0.9, points: [[0, 0], [x, 0], [x, y], [0, y]] as [number, number][] });

test('dynamic: the policy shape, and boxes map back to the original size', async () => {
  const img = image(1280, 720);
  const { tensor, unmap } = await dynamic(img, { model: PPOCRV4_DET });
  assert.deepEqual(tensor.dims, [1, 3, 544, 960]);
  assert.deepEqual(unmap(box(960, 544)).points[2], [1280, 720]);
  assert.equal(img.width, 1280, 'the image is not modified');
});

test('bucketed: pads to the smallest bucket that holds the shape, with the normalised pad value', async () => {
  const { tensor, unmap } = await bucketed(image(100, 100), { model: PPOCRV4_DET, profiles: [bucket('big', 256, 256), bucket('small', 128, 128)] });
  // 100 px rounds to 96 (3 x 32); the 128 bucket is the smallest that holds 96x96.
  assert.deepEqual(tensor.dims, [1, 3, 128, 128]);
  assert.equal(tensor.contentWidth, 96);
  const padded = tensor.data[127]; // first row, last column: padding with value 0
  const blueMean = PPOCRV4_DET.input.mean[0];
  assert.ok(Math.abs(padded - (0 - blueMean) / PPOCRV4_DET.input.std[0]) < 1e-6);
  assert.ok(Math.abs(unmap(box(96, 96)).points[2][0] - 100) < 1e-9);
});

test('bucketed: an image no bucket holds is a ShapeError before any run', async () => {
  await assert.rejects(bucketed(image(1280, 720), { model: PPOCRV4_DET, profiles: [bucket('small', 128, 128)] }), (e: Error) =>
    e instanceof ShapeError && /above the profile's max 128/.test(e.message));
});

test('fixed letterbox keeps the aspect ratio; fixed resize stretches', async () => {
  const lb = await fixed(image(1280, 720), { model: PPOCRV4_DET, fixed: { width: 640, height: 640, mode: 'letterbox' } });
  assert.deepEqual(lb.tensor.dims, [1, 3, 640, 640]);
  assert.equal(lb.tensor.contentHeight, 360);
  assert.deepEqual(lb.unmap(box(640, 360)).points[2], [1280, 720]);
  const st = await fixed(image(1280, 720), { model: PPOCRV4_DET, fixed: { width: 640, height: 640, mode: 'resize' } });
  assert.deepEqual(st.unmap(box(640, 640)).points[2], [1280, 720]);
});

test('report rows, a DataFrame and a vega-lite spec of shapes with profiles', () => {
  const dist = [{ height: 128, width: 128, count: 3 }, { height: 256, width: 256, count: 1 }];
  const profiles = [{ ...bucket('small', 128, 128), coverage: 0.75, waste: 0 }, { ...bucket('big', 256, 256), coverage: 0.25, waste: 0 }];
  const rows = profileRows(dist, profiles);
  assert.deepEqual(rows.map((r) => [r.profile, r.images, r.coverage]), [['small', 3, 0.75], ['big', 1, 0.25]]);
  const df = profileFrame(dist, profiles) as { shape: number[]; columns: string[] };
  assert.deepEqual(df.shape, [2, 7]);
  assert.ok(df.columns.includes('waste'));
  const spec = profileChartSpec(dist, profiles) as { layer: { data: { values: unknown[] } }[] };
  assert.equal(spec.layer.length, 3);
  assert.equal(spec.layer[1].data.values.length, 2);
});
