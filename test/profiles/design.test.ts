import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionError } from '../../src/core';
import { PPOCRV4_DET } from '../../src/models';
import { bucketCost, designBuckets, designProfile, shapeDistribution, type ShapeCount } from '../../src/profiles';

const hw = (p: { shapes: Record<string, { max: number[] }> }) => p.shapes.x.max.slice(2).join('x');

test('shape distribution applies the resize policy and rounds to multiples of 32', () => {
  // 1280x720 → scale 0.75 → 960x540 → height rounds to 544 (17 x 32); 500x300 is not scaled → 512x288.
  const sizes = [{ width: 1280, height: 720 }, { width: 1280, height: 720 }, { width: 500, height: 300 }];
  const before = JSON.stringify(sizes);
  const dist = shapeDistribution(sizes, PPOCRV4_DET.resize);
  assert.deepEqual(dist, [{ height: 544, width: 960, count: 2 }, { height: 288, width: 512, count: 1 }]);
  assert.equal(JSON.stringify(sizes), before, 'input sizes are not modified');
});

test('single profile spans min..max and states opt by the chosen rule', () => {
  const dist: ShapeCount[] = [{ height: 320, width: 320, count: 3 }, { height: 640, width: 640, count: 2 }, { height: 960, width: 960, count: 2 }];
  const frequent = designProfile(dist);
  assert.deepEqual(frequent.shapes.x, { min: [1, 3, 320, 320], opt: [1, 3, 320, 320], max: [1, 3, 960, 960] });
  // Median by area: cumulative counts 3, 5 of 7 → the second shape holds the median image.
  assert.deepEqual(designProfile(dist, { opt: 'median-area' }).shapes.x.opt, [1, 3, 640, 640]);
});

test('k buckets on a one-dimensional distribution are the known optimum', () => {
  // Heights 32 (x10), 64 (x10), 320, 352 at width 32. k=2: {64, 352} pads 10*32*32 + 32*32 = 11264 px,
  // any other pair pads more. k=3: {32, 64, 352} pads only the 320 image by 32 rows = 1024 px.
  const dist: ShapeCount[] = [
    { height: 32, width: 32, count: 10 }, { height: 64, width: 32, count: 10 }, { height: 320, width: 32, count: 1 }, { height: 352, width: 32, count: 1 },
  ];
  const k2 = designBuckets(dist, { k: 2 });
  assert.deepEqual(k2.map(hw), ['64x32', '352x32']);
  assert.equal(bucketCost(dist, [[64, 32], [352, 32]]).padded, 11264);
  const k3 = designBuckets(dist, { k: 3 });
  assert.deepEqual(k3.map(hw), ['32x32', '64x32', '352x32']);
  assert.equal(k3.reduce((a, p) => a + (p.coverage ?? 0), 0), 1);
  assert.equal(k3[2].waste, 1024 / (2 * 352 * 32));
});

test('portrait and landscape shapes: one bucket is their union, two are exact', () => {
  const dist: ShapeCount[] = [{ height: 960, width: 544, count: 5 }, { height: 544, width: 960, count: 5 }];
  assert.deepEqual(designBuckets(dist, { k: 1 }).map(hw), ['960x960']);
  const two = designBuckets(dist, { k: 2 });
  assert.deepEqual(two.map(hw).sort(), ['544x960', '960x544']);
  assert.ok(two.every((p) => p.waste === 0 && p.coverage === 0.5));
});

test('a waste target picks the fewest buckets that meet it', () => {
  const dist: ShapeCount[] = [{ height: 960, width: 544, count: 5 }, { height: 544, width: 960, count: 5 }];
  // One 960x960 bucket wastes 1 - 544/960 = 43% of its pixels; two buckets waste nothing.
  assert.equal(designBuckets(dist, { maxWaste: 0.5 }).length, 1);
  assert.equal(designBuckets(dist, { maxWaste: 0.1 }).length, 2);
});

test('many shapes: every image is covered and buckets beat a single profile', () => {
  const dist: ShapeCount[] = [];
  for (let h = 64; h <= 960; h += 64) for (let w = 64; w <= 960; w += 128) dist.push({ height: h, width: w, count: 1 + ((h * w) % 7) });
  const before = JSON.stringify(dist);
  const buckets = designBuckets(dist, { k: 4 });
  assert.equal(JSON.stringify(dist), before, 'distribution is not modified');
  const shapes = buckets.map((p) => [p.shapes.x.max[2], p.shapes.x.max[3]] as [number, number]);
  const cost = bucketCost(dist, shapes);
  assert.ok(cost.assign.every((i) => i >= 0), 'every shape has a bucket');
  assert.ok(cost.padded < bucketCost(dist, [[960, 960]]).padded);
  assert.ok(Math.abs(buckets.reduce((a, p) => a + (p.coverage ?? 0), 0) - 1) < 1e-9);
});

test('rejects an empty distribution and a missing bucket target', () => {
  assert.throws(() => designProfile([]), (e: Error) => e instanceof OptionError && /distribution is empty/.test(e.message));
  assert.throws(() => designBuckets([{ height: 32, width: 32, count: 1 }], {} as never), (e: Error) => e instanceof OptionError && /\{ k \} or \{ maxWaste \}/.test(e.message));
  assert.throws(() => designBuckets([{ height: 32, width: 32, count: 1 }], { k: 0 }), (e: Error) => e instanceof OptionError && /k/.test(e.message));
});
