import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Point } from '../../src/core';
import {
  asGeom,
  convexIntersectionArea,
  convexSign,
  intersectionArea,
  pointInRing,
  ringArea,
  roundHalfEven,
} from '../../src/eval/geometry';

test('the convex fast path agrees with polygon-clipping on random convex quads', () => {
  let seed = 99;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const quad = (): Point[] => {
    // A rotated rectangle with integer-rounded corners, like text boxes.
    const cx = rnd() * 100, cy = rnd() * 100, w = 5 + rnd() * 60, h = 5 + rnd() * 30, a = rnd() * Math.PI;
    const c = Math.cos(a), s = Math.sin(a);
    return [[-w, -h], [w, -h], [w, h], [-w, h]].map(([x, y]) => [Math.round(cx + x * c - y * s), Math.round(cy + x * s + y * c)] as Point);
  };
  let compared = 0;
  for (let i = 0; i < 500; i++) {
    const a = quad(), b = quad();
    const sa = convexSign(a), sb = convexSign(b);
    if (sa === 0 || sb === 0) continue;
    const fast = convexIntersectionArea(a, b, sb);
    const ref = intersectionArea(asGeom(a), asGeom(b));
    assert.ok(Math.abs(fast - ref) <= 1e-9 * Math.max(1, ref), `pair ${i}: ${fast} vs ${ref}`);
    compared++;
  }
  assert.ok(compared > 400);
});

test('convexSign rejects self-crossing, degenerate and long rings', () => {
  assert.equal(convexSign([[0, 0], [10, 0], [10, 10], [0, 10]]), 1);
  assert.equal(convexSign([[0, 0], [0, 10], [10, 10], [10, 0]]), -1);
  assert.equal(convexSign([[0, 0], [10, 10], [10, 0], [0, 10]]), 0); // bow-tie
  assert.equal(convexSign([[0, 0], [5, 0], [10, 0], [3, 0]]), 0); // collinear
  assert.equal(convexSign([[0, 0], [1, 0], [2, 1], [1, 2], [0, 1]]), 0); // > 4 vertices go to polygon-clipping
});

test('a bow-tie quad keeps the reference area (|A1 - A2|) and intersects by lobes', () => {
  const bowtie: Point[] = [[0, 0], [10, 10], [10, 0], [0, 10]];
  assert.equal(ringArea(bowtie), 0); // the two lobes cancel in the shoelace sum, as in Polygon3
  assert.equal(intersectionArea(asGeom(bowtie), asGeom([[0, 0], [10, 0], [10, 10], [0, 10]])), 50);
});

test('point-in-polygon uses half-open edges: left/bottom-of-interval inside, right/top outside', () => {
  const sq: Point[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
  assert.equal(pointInRing(sq, 5, 5), true);
  assert.equal(pointInRing(sq, 0, 5), true);
  assert.equal(pointInRing(sq, 10, 5), false);
  assert.equal(pointInRing(sq, 5, 0), true);
  assert.equal(pointInRing(sq, 5, 10), false);
});

test('roundHalfEven matches Python round()', () => {
  assert.deepEqual([0.5, 1.5, 2.5, 3.5, -0.5, 1.4999, 2.5000001].map(roundHalfEven), [0, 2, 2, 4, 0, 1, 3]);
});
