import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { componentHull, connectedComponents, convexHull, minAreaRect, minAreaRectOfHull, orderCorners, polygonArea } from '../../src/geometry';
import type { Point } from '../../src/core';
import { seededRandom } from '../../src/stats';

/** Reference: smallest rectangle area over directions sampled every 0.01 degree. */
function bruteMinArea(points: Point[]): number {
  let best = Infinity;
  for (let k = 0; k < 9000; k++) {
    const a = (k / 9000) * Math.PI * 0.5;
    const c = Math.cos(a);
    const s = Math.sin(a);
    let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
    for (const [x, y] of points) {
      const u = x * c + y * s;
      const v = -x * s + y * c;
      u0 = Math.min(u0, u); u1 = Math.max(u1, u); v0 = Math.min(v0, v); v1 = Math.max(v1, v);
    }
    best = Math.min(best, (u1 - u0) * (v1 - v0));
  }
  return best;
}

test('convex hull drops interior and collinear points and runs clockwise on screen', () => {
  const pts: Point[] = [[0, 0], [5, 0], [10, 0], [10, 10], [0, 10], [5, 5], [3, 7], [0, 5]];
  const before = JSON.stringify(pts);
  const hull = convexHull(pts);
  assert.equal(JSON.stringify(pts), before, 'input untouched');
  assert.equal(hull.length, 4);
  assert.deepEqual(new Set(hull.map((p) => p.join(','))), new Set(['0,0', '10,0', '10,10', '0,10']));
  assert.equal(polygonArea(hull), 100);
});

test("a component's hull from its runs equals the hull of all its pixels", () => {
  const rand = seededRandom(5);
  const w = 40;
  const data = new Uint8Array(w * 30);
  for (let k = 0; k < 6; k++) {
    const [cx, cy, r] = [8 + rand() * 24, 8 + rand() * 14, 3 + rand() * 5];
    for (let y = 0; y < 30; y++) for (let x = 0; x < w; x++) if ((x - cx) ** 2 + ((y - cy) * 1.7) ** 2 <= r * r) data[y * w + x] = 1;
  }
  const c = connectedComponents({ data, width: w, height: 30 });
  for (let i = 0; i < c.count; i++) {
    const pixels: Point[] = [];
    for (let k = c.firstRun[i]; k < c.firstRun[i + 1]; k++) for (let x = c.runX0[k]; x <= c.runX1[k]; x++) pixels.push([x, c.runY[k]]);
    const a = componentHull(c, i).map((p) => p.join(',')).sort();
    const b = convexHull(pixels).map((p) => p.join(',')).sort();
    assert.deepEqual(a, b);
  }
});

test('min-area rect of a rotated rectangle recovers its corners, ordered TL, TR, BR, BL', () => {
  const deg = 30;
  const [c, s] = [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)];
  const at = (u: number, v: number): Point => [50 + u * c - v * s, 40 + u * s + v * c];
  const corners = [at(-20, -5), at(20, -5), at(20, 5), at(-20, 5)];
  const pts = [...corners, at(0, 0), at(10, 2), at(-15, -4)];
  const r = minAreaRect(pts);
  assert.ok(Math.abs(r.shortSide - 10) < 1e-9 && Math.abs(r.longSide - 40) < 1e-9);
  // get_mini_boxes: of the two leftmost corners the upper is top-left.
  const expected = [at(-20, -5), at(20, -5), at(20, 5), at(-20, 5)];
  r.corners.forEach((p, i) => assert.ok(Math.hypot(p[0] - expected[i][0], p[1] - expected[i][1]) < 1e-9, `corner ${i}`));
});

test('min-area rect matches a brute-force search over directions on random point sets', () => {
  const rand = seededRandom(11);
  for (let trial = 0; trial < 20; trial++) {
    const pts: Point[] = Array.from({ length: 5 + Math.floor(rand() * 30) }, () => [rand() * 100, rand() * 60]);
    const r = minAreaRect(pts);
    const area = r.shortSide * r.longSide;
    const ref = bruteMinArea(pts);
    assert.ok(area <= ref + 1e-6, `trial ${trial}: ${area} > brute ${ref}`);
    assert.ok(area >= ref * (1 - 1e-3), `trial ${trial}: ${area} much below brute ${ref}`);
  }
});

test('min-area rect of a segment or a point has a zero short side', () => {
  assert.equal(minAreaRectOfHull([[1, 1], [5, 4]]).shortSide, 0);
  assert.equal(minAreaRectOfHull([[1, 1], [5, 4]]).longSide, 5);
  assert.equal(minAreaRectOfHull([[2, 3]]).shortSide, 0);
});

test('orders a diamond as top, right, bottom, left', () => {
  assert.deepEqual(orderCorners([[0, 5], [5, 10], [10, 5], [5, 0]]), [[5, 0], [10, 5], [5, 10], [0, 5]]);
});
