import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { connectedComponents, componentBounds, labelImage, type Raster } from '../../src/geometry';
import { InputError, OptionError } from '../../src/core';
import { seededRandom } from '../../src/stats';

/** Reference labelling by breadth-first flood fill, components numbered in raster order. */
function floodLabels(r: Raster, threshold: number, conn: 4 | 8): Int32Array {
  const { width: w, height: h, data } = r;
  const out = new Int32Array(w * h);
  let next = 0;
  const nb = conn === 8 ? [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]] : [[1, 0], [-1, 0], [0, 1], [0, -1]];
  for (let i = 0; i < w * h; i++) {
    if (!(data[i] > threshold) || out[i]) continue;
    out[i] = ++next;
    const queue = [i];
    while (queue.length) {
      const j = queue.pop()!;
      const x = j % w;
      const y = (j / w) | 0;
      for (const [dx, dy] of nb) {
        const X = x + dx;
        const Y = y + dy;
        if (X < 0 || Y < 0 || X >= w || Y >= h) continue;
        const k = Y * w + X;
        if (data[k] > threshold && !out[k]) {
          out[k] = next;
          queue.push(k);
        }
      }
    }
  }
  return out;
}

function randomBlobs(w: number, h: number, seed: number): Raster {
  const rand = seededRandom(seed);
  const data = new Float32Array(w * h);
  for (let i = 0; i < data.length; i++) data[i] = rand() * 0.5;
  return { data, width: w, height: h };
}

for (const conn of [4, 8] as const) {
  test(`labels ${conn}-connected components like a flood fill, numbered in raster order`, () => {
    for (const seed of [1, 2, 3]) {
      const r = randomBlobs(67, 41, seed);
      const ours = labelImage(connectedComponents(r, { threshold: 0.3, connectivity: conn }));
      assert.deepEqual(ours, floodLabels(r, 0.3, conn), `seed ${seed}`);
    }
  });
}

test('counts areas and bounds, and keeps a ring with a hole as one component', () => {
  const w = 20;
  const data = new Uint8Array(w * 10);
  for (let y = 2; y <= 7; y++) for (let x = 3; x <= 12; x++) data[y * w + x] = 1;
  for (let y = 4; y <= 5; y++) for (let x = 6; x <= 8; x++) data[y * w + x] = 0;
  data[9 * w + 19] = 1; // lone pixel in the corner
  const c = connectedComponents({ data, width: w, height: 10 });
  assert.equal(c.count, 2);
  assert.equal(c.area[0], 60 - 6);
  assert.deepEqual(componentBounds(c, 0), { x0: 3, y0: 2, x1: 12, y1: 7 });
  assert.deepEqual(componentBounds(c, 1), { x0: 19, y0: 9, x1: 19, y1: 9 });
});

test('treats float32 values just above the threshold as foreground and NaN as background', () => {
  const t = 0.3;
  const justAbove = Math.fround(0.3); // 0.30000001192..., which is > 0.3
  const data = new Float32Array([justAbove, 0.2999999, NaN, 0.9, -0.5, Infinity]);
  const c = connectedComponents({ data, width: 6, height: 1 }, { threshold: t, connectivity: 4 });
  assert.deepEqual(Array.from(labelImage(c)), [1, 0, 0, 2, 0, 3].map((v) => (v ? v : 0)));
});

test('does not modify its input', () => {
  const r = randomBlobs(30, 20, 9);
  const before = Float32Array.from(r.data as Float32Array);
  connectedComponents(r, { threshold: 0.3 });
  assert.deepEqual(r.data, before);
});

test('rejects a raster whose data does not match its size, and an unknown connectivity', () => {
  assert.throws(
    () => connectedComponents({ data: new Float32Array(5), width: 2, height: 2 }),
    (e: unknown) => e instanceof InputError && /5 values/.test(e.message),
  );
  assert.throws(
    () => connectedComponents({ data: new Float32Array(4), width: 2, height: 2 }, { connectivity: 6 as never }),
    (e: unknown) => e instanceof OptionError && /4, 8 for connectivity/.test(e.message),
  );
  assert.throws(
    () => connectedComponents({ data: new Float32Array(4), width: 2, height: 2 }, { treshold: 1 } as never),
    (e: unknown) => e instanceof OptionError && /valid options: threshold, connectivity/.test(e.message),
  );
});
