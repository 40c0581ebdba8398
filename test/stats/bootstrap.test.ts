import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OptionError } from '../../src/core';
import { hmeanOfCounts, pairedBootstrapHmean, quantileSorted, seededRandom, type PrCounts } from '../../src/stats';

const perfect = (n = 4): PrCounts => ({ recallNum: n, recallDen: n, precisionNum: n, precisionDen: n });
const halfFound = (n = 4): PrCounts => ({ recallNum: n / 2, recallDen: n, precisionNum: n / 2, precisionDen: n / 2 });

test('hmeanOfCounts is the harmonic mean of summed precision and recall', () => {
  // P = 1/2, R = 1 → 2·(1/2)·1 / (3/2) = 2/3
  assert.equal(hmeanOfCounts({ recallNum: 2, recallDen: 2, precisionNum: 2, precisionDen: 4 }), 2 / 3);
  assert.equal(hmeanOfCounts({ recallNum: 0, recallDen: 3, precisionNum: 0, precisionDen: 0 }), 0);
  assert.equal(hmeanOfCounts({ recallNum: 0, recallDen: 0, precisionNum: 0, precisionDen: 0 }), 1);
});

test('quantileSorted interpolates linearly between order statistics', () => {
  assert.equal(quantileSorted([0, 10], 0.25), 2.5);
  assert.equal(quantileSorted([1, 2, 3], 0.5), 2);
});

test('seededRandom repeats for a seed and differs between seeds', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  const c = seededRandom(8);
  const xs = [a(), a(), a()];
  assert.deepEqual(xs, [b(), b(), b()]);
  assert.notDeepEqual(xs, [c(), c(), c()]);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});

test('identical detectors give a zero-width interval and "no significant change at 95%"', () => {
  const ref = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? halfFound() : perfect()));
  const r = pairedBootstrapHmean(ref, ref.map((c) => ({ ...c })), { iterations: 500 });
  assert.equal(r.difference, 0);
  assert.equal(r.lower, 0);
  assert.equal(r.upper, 0);
  assert.equal(r.significant, false);
  assert.match(r.verdict, /^no significant change at 95%/);
});

test('a candidate worse on every image is a significant drop with the observed difference inside the interval', () => {
  const ref = Array.from({ length: 30 }, () => perfect());
  const cand = Array.from({ length: 30 }, () => halfFound());
  const r = pairedBootstrapHmean(ref, cand, { iterations: 500 });
  // every resample has reference HMean 1 and candidate P = 1, R = 1/2 → HMean 2/3
  assert.ok(Math.abs(r.difference - (2 / 3 - 1)) < 1e-12);
  assert.ok(Math.abs(r.lower - r.difference) < 1e-12 && Math.abs(r.upper - r.difference) < 1e-12);
  assert.equal(r.significant, true);
  assert.match(r.verdict, /^significant drop at 95% \(CI -33\.33 to -33\.33 HMean points\)/);
});

test('one changed image out of fifty is not significant (a third of resamples leave it out)', () => {
  const ref = Array.from({ length: 50 }, () => perfect());
  const cand = ref.map((c, i) => (i === 17 ? halfFound() : { ...c }));
  const r = pairedBootstrapHmean(ref, cand, { iterations: 2000, seed: 3 });
  assert.ok(r.difference < 0);
  assert.ok(r.lower < 0);
  assert.equal(r.upper, 0);
  assert.equal(r.significant, false);
  assert.match(r.verdict, /no significant change at 95%/);
});

test('the interval is reproducible for a seed and the inputs are not modified', () => {
  const ref = Array.from({ length: 25 }, (_, i) => ({ recallNum: i % 4, recallDen: 4, precisionNum: i % 4, precisionDen: 5 }));
  const cand = ref.map((c, i) => ({ ...c, recallNum: Math.max(0, c.recallNum - (i % 2)) }));
  const before = JSON.stringify([ref, cand]);
  const a = pairedBootstrapHmean(ref, cand, { seed: 11, iterations: 300 });
  const b = pairedBootstrapHmean(ref, cand, { seed: 11, iterations: 300 });
  assert.deepEqual(a, b);
  assert.equal(JSON.stringify([ref, cand]), before);
  assert.ok(a.lower <= a.difference && a.difference <= a.upper);
});

test('rejects unpaired inputs, empty inputs, bad counts and misspelled options', () => {
  assert.throws(() => pairedBootstrapHmean([perfect()], [perfect(), perfect()]), (e: unknown) => e instanceof OptionError && /same images/.test(e.message));
  assert.throws(() => pairedBootstrapHmean([], []), (e: unknown) => e instanceof OptionError && /at least one image/.test(e.message));
  assert.throws(
    () => pairedBootstrapHmean([perfect()], [{ ...perfect(), recallNum: NaN }]),
    (e: unknown) => e instanceof OptionError && /candidate\[0\]\.recallNum/.test(e.message),
  );
  assert.throws(
    () => pairedBootstrapHmean([perfect()], [perfect()], { iteration: 10 } as never),
    (e: unknown) => e instanceof OptionError && /Unknown option "iteration".*iterations/.test(e.message),
  );
  assert.throws(() => pairedBootstrapHmean([perfect()], [perfect()], { confidence: 2 }), (e: unknown) => e instanceof OptionError && /confidence/.test(e.message));
});

test('CLEval per-image counts summed and bootstrapped reproduce CLEval\'s overall HMean', async () => {
  const { evaluateCleval } = await import('../../src/eval');
  const { clevalCounts } = await import('../../src/stats');
  const gt = [
    { name: 'a', boxes: [{ points: [[0, 0], [100, 0], [100, 20], [0, 20]] as [number, number][], transcription: 'HELLO' }] },
    { name: 'b', boxes: [{ points: [[0, 0], [60, 0], [60, 20], [0, 20]] as [number, number][], transcription: 'ABC' }, { points: [[0, 50], [80, 50], [80, 70], [0, 70]] as [number, number][], transcription: 'WORD' }] },
  ];
  const pred = [
    { name: 'a', boxes: [{ points: [[0, 0], [100, 0], [100, 20], [0, 20]] as [number, number][] }] },
    { name: 'b', boxes: [{ points: [[0, 0], [60, 0], [60, 20], [0, 20]] as [number, number][] }, { points: [[200, 200], [260, 200], [260, 220], [200, 220]] as [number, number][] }] },
  ];
  const r = evaluateCleval(gt, pred);
  const counts = gt.map((g) => clevalCounts(r.perImage[g.name].det));
  const boot = pairedBootstrapHmean(counts, counts, { iterations: 100 });
  assert.ok(Math.abs(boot.reference - r.det.hmean) < 1e-12, `${boot.reference} vs ${r.det.hmean}`);
  assert.ok(r.det.hmean > 0 && r.det.hmean < 1, 'the example has both a miss and a false detection');
});
