import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as clip from 'polygon-clipping';
import type { Point } from '../../src/core';
import { multiArea } from '../../src/eval/geometry';
import { regionDifference, regionIntersectionArea, regionOfRing } from '../../src/eval/region';

function seeded(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
}

test('quad intersections never throw and agree with polygon-clipping wherever it succeeds', () => {
  // Small integer grids produce darts, bow-ties, collinear and repeated vertices on purpose.
  const rnd = seeded(1);
  const quad = (): Point[] => Array.from({ length: 4 }, () => [Math.floor(rnd() * 6), Math.floor(rnd() * 6)] as Point);
  let agreed = 0, clipperThrew = 0;
  for (let i = 0; i < 5000; i++) {
    const a = quad(), b = quad();
    const ours = regionIntersectionArea(regionOfRing(a), regionOfRing(b));
    assert.ok(Number.isFinite(ours) && ours >= -1e-9, `pair ${i}: ${ours}`);
    assert.ok(Math.abs(ours - regionIntersectionArea(regionOfRing(b), regionOfRing(a))) <= 1e-9, `pair ${i} not symmetric`);
    let ref: number;
    try {
      ref = multiArea(clip.intersection([a], [b]));
    } catch {
      clipperThrew++;
      continue;
    }
    assert.ok(Math.abs(ours - ref) <= 1e-9, `pair ${i} ${JSON.stringify(a)} ${JSON.stringify(b)}: ${ours} vs ${ref}`);
    agreed++;
  }
  assert.ok(agreed > 4900, `${agreed} agreed`);
  assert.ok(clipperThrew > 0, 'the fuzz no longer reaches the inputs that make polygon-clipping throw');
});

test('a bow-tie counts both lobes and a dart its true area', () => {
  const square = regionOfRing([[0, 0], [10, 0], [10, 10], [0, 10]]);
  assert.equal(regionIntersectionArea(regionOfRing([[0, 0], [10, 10], [10, 0], [0, 10]]), square), 50);
  // Dart: square with the vertex (10,10) pushed in to (5,5): area 100 - 50 = 50.
  assert.equal(regionIntersectionArea(regionOfRing([[0, 0], [10, 0], [5, 5], [0, 10]]), square), 50);
  assert.equal(regionIntersectionArea(regionOfRing([[0, 0], [10, 0], [20, 0], [5, 0]]), square), 0);
});

test('subtraction leaves holes that later intersections subtract', () => {
  const big = regionOfRing([[0, 0], [100, 0], [100, 100], [0, 100]]);
  const hole = regionOfRing([[40, 40], [60, 40], [60, 60], [40, 60]]);
  const ring = regionDifference(big, hole);
  assert.ok(ring);
  assert.equal(regionIntersectionArea(ring, big), 10000 - 400);
  assert.equal(regionIntersectionArea(ring, regionOfRing([[30, 30], [70, 30], [70, 70], [30, 70]])), 1600 - 400);
});

test('POLY rings (more than four vertices) intersect exactly', () => {
  const l: Point[] = [[0, 0], [20, 0], [20, 10], [10, 10], [10, 20], [0, 20]]; // L shape, area 300
  assert.equal(regionIntersectionArea(regionOfRing(l), regionOfRing(l)), 300);
  assert.equal(regionIntersectionArea(regionOfRing(l), regionOfRing([[5, 5], [15, 5], [15, 15], [5, 15]])), 75);
});

test('the ear-clipping fallback covers a simple ring exactly once', async () => {
  const { triangulate } = await import('../../src/eval/region');
  const { ringArea } = await import('../../src/eval/geometry');
  const rings: Point[][] = [
    [[0, 0], [20, 0], [20, 10], [10, 10], [10, 20], [0, 20]],
    [[0, 0], [10, 5], [20, 0], [15, 10], [20, 20], [10, 15], [0, 20], [5, 10]], // star-like, clockwise below
  ];
  rings.push([...rings[1]].reverse());
  for (const r of rings) {
    const tris = triangulate(r);
    assert.equal(tris.length, r.length - 2);
    const sum = tris.reduce((s, t) => s + ringArea(t), 0);
    assert.ok(Math.abs(sum - ringArea(r)) < 1e-9, `${sum} vs ${ringArea(r)}`);
  }
});
