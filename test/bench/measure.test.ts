import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measure, trustWarnings, summarize } from '../../src/bench';
import { OptionError } from '../../src/core';

test('warms up by count and time before timing, then runs at least the iteration count', async () => {
  const calls: number[] = [];
  const m = await measure((i) => { calls.push(i); }, { warmupIterations: 4, warmupMs: 0, durationMs: 0, iterations: 7 });
  assert.equal(m.warmup.length, 4);
  assert.equal(m.total.length, 7);
  // warm-up calls get negative indices, timed calls 0..n-1
  assert.deepEqual(calls, [-1, -2, -3, -4, 0, 1, 2, 3, 4, 5, 6]);
});

test('keeps timing until the duration has passed', async () => {
  const m = await measure(() => new Promise<void>((r) => setTimeout(r, 5)), { warmupIterations: 0, warmupMs: 0, durationMs: 60, iterations: 1 });
  // Timers run late on a loaded machine, so check the stop rule rather than a count.
  assert.ok(m.elapsedMs >= 60, `stopped after ${m.elapsedMs} ms`);
  assert.ok(m.total.length >= 2);
  const last = m.total.reduce((a, b) => a + b, 0) - m.total[m.total.length - 1];
  assert.ok(last < 60 + 1, 'ran another call after the duration had passed');
  assert.ok(m.total.every((t) => t >= 4));
});

test('collects the per-stage times the timed function reports', async () => {
  const m = await measure((i) => ({ decode: 1 + i, infer: 10 }), { warmupIterations: 1, warmupMs: 0, durationMs: 0, iterations: 3 });
  assert.deepEqual(m.stages.decode, [1, 2, 3]);
  assert.deepEqual(m.stages.infer, [10, 10, 10]);
});

test('rejects misspelled and out-of-range options', async () => {
  await assert.rejects(measure(() => {}, { iteration: 3 } as never), (e: unknown) => e instanceof OptionError && /Unknown option "iteration"/.test((e as Error).message));
  await assert.rejects(measure(() => {}, { iterations: 0 }), (e: unknown) => e instanceof OptionError && /iterations/.test((e as Error).message));
});

test('warns about unstable, too short and unwarmed figures', () => {
  const noisy = summarize([1, 1, 1, 1, 1, 1, 1, 1, 1, 10]);
  const w = trustWarnings('x', noisy, []);
  assert.ok(w.some((s) => /coefficient of variation/.test(s)));
  assert.ok(w.some((s) => /first-run compilation/.test(s)));
  assert.ok(trustWarnings('x', summarize([1, 1, 1]), [5]).some((s) => /only 3 timed iterations/.test(s)));
  assert.deepEqual(trustWarnings('x', summarize(Array(20).fill(2)), [9]), []);
});
