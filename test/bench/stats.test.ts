import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, summarize } from '../../src/bench';
import { InputError } from '../../src/core';

test('percentiles interpolate between closest ranks like numpy', () => {
  // numpy.percentile([1, 2, 3, 4], [50, 90]) == [2.5, 3.7]
  assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
  assert.ok(Math.abs(percentile([1, 2, 3, 4], 90) - 3.7) < 1e-12);
  assert.equal(percentile([7], 99), 7);
});

test('summarize gives min, median, sample std, cov and throughput of known samples', () => {
  const s = summarize([4, 2, 6, 8]);
  assert.equal(s.n, 4);
  assert.equal(s.min, 2);
  assert.equal(s.max, 8);
  assert.equal(s.mean, 5);
  assert.equal(s.median, 5);
  // sample variance of 2,4,6,8 is 20/3
  assert.ok(Math.abs(s.std - Math.sqrt(20 / 3)) < 1e-12);
  assert.ok(Math.abs(s.cov - Math.sqrt(20 / 3) / 5) < 1e-12);
  assert.equal(s.throughput, 200);
});

test('summarize does not reorder its input', () => {
  const samples = [3, 1, 2];
  summarize(samples);
  assert.deepEqual(samples, [3, 1, 2]);
});

test('rejects an empty sample list with InputError', () => {
  assert.throws(() => summarize([]), (e: unknown) => e instanceof InputError && /zero samples/.test((e as Error).message));
});
