/**
 * DB post-processing on constructed probability maps. Expected quads come from the construction
 * (the painted rectangle's pixel-centre extents) grown by the unclip distance
 * d = area * unclipRatio / perimeter, then scaled to the source size and rounded: never from the
 * code under test.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dbPostprocess, DEFAULT_DB_OPTIONS, POSTPROCESSORS, postprocessorFor, type ProbMap } from '../../src/postprocess';
import { InputError, OptionError, type Point } from '../../src/core';

function blank(width: number, height: number, value = 0): ProbMap {
  return { data: new Float32Array(width * height).fill(value), width, height };
}

/** Paints pixel centres with |u| <= halfL and |v| <= halfH around (cx, cy), u along `deg`. */
function paint(map: ProbMap, cx: number, cy: number, halfL: number, halfH: number, deg = 0, value = 0.9): void {
  const c = Math.cos((deg * Math.PI) / 180);
  const s = Math.sin((deg * Math.PI) / 180);
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) {
      const u = (x - cx) * c + (y - cy) * s;
      const v = -(x - cx) * s + (y - cy) * c;
      if (Math.abs(u) <= halfL + 1e-9 && Math.abs(v) <= halfH + 1e-9) map.data[y * map.width + x] = value;
    }
  }
}

/** Unclip distance of a w x h rectangle (DB's formula). */
const unclipDistance = (w: number, h: number, ratio = 1.5): number => (w * h * ratio) / (2 * (w + h));

function assertQuadNear(actual: Point[], expected: Point[], tol = 1): void {
  assert.equal(actual.length, 4, `expected a quad, got ${JSON.stringify(actual)}`);
  for (let i = 0; i < 4; i++) {
    const d = Math.hypot(actual[i][0] - expected[i][0], actual[i][1] - expected[i][1]);
    assert.ok(d <= tol, `corner ${i}: got ${JSON.stringify(actual[i])}, expected ${JSON.stringify(expected[i])} (all: ${JSON.stringify(actual)})`);
  }
}

test('finds an axis-aligned rectangle and grows it by the unclip distance', () => {
  const map = blank(200, 100);
  // pixels x 30..130, y 20..40: centre extents 100 x 20
  for (let y = 20; y <= 40; y++) map.data.fill(0.9, y * 200 + 30, y * 200 + 131);
  const d = unclipDistance(100, 20);
  const boxes = dbPostprocess(map, { srcWidth: 200, srcHeight: 100 });
  assert.equal(boxes.length, 1);
  assertQuadNear(boxes[0].points, [
    [30 - d, 20 - d],
    [130 + d, 20 - d],
    [130 + d, 40 + d],
    [30 - d, 40 + d],
  ]);
  assert.ok(Math.abs(boxes[0].score - 0.9) < 1e-6, `score ${boxes[0].score}`);
  for (const p of boxes[0].points) assert.ok(Number.isInteger(p[0]) && Number.isInteger(p[1]));
});

test('maps boxes back to the source size', () => {
  const map = blank(200, 100);
  for (let y = 20; y <= 40; y++) map.data.fill(0.9, y * 200 + 30, y * 200 + 131);
  const d = unclipDistance(100, 20);
  const boxes = dbPostprocess(map, { srcWidth: 600, srcHeight: 200 });
  assert.equal(boxes.length, 1);
  assertQuadNear(boxes[0].points, [
    [(30 - d) * 3, (20 - d) * 2],
    [(130 + d) * 3, (20 - d) * 2],
    [(130 + d) * 3, (40 + d) * 2],
    [(30 - d) * 3, (40 + d) * 2],
  ]);
});

for (const deg of [15, -25, 30]) {
  test(`finds a rectangle rotated by ${deg} degrees, corners ordered TL, TR, BR, BL`, () => {
    const map = blank(240, 160);
    const [cx, cy, L, H] = [120, 80, 70, 12];
    paint(map, cx, cy, L, H, deg);
    const d = unclipDistance(2 * L, 2 * H);
    const c = Math.cos((deg * Math.PI) / 180);
    const s = Math.sin((deg * Math.PI) / 180);
    const at = (u: number, v: number): Point => [cx + u * c - v * s, cy + u * s + v * c];
    const boxes = dbPostprocess(map, { srcWidth: 240, srcHeight: 160 });
    assert.equal(boxes.length, 1);
    // Pixel centres sit up to half a pixel inside the painted rectangle, so allow 1.5 px here.
    assertQuadNear(
      boxes[0].points,
      [at(-L - d, -H - d), at(L + d, -H - d), at(L + d, H + d), at(-L - d, H + d)],
      1.5,
    );
  });
}

test('keeps touching regions as one box and a one-pixel gap as two', () => {
  const touching = blank(200, 80);
  for (let y = 20; y <= 40; y++) touching.data.fill(0.9, y * 200 + 20, y * 200 + 81); // x 20..80
  for (let y = 20; y <= 40; y++) touching.data.fill(0.9, y * 200 + 81, y * 200 + 161); // x 81..160
  const one = dbPostprocess(touching, { srcWidth: 200, srcHeight: 80 });
  assert.equal(one.length, 1);
  const d = unclipDistance(140, 20);
  assertQuadNear(one[0].points, [
    [20 - d, 20 - d],
    [160 + d, 20 - d],
    [160 + d, 40 + d],
    [20 - d, 40 + d],
  ]);

  const gap = blank(200, 80);
  for (let y = 20; y <= 40; y++) gap.data.fill(0.9, y * 200 + 20, y * 200 + 81); // x 20..80
  for (let y = 20; y <= 40; y++) gap.data.fill(0.9, y * 200 + 82, y * 200 + 161); // x 82..160
  const two = dbPostprocess(gap, { srcWidth: 200, srcHeight: 80 });
  assert.equal(two.length, 2);
  const d1 = unclipDistance(60, 20);
  const d2 = unclipDistance(78, 20);
  assertQuadNear(two[0].points, [[20 - d1, 20 - d1], [80 + d1, 20 - d1], [80 + d1, 40 + d1], [20 - d1, 40 + d1]]);
  assertQuadNear(two[1].points, [[82 - d2, 20 - d2], [160 + d2, 20 - d2], [160 + d2, 40 + d2], [82 - d2, 40 + d2]]);
});

test('joins a one-pixel gap when useDilation is on', () => {
  const gap = blank(200, 80);
  for (let y = 20; y <= 40; y++) gap.data.fill(0.9, y * 200 + 20, y * 200 + 81);
  for (let y = 20; y <= 40; y++) gap.data.fill(0.9, y * 200 + 82, y * 200 + 161);
  const boxes = dbPostprocess(gap, { srcWidth: 200, srcHeight: 80 }, { useDilation: true });
  assert.equal(boxes.length, 1);
  // OpenCV's 2x2 dilation grows the bitmap one pixel right and down: x 20..161, y 20..41.
  const d = unclipDistance(141, 21);
  assertQuadNear(boxes[0].points, [[20 - d, 20 - d], [161 + d, 20 - d], [161 + d, 41 + d], [20 - d, 41 + d]]);
});

test('gives one box for a region with a hole (outer border only)', () => {
  const map = blank(260, 140);
  for (let y = 50; y <= 90; y++) map.data.fill(0.9, y * 260 + 50, y * 260 + 211); // x 50..210, y 50..90
  for (let y = 65; y <= 75; y++) map.data.fill(0, y * 260 + 90, y * 260 + 171); // hole, 81 x 11
  const boxes = dbPostprocess(map, { srcWidth: 260, srcHeight: 140 });
  assert.equal(boxes.length, 1, JSON.stringify(boxes));
  const d = unclipDistance(160, 40);
  assertQuadNear(boxes[0].points, [[50 - d, 50 - d], [210 + d, 50 - d], [210 + d, 90 + d], [50 - d, 90 + d]]);
  // The fast score is the mean over the whole rectangle, hole included.
  const expected = (0.9 * (161 * 41 - 81 * 11)) / (161 * 41);
  assert.ok(Math.abs(boxes[0].score - expected) < 1e-4, `score ${boxes[0].score} vs ${expected}`);
});

test('clips boxes of regions at the image border to the image', () => {
  const map = blank(120, 60);
  for (let y = 0; y <= 15; y++) map.data.fill(0.9, y * 120, y * 120 + 50); // top-left corner, x 0..49
  for (let y = 44; y <= 59; y++) map.data.fill(0.9, y * 120 + 70, y * 120 + 120); // bottom-right, x 70..119
  const boxes = dbPostprocess(map, { srcWidth: 240, srcHeight: 120 });
  assert.equal(boxes.length, 2);
  const d1 = unclipDistance(49, 15);
  assertQuadNear(boxes[0].points, [[0, 0], [(49 + d1) * 2, 0], [(49 + d1) * 2, (15 + d1) * 2], [0, (15 + d1) * 2]]);
  const d2 = unclipDistance(49, 15);
  assertQuadNear(boxes[1].points, [[(70 - d2) * 2, (44 - d2) * 2], [240, (44 - d2) * 2], [240, 120], [(70 - d2) * 2, 120]]);
});

test('drops tiny noise blobs and keeps the text', () => {
  const map = blank(200, 100);
  for (let y = 50; y <= 70; y++) map.data.fill(0.9, y * 200 + 50, y * 200 + 151);
  map.data[10 * 200 + 10] = 1; // 1 px
  map.data.fill(1, 10 * 200 + 30, 10 * 200 + 32); // 2 px
  for (let y = 20; y <= 21; y++) map.data.fill(1, y * 200 + 60, y * 200 + 70); // 10 x 2 line: short side 1
  for (let y = 30; y <= 32; y++) map.data.fill(1, y * 200 + 100, y * 200 + 103); // 3 x 3: centre extents 2
  const boxes = dbPostprocess(map, { srcWidth: 200, srcHeight: 100 });
  assert.equal(boxes.length, 1, JSON.stringify(boxes));
  const d = unclipDistance(100, 20);
  assertQuadNear(boxes[0].points, [[50 - d, 50 - d], [150 + d, 50 - d], [150 + d, 70 + d], [50 - d, 70 + d]]);
});

test('drops regions whose mean probability is below boxThresh', () => {
  const map = blank(200, 100);
  for (let y = 20; y <= 40; y++) map.data.fill(0.5, y * 200 + 30, y * 200 + 131);
  assert.equal(dbPostprocess(map, { srcWidth: 200, srcHeight: 100 }).length, 0);
  const kept = dbPostprocess(map, { srcWidth: 200, srcHeight: 100 }, { boxThresh: 0.45 });
  assert.equal(kept.length, 1);
  assert.ok(Math.abs(kept[0].score - 0.5) < 1e-6);
});

test("slow score averages inside the region's border, fast inside its rectangle", () => {
  // An L: the rectangle around it is half background, the border polygon is all text.
  const map = blank(200, 120);
  for (let y = 20; y <= 100; y++) map.data.fill(1, y * 200 + 20, y * 200 + 41); // vertical bar
  for (let y = 80; y <= 100; y++) map.data.fill(1, y * 200 + 20, y * 200 + 181); // horizontal bar
  const fast = dbPostprocess(map, { srcWidth: 200, srcHeight: 120 }, { boxThresh: 0.9 });
  const slow = dbPostprocess(map, { srcWidth: 200, srcHeight: 120 }, { boxThresh: 0.9, scoreMode: 'slow' });
  assert.equal(fast.length, 0);
  assert.equal(slow.length, 1);
  assert.ok(Math.abs(slow[0].score - 1) < 1e-9, `slow score ${slow[0].score}`);
});

test('poly mode returns the grown border polygon, clockwise, within the quad', () => {
  const map = blank(200, 120);
  for (let y = 20; y <= 100; y++) map.data.fill(1, y * 200 + 20, y * 200 + 41);
  for (let y = 80; y <= 100; y++) map.data.fill(1, y * 200 + 20, y * 200 + 181);
  const [poly] = dbPostprocess(map, { srcWidth: 200, srcHeight: 120 }, { boxType: 'poly' });
  assert.ok(poly, 'a polygon');
  assert.ok(poly.points.length >= 6, `an L needs at least 6 vertices, got ${poly.points.length}`);
  let area2 = 0;
  for (let i = 0; i < poly.points.length; i++) {
    const [a, b] = [poly.points[i], poly.points[(i + 1) % poly.points.length]];
    area2 += a[0] * b[1] - b[0] * a[1];
  }
  assert.ok(area2 > 0, 'clockwise on screen');
  // The L's border polygon grown by d: its bounds are the L's bounds grown by d.
  const border: Point[] = [[20, 20], [40, 20], [40, 80], [180, 80], [180, 100], [20, 100]];
  let a = 0;
  let per = 0;
  for (let i = 0; i < border.length; i++) {
    const [p, q] = [border[i], border[(i + 1) % border.length]];
    a += p[0] * q[1] - q[0] * p[1];
    per += Math.hypot(q[0] - p[0], q[1] - p[1]);
  }
  const d = (Math.abs(a / 2) * 1.5) / per;
  const xs = poly.points.map((p) => p[0]);
  const ys = poly.points.map((p) => p[1]);
  assert.ok(Math.abs(Math.min(...xs) - (20 - d)) <= 1, `min x ${Math.min(...xs)} vs ${20 - d}`);
  assert.ok(Math.abs(Math.max(...xs) - (180 + d)) <= 1);
  assert.ok(Math.abs(Math.min(...ys) - (20 - d)) <= 1);
  assert.ok(Math.abs(Math.max(...ys) - (100 + d)) <= 1);
  // The notch of the L stays out: (100, 50) is far from the region.
  assert.ok(!pointInPolygon([100, 50], poly.points));
  assert.ok(pointInPolygon([30, 50], poly.points));
});

function pointInPolygon(p: Point, poly: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [a, b] = [poly[i], poly[j]];
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

test('ignores the padded part of the map given validWidth/validHeight', () => {
  const map = blank(256, 128);
  for (let y = 20; y <= 40; y++) map.data.fill(0.9, y * 256 + 30, y * 256 + 131);
  for (let y = 0; y < 128; y++) map.data.fill(0.9, y * 256 + 220, y * 256 + 256); // junk in the padding
  const boxes = dbPostprocess(map, { srcWidth: 400, srcHeight: 200, validWidth: 200, validHeight: 100 });
  assert.equal(boxes.length, 1);
  const d = unclipDistance(100, 20);
  assertQuadNear(boxes[0].points, [[(30 - d) * 2, (20 - d) * 2], [(130 + d) * 2, (20 - d) * 2], [(130 + d) * 2, (40 + d) * 2], [(30 - d) * 2, (40 + d) * 2]]);
});

test('considers at most maxCandidates regions, in raster order', () => {
  const map = blank(200, 150);
  for (const top of [10, 60, 110]) for (let y = top; y <= top + 20; y++) map.data.fill(0.9, y * 200 + 30, y * 200 + 131);
  const boxes = dbPostprocess(map, { srcWidth: 200, srcHeight: 150 }, { maxCandidates: 2 });
  assert.equal(boxes.length, 2);
  assert.ok(boxes[0].points[0][1] < 10 && boxes[1].points[0][1] < 60);
});

test('does not modify the map', () => {
  const map = blank(200, 100, 0.05);
  paint(map, 100, 50, 60, 10, 20);
  const before = Float32Array.from(map.data);
  dbPostprocess(map, { srcWidth: 200, srcHeight: 100 });
  dbPostprocess(map, { srcWidth: 200, srcHeight: 100 }, { scoreMode: 'slow', boxType: 'poly', useDilation: true });
  assert.deepEqual(map.data, before);
});

test('returns no boxes for an empty or NaN map', () => {
  assert.deepEqual(dbPostprocess(blank(64, 32), { srcWidth: 64, srcHeight: 32 }), []);
  assert.deepEqual(dbPostprocess(blank(64, 32, NaN), { srcWidth: 64, srcHeight: 32 }), []);
});

test('rejects a misspelled option, listing the valid ones', () => {
  assert.throws(
    () => dbPostprocess(blank(8, 8), { srcWidth: 8, srcHeight: 8 }, { boxTresh: 0.5 } as never),
    (e: unknown) =>
      e instanceof OptionError && /boxTresh/.test(e.message) && /thresh, boxThresh, maxCandidates, unclipRatio/.test(e.message),
  );
});

test('rejects bad option values, naming the valid choices', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ scoreMode: 'medium' }, /"fast", "slow".*scoreMode/],
    [{ boxType: 'rect' }, /"quad", "poly".*boxType/],
    [{ thresh: 1.5 }, /between 0 and 1 for thresh/],
    [{ maxCandidates: 2.5 }, /integer .* maxCandidates/],
    [{ useDilation: 'yes' }, /true or false for useDilation/],
  ];
  for (const [opts, re] of bad) {
    assert.throws(
      () => dbPostprocess(blank(8, 8), { srcWidth: 8, srcHeight: 8 }, opts as never),
      (e: unknown) => e instanceof OptionError && re.test(e.message),
      JSON.stringify(opts),
    );
  }
});

test('rejects a map whose data does not match its size, and a bad source size', () => {
  assert.throws(
    () => dbPostprocess({ data: new Float32Array(10), width: 4, height: 4 }, { srcWidth: 4, srcHeight: 4 }),
    (e: unknown) => e instanceof InputError && /10 values but width x height is 4x4 = 16/.test(e.message),
  );
  assert.throws(
    () => dbPostprocess(blank(4, 4), { srcWidth: 0, srcHeight: 4 }),
    (e: unknown) => e instanceof OptionError && /srcWidth/.test(e.message),
  );
});

test('POSTPROCESSORS maps "db" to dbPostprocess and unknown kinds are rejected', () => {
  assert.equal(POSTPROCESSORS.db, dbPostprocess);
  assert.equal(postprocessorFor('db'), dbPostprocess);
  assert.throws(() => postprocessorFor('east'), (e: unknown) => e instanceof OptionError && /"db"/.test(e.message));
  assert.equal(DEFAULT_DB_OPTIONS.thresh, 0.3);
  assert.equal(DEFAULT_DB_OPTIONS.boxThresh, 0.6);
  assert.equal(DEFAULT_DB_OPTIONS.unclipRatio, 1.5);
});
