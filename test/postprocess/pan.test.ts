import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { panPostprocess, type PanMaps } from '../../src/postprocess/pan';
import { InputError, OptionError } from '../../src/core';

const W = 60;
const H = 30;

interface Region { x0: number; x1: number; y0: number; y1: number } // inclusive pixel bounds

function fill(plane: Float32Array, r: Region, v: number, offset = 0): void {
  for (let y = r.y0; y <= r.y1; y++) for (let x = r.x0; x <= r.x1; x++) plane[offset + y * W + x] = v;
}

/**
 * Two text instances that touch (A: x 5..24, B: x 25..44, rows 5..14), each with a 10x4 kernel in
 * its middle and its own embedding (A at the origin, B 10 away on channel 0); plus a kernel-less
 * text blob C that must be dropped.
 */
function scene(opts: { bText?: number; bKernel?: boolean; bEmb?: number } = {}): PanMaps {
  const text = new Float32Array(W * H).fill(0.05);
  const kernel = new Float32Array(W * H).fill(0.05);
  const embedding = new Float32Array(4 * W * H);
  const A = { x0: 5, x1: 24, y0: 5, y1: 14 };
  const B = { x0: 25, x1: 44, y0: 5, y1: 14 };
  fill(text, A, 0.95);
  fill(text, B, opts.bText ?? 0.95);
  fill(text, { x0: 50, x1: 57, y0: 20, y1: 27 }, 0.95);
  fill(kernel, { x0: 10, x1: 19, y0: 8, y1: 11 }, 0.9);
  if (opts.bKernel ?? true) fill(kernel, { x0: 30, x1: 39, y0: 8, y1: 11 }, 0.9);
  fill(embedding, B, opts.bEmb ?? 10, 0);
  return { text, kernel, embedding, width: W, height: H };
}

const same = { srcWidth: W, srcHeight: H };
const sortByX = (boxes: { points: number[][] }[]) => [...boxes].sort((a, b) => a.points[0][0] - b.points[0][0]);

test('separates touching text instances by kernel and embedding, and drops text without a kernel', () => {
  const boxes = sortByX(panPostprocess(scene(), same));
  assert.equal(boxes.length, 2);
  assert.deepEqual(boxes[0].points, [[5, 5], [25, 5], [25, 15], [5, 15]]);
  assert.deepEqual(boxes[1].points, [[25, 5], [45, 5], [45, 15], [25, 15]]);
  for (const b of boxes) assert.ok(Math.abs(b.score - 0.95) < 1e-6);
});

test('aggregates only pixels within distThreshold of the kernel embedding', () => {
  // B has no kernel: with the PAN++ threshold (3) A stops at B's embedding edge; with 20 it absorbs B.
  const strict = panPostprocess(scene({ bKernel: false }), same);
  assert.deepEqual(strict.map((b) => b.points), [[[5, 5], [25, 5], [25, 15], [5, 15]]]);
  const loose = panPostprocess(scene({ bKernel: false }), same, { distThreshold: 20 });
  assert.deepEqual(loose.map((b) => b.points), [[[5, 5], [45, 5], [45, 15], [5, 15]]]);
});

test('filters instances by mean text score, area and kernel area', () => {
  assert.equal(panPostprocess(scene({ bText: 0.6 }), same).length, 1, 'B scores 0.6 < 0.85');
  assert.equal(panPostprocess(scene({ bText: 0.6 }), same, { minScore: 0.5 }).length, 2);
  assert.equal(panPostprocess(scene(), same, { minArea: 201 }).length, 0, 'each instance has 200 pixels');
  assert.equal(panPostprocess(scene(), same, { minArea: 200 }).length, 2);
  assert.equal(panPostprocess(scene(), same, { minKernelArea: 41 }).length, 0, 'kernels have 40 pixels');
});

test('maps boxes back to the original image size and ignores padding outside the valid region', () => {
  const boxes = sortByX(panPostprocess(scene(), { srcWidth: 120, srcHeight: 60 }));
  assert.deepEqual(boxes[0].points, [[10, 10], [50, 10], [50, 30], [10, 30]]);
  // only the left 25 columns are image: B is cut off at its first column, A keeps its box
  const cut = panPostprocess(scene(), { srcWidth: 25, srcHeight: 30, validWidth: 25, validHeight: 30 });
  assert.deepEqual(cut.map((b) => b.points), [[[5, 5], [25, 5], [25, 15], [5, 15]]]);
});

test('returns polygons inside each instance in poly mode', () => {
  const boxes = sortByX(panPostprocess(scene(), same, { boxType: 'poly' }));
  assert.equal(boxes.length, 2);
  for (const [b, [x0, x1]] of boxes.map((b, i) => [b, i === 0 ? [5, 24] : [25, 44]] as const)) {
    assert.ok(b.points.length >= 4);
    for (const [x, y] of b.points) assert.ok(x >= x0 && x <= x1 + 1 && y >= 5 && y <= 15, `${x},${y}`);
  }
});

test('does not modify its input maps', () => {
  const maps = scene();
  const copy = { text: maps.text.slice(), kernel: maps.kernel.slice(), embedding: maps.embedding.slice() };
  panPostprocess(maps, same);
  panPostprocess(maps, same, { boxType: 'poly' });
  assert.deepEqual(maps.text, copy.text);
  assert.deepEqual(maps.kernel, copy.kernel);
  assert.deepEqual(maps.embedding, copy.embedding);
});

test('rejects maps of the wrong size and misspelled or out-of-range options', () => {
  const maps = scene();
  assert.throws(() => panPostprocess({ ...maps, embedding: new Float32Array(W * H) }, same), (e: unknown) =>
    e instanceof InputError && /maps.embedding must be a Float32Array of 7200 values \(4x30x60\)/.test(e.message));
  assert.throws(() => panPostprocess(maps, same, { distThresh: 3 } as never), (e: unknown) =>
    e instanceof OptionError && /Unknown option "distThresh".*distThreshold/.test(e.message));
  assert.throws(() => panPostprocess(maps, same, { minScore: 2 }), (e: unknown) =>
    e instanceof OptionError && /between 0 and 1 for minScore/.test(e.message));
  assert.throws(() => panPostprocess(maps, same, { boxType: 'rect' as never }), (e: unknown) =>
    e instanceof OptionError && /"quad", "poly"/.test(e.message));
});
