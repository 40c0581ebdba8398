import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fillPolygon, offsetPolygon, perimeter, polygonArea, polygonMean, signedArea } from '../../src/geometry';
import { OptionError, type Point } from '../../src/core';

/** Reference: is (x, y) inside or on the closed polygon? */
function insideClosed(x: number, y: number, poly: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [a, b] = [poly[i], poly[j]];
    const cross = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
    const onSeg = Math.abs(cross) < 1e-9 && x >= Math.min(a[0], b[0]) - 1e-9 && x <= Math.max(a[0], b[0]) + 1e-9 && y >= Math.min(a[1], b[1]) - 1e-9 && y <= Math.max(a[1], b[1]) + 1e-9;
    if (onSeg) return true;
    if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

const polys: Record<string, Point[]> = {
  rect: [[2, 3], [12, 3], [12, 9], [2, 9]],
  triangle: [[1.5, 1.2], [17.3, 6.8], [4.2, 14.9]],
  concave: [[1, 1], [18, 1], [18, 14], [10, 6], [2, 14]],
  rotated: [[5.5, 0.2], [19.1, 7.3], [13.6, 17.9], [0.3, 10.4]],
  'off the edge': [[-5, -5], [8, -2], [6, 25], [-3, 12]],
};

for (const [name, poly] of Object.entries(polys)) {
  test(`rasterises the closed ${name} polygon like a point-in-polygon test of each pixel centre`, () => {
    const w = 20;
    const h = 16;
    const target = { data: new Uint8Array(w * h), width: w, height: h };
    const n = fillPolygon(target, poly, 1);
    let expected = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const ref = insideClosed(x, y, poly) ? 1 : 0;
        expected += ref;
        assert.equal(target.data[y * w + x], ref, `pixel (${x}, ${y})`);
      }
    }
    assert.equal(n, expected);
  });
}

test('polygonMean averages over the covered pixels only', () => {
  const w = 10;
  const data = new Float32Array(w * 10);
  for (let i = 0; i < data.length; i++) data[i] = i % w; // value = x
  // columns 2..5 of rows 1..3: mean of x = 3.5
  assert.equal(polygonMean({ data, width: w, height: 10 }, [[2, 1], [5, 1], [5, 3], [2, 3]]), 3.5);
  assert.equal(polygonMean({ data, width: w, height: 10 }, [[20, 20], [30, 20], [30, 30]]), 0);
});

test('offsets a rectangle with round joins: bounds grow by d, area by the perimeter band and a circle', () => {
  const rect: Point[] = [[10, 20], [110, 20], [110, 50], [10, 50]];
  const d = 7;
  const out = offsetPolygon(rect, d);
  assert.equal(out.length, 1);
  const xs = out[0].map((p) => p[0]);
  const ys = out[0].map((p) => p[1]);
  assert.ok(Math.abs(Math.min(...xs) - 3) <= 0.25 && Math.abs(Math.max(...xs) - 117) <= 0.25);
  assert.ok(Math.abs(Math.min(...ys) - 13) <= 0.25 && Math.abs(Math.max(...ys) - 57) <= 0.25);
  const exact = 100 * 30 + perimeter(rect) * d + Math.PI * d * d;
  assert.ok(Math.abs(polygonArea(out[0]) - exact) / exact < 0.01, `area ${polygonArea(out[0])} vs ${exact}`);
  assert.ok(signedArea(out[0]) > 0, 'clockwise on screen');
});

test('a shrink larger than the polygon leaves nothing', () => {
  assert.deepEqual(offsetPolygon([[0, 0], [10, 0], [10, 4], [0, 4]], -3), []);
});

test('rejects an unknown join, listing the valid ones', () => {
  assert.throws(
    () => offsetPolygon([[0, 0], [1, 0], [1, 1]], 1, { join: 'curly' as never }),
    (e: unknown) => e instanceof OptionError && /"round", "square", "miter", "bevel"/.test(e.message),
  );
});
