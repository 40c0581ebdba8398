import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { connectedComponents, outerContours, signedArea } from '../../src/geometry';
import type { Point } from '../../src/core';

function mask(w: number, h: number, on: (x: number, y: number) => boolean) {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = on(x, y) ? 1 : 0;
  return { data, width: w, height: h };
}

const same = (a: Point[], b: Point[]) => assert.deepEqual(a.map((p) => p.join(',')), b.map((p) => p.join(',')));

test('traces a rectangle as its four corner pixels, clockwise from the top-left', () => {
  const c = connectedComponents(mask(12, 8, (x, y) => x >= 2 && x <= 9 && y >= 1 && y <= 5));
  const [contour] = outerContours(c);
  same(contour, [[2, 1], [9, 1], [9, 5], [2, 5]]);
});

test("keeps every border pixel with approx 'none' (2 (w + h) - 4 of them for a rectangle)", () => {
  const c = connectedComponents(mask(12, 8, (x, y) => x >= 2 && x <= 9 && y >= 1 && y <= 5));
  const [contour] = outerContours(c, { approx: 'none' });
  assert.equal(contour.length, 2 * (8 + 5) - 4);
  assert.equal(new Set(contour.map((p) => p.join(','))).size, contour.length);
});

test('traces only the outer border of a ring', () => {
  const c = connectedComponents(mask(12, 12, (x, y) => x >= 1 && x <= 10 && y >= 1 && y <= 10 && !(x >= 4 && x <= 7 && y >= 4 && y <= 7)));
  const contours = outerContours(c);
  assert.equal(contours.length, 1);
  same(contours[0], [[1, 1], [10, 1], [10, 10], [1, 10]]);
});

test('gives a one-point contour for a single pixel and follows diagonal steps', () => {
  const c = connectedComponents(mask(6, 6, (x, y) => (x === 1 && y === 1) || (x === 4 && y === 2) || (x === 3 && y === 3)));
  const cs = outerContours(c);
  same(cs[0], [[1, 1]]);
  same(cs[1], [[4, 2], [3, 3]]);
});

test('traces an L shape by its corners, cutting the inner one diagonally, clockwise on screen', () => {
  const c = connectedComponents(mask(10, 10, (x, y) => (x >= 1 && x <= 3 && y >= 1 && y <= 8) || (x >= 1 && x <= 8 && y >= 6 && y <= 8)));
  const [contour] = outerContours(c);
  // Moore tracing cuts the inner corner diagonally, as OpenCV's border following does.
  same(contour, [[1, 1], [3, 1], [3, 5], [4, 6], [8, 6], [8, 8], [1, 8]]);
  assert.ok(signedArea(contour) > 0);
});
