import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OptionError } from '../../src/core';
import {
  evaluateCleval,
  evaluateClevalSample,
  fromDetBoxes,
  lcs,
  readSubmission,
  type EvalSample,
} from '../../src/eval';
import { CLEVAL_GT, CLEVAL_RES, haveShared, rect } from './helpers';

const TOL = 1e-9;
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= TOL, `${what}: ${a} vs ${b}`);

// Figures of the official implementation on its own test data (shared/cleval/README.md).
const OFFICIAL = {
  det: { precision: 0.9707792207792207, recall: 0.9853074043798132, hmean: 0.977989360950786 },
  e2e: { precision: 0.9165347157451793, recall: 0.9166200576517661, hmean: 0.9165773847119407 },
  e2eCaseInsensitive: { precision: 0.962800685421773, recall: 0.9625048401669319, hmean: 0.962652740064346 },
};

test('matches the official CLEval figures on the official test data (detection, end-to-end, case-insensitive)', (t) => {
  if (!haveShared(t, CLEVAL_GT, CLEVAL_RES)) return;
  const gt = readSubmission(CLEVAL_GT, 'QUAD');
  const pred = readSubmission(CLEVAL_RES, 'QUAD');
  const cs = evaluateCleval(gt, pred, { e2e: true });
  const ci = evaluateCleval(gt, pred, { e2e: true, caseSensitive: false });
  const detOnly = evaluateCleval(gt, pred);
  for (const k of ['precision', 'recall', 'hmean'] as const) {
    close(cs.det[k], OFFICIAL.det[k], `det ${k}`);
    close(ci.det[k], OFFICIAL.det[k], `det ${k} (case-insensitive run)`);
    close(detOnly.det[k], OFFICIAL.det[k], `det ${k} (detection only)`);
    close(cs.e2e![k], OFFICIAL.e2e[k], `e2e ${k}`);
    close(ci.e2e![k], OFFICIAL.e2eCaseInsensitive[k], `e2e case-insensitive ${k}`);
  }
  assert.equal(detOnly.e2e, undefined);
  assert.equal(Object.keys(cs.perImage).length, 100);
});

test('detection figures do not depend on the order of boxes in a file', (t) => {
  if (!haveShared(t, CLEVAL_GT, CLEVAL_RES)) return;
  const gt = readSubmission(CLEVAL_GT);
  const pred = readSubmission(CLEVAL_RES);
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const shuffle = (s: EvalSample): EvalSample => {
    const b = [...s.boxes];
    for (let i = b.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [b[i], b[j]] = [b[j], b[i]];
    }
    return { ...s, boxes: b };
  };
  const a = evaluateCleval(gt, pred);
  const b = evaluateCleval(gt.map(shuffle), pred.map(shuffle).reverse());
  assert.deepEqual(b.det, a.det);
});

test('end-to-end figures do not depend on box order when no detection is shared by several words', () => {
  const gt = [rect(0, 0, 100, 10, 'HELLOWORLD'), rect(0, 20, 40, 30, 'ABCD'), rect(0, 40, 60, 50, 'xyz')];
  const pred = [rect(0, 0, 50, 10, 'HELLO'), rect(50, 0, 100, 10, 'WORLD'), rect(0, 20, 40, 30, 'ABXD'), rect(200, 200, 260, 210, 'zz')];
  const a = evaluateClevalSample('a', gt, pred, { e2e: true });
  const b = evaluateClevalSample('a', [...gt].reverse(), [pred[3], pred[1], pred[2], pred[0]], { e2e: true });
  assert.deepEqual(b.det, a.det);
  assert.deepEqual(b.e2e, a.e2e);
});

test('a perfect prediction scores 1.0 for detection and end-to-end', () => {
  const gt = [rect(0, 0, 100, 10, 'HELLO'), rect(0, 20, 40, 30, 'abc'), rect(0, 40, 20, 90, 'VERT'), rect(300, 0, 400, 10, '###')];
  const r = evaluateClevalSample('img', gt, gt.slice(0, 3), { e2e: true });
  for (const s of [r.det, r.e2e!]) {
    assert.equal(s.precision, 1);
    assert.equal(s.recall, 1);
    assert.equal(s.hmean, 1);
  }
  assert.equal(r.det.numCharGt, 12);
});

test('an empty prediction scores recall 0, and a missing prediction sample counts as empty', () => {
  const gt: EvalSample[] = [{ name: 'a', boxes: [rect(0, 0, 100, 10, 'HELLO')] }, { name: 'b', boxes: [rect(0, 0, 50, 10, 'AB')] }];
  const r = evaluateCleval(gt, [{ name: 'a', boxes: [] }], { e2e: true });
  assert.equal(r.det.recall, 0);
  assert.equal(r.det.precision, 0);
  assert.equal(r.e2e!.recall, 0);
  assert.equal(r.det.numCharGt, 7);
  assert.deepEqual(Object.keys(r.perImage), ['a', 'b']);
});

test('splitting a GT word into two detections costs recall one granularity penalty', () => {
  // 10 characters, centres at x = 5, 15, ..., 95: each half holds 5. Recall (10 - 1) / 10, precision 10 / 10.
  const r = evaluateClevalSample('img', [rect(0, 0, 100, 10, 'HELLOWORLD')], [rect(0, 0, 50, 10), rect(50, 0, 100, 10)]);
  assert.equal(r.det.recall, 0.9);
  assert.equal(r.det.precision, 1);
  assert.equal(r.det.granScoreRecall, 1);
  assert.equal(r.numSplitted, 1);
  assert.equal(r.matches[0].relation, 'one-to-many');
  const half = evaluateClevalSample('img', [rect(0, 0, 100, 10, 'HELLOWORLD')], [rect(0, 0, 50, 10), rect(50, 0, 100, 10)], {
    recallGranularityPenaltyWeight: 0.5,
  });
  assert.equal(half.det.recall, 0.95);
});

test('merging two GT words into one detection costs precision one granularity penalty', () => {
  const r = evaluateClevalSample('img', [rect(0, 0, 50, 10, 'HELLO'), rect(50, 0, 100, 10, 'WORLD')], [rect(0, 0, 100, 10)]);
  assert.equal(r.det.precision, 0.9);
  assert.equal(r.det.recall, 1);
  assert.equal(r.numMerged, 1);
  assert.equal(r.matches[0].relation, 'many-to-one');
});

test('a detection on a don\'t-care region is ignored, and an unmatched one adds estimated characters', () => {
  const gt = [rect(0, 0, 100, 10, 'HELLO'), rect(0, 100, 100, 110, '###')];
  const onDc = evaluateClevalSample('img', gt, [rect(0, 0, 100, 10), rect(0, 100, 100, 110)]);
  assert.equal(onDc.det.precision, 1);
  assert.equal(onDc.det.numCharGt, 5);
  // Unmatched 100x10 box: round(0.5 + 1 / (1e-5 + 10)) = 1 false-positive character.
  const fp = evaluateClevalSample('img', gt, [rect(0, 0, 100, 10), rect(0, 200, 100, 210)]);
  assert.equal(fp.det.numCharFp, 1);
  assert.equal(fp.det.precision, 5 / 6);
});

test('vertical GT (width/height under the threshold) spreads characters top to bottom', () => {
  // 10x90 box, 3 characters: centres at y = 75, 45, 15. A detection over the top 30 px holds one.
  const r = evaluateClevalSample('img', [rect(0, 0, 10, 90, 'ABC')], [rect(0, 0, 10, 30)]);
  assert.equal(r.det.numCharTpRecall, 1);
  assert.equal(r.det.recall, 1 / 3);
  // With the threshold at 0 the same box reads left to right: all centres at y = 45, none in the detection.
  const h = evaluateClevalSample('img', [rect(0, 0, 10, 90, 'ABC')], [rect(0, 0, 10, 30)], { verticalAspectRatioThresh: 0 });
  assert.equal(h.det.numCharTpRecall, 0);
});

test('end-to-end compares transcriptions, upper-cased when case-insensitive', () => {
  const gt = [rect(0, 0, 100, 10, 'Hello')];
  const pred = [rect(0, 0, 100, 10, 'HELLO')];
  const cs = evaluateClevalSample('img', gt, pred, { e2e: true });
  assert.equal(cs.e2e!.numCharTpRecall, 1); // LCS("Hello", "HELLO") = "H"
  assert.equal(cs.e2e!.recall, 1 / 5);
  const ci = evaluateClevalSample('img', gt, pred, { e2e: true, caseSensitive: false });
  assert.equal(ci.e2e!.recall, 1);
  assert.equal(ci.e2e!.precision, 1);
});

test('lcs keeps the reference tie-breaking (left neighbour on equal length)', () => {
  assert.deepEqual(lcs(['a', 'b'], ['b', 'a']), ['b']);
  assert.deepEqual(lcs([...'ABCBDAB'], [...'BDCABA']).length, 4);
  assert.deepEqual(lcs([], ['a']), []);
});

test('LTRB boxes give the same result as the equivalent QUAD boxes', async () => {
  const { parseSubmissionText } = await import('../../src/eval');
  const gt = parseSubmissionText('0,0,100,0,100,10,0,10,HELLOWORLD\n0,20,40,20,40,30,0,30,abcd\n', 'QUAD', 'gt', 'required');
  const quad = parseSubmissionText('0,0,50,0,50,10,0,10,HELLO\n52,0,100,0,100,10,52,10,WORLD\n0,19,40,19,40,31,0,31,abXd\n', 'QUAD', 'q');
  const ltrb = parseSubmissionText('0,0,50,10,HELLO\n52,0,100,10,WORLD\n0,19,40,31,abXd\n', 'LTRB', 'l');
  assert.deepEqual(ltrb, quad);
  assert.deepEqual(
    evaluateClevalSample('x', gt, ltrb, { e2e: true }),
    evaluateClevalSample('x', gt, quad, { e2e: true }),
  );
});

test('detector output (DetBox) scores as detection-only predictions; inputs are not modified', () => {
  const gtBoxes = [rect(10, 10, 110, 30, 'WORD'), rect(10, 50, 60, 70, 'AB')];
  const gt: EvalSample[] = [{ name: 'img', boxes: gtBoxes }];
  const dets = gtBoxes.map((b) => ({ points: b.points.map((p) => [p[0] + 0.4, p[1] + 0.4] as [number, number]), score: 0.9 }));
  const before = JSON.stringify({ gt, dets });
  const r = evaluateCleval(gt, [{ name: 'img', boxes: fromDetBoxes(dets) }]);
  assert.equal(r.det.hmean, 1);
  assert.equal(JSON.stringify({ gt, dets }), before);
});

test('rejects a misspelled option and an out-of-range constraint, naming the valid choices', () => {
  assert.throws(() => evaluateCleval([], [], { e2E: true } as never), (e: unknown) => {
    assert.ok(e instanceof OptionError);
    assert.match(e.message, /Unknown option "e2E".*e2e/);
    return true;
  });
  assert.throws(() => evaluateCleval([], [], { areaPrecisionConstraint: 2 }), OptionError);
  assert.throws(() => evaluateCleval([], [], { boxType: 'quad' as never }), /"QUAD", "LTRB", "POLY"/);
});

test('rejects a prediction sample that has no GT sample', () => {
  assert.throws(
    () => evaluateCleval([{ name: 'a', boxes: [] }], [{ name: 'b', boxes: [] }]),
    /prediction sample "b" is not present in the GT/,
  );
});

test('scale-wise breakdown needs image sizes and puts each GT in its bin', () => {
  const gt: EvalSample[] = [{ name: 'a', boxes: [rect(0, 0, 100, 10, 'SMALL'), rect(0, 100, 400, 200, 'BIG')], imageSize: { width: 1000, height: 500 } }];
  const r = evaluateCleval(gt, gt, { scaleWise: true, scaleBins: [0, 0.02, 1] });
  // Scales: 10 / 1000 = 0.01 and 100 / 1000 = 0.1.
  assert.equal(r.scaleWise!.length, 2);
  assert.equal(r.scaleWise![0].det.numCharGt, 5);
  assert.equal(r.scaleWise![1].det.numCharGt, 3);
  assert.throws(() => evaluateCleval([{ name: 'a', boxes: [] }], [], { scaleWise: true }), /needs the image size/);
});

test('orientation breakdown counts matched GT whose detection repeats the label', () => {
  const g = { ...rect(0, 0, 100, 10, 'HELLO'), orientation: 'horizontal' };
  const h = { ...rect(0, 20, 10, 90, 'ABC'), orientation: 'vertical' };
  const gt: EvalSample[] = [{ name: 'a', boxes: [g, h] }];
  const pred: EvalSample[] = [{ name: 'a', boxes: [{ ...g, orientation: 'horizontal' }, { ...h, orientation: 'horizontal' }] }];
  const r = evaluateCleval(gt, pred, { orientation: true });
  assert.equal(r.numOriTotal, 2);
  assert.equal(r.numOriCorrect, 1);
  assert.equal(r.orientationAccuracy, 0.5);
  assert.equal(evaluateCleval(gt, pred).orientationAccuracy, undefined);
});

test('perImageDelta lists images by largest change between two scorings', async () => {
  const { perImageDelta } = await import('../../src/eval');
  const gt: EvalSample[] = [
    { name: 'a', boxes: [rect(0, 0, 100, 10, 'HELLOWORLD')] },
    { name: 'b', boxes: [rect(0, 0, 50, 10, 'AB')] },
  ];
  const good = evaluateCleval(gt, gt);
  const split = evaluateCleval(gt, [{ name: 'a', boxes: [rect(0, 0, 50, 10), rect(50, 0, 100, 10)] }, gt[1]]);
  const rows = perImageDelta(good, split);
  assert.deepEqual(rows.map((r) => r.name), ['a', 'b']);
  assert.equal(rows[0].hmeanA, 1);
  assert.equal(rows[0].delta, split.perImage.a.det.hmean - 1);
  assert.equal(rows[1].delta, 0);
  assert.throws(() => perImageDelta(good, split, 'e2e'), /needs both results scored with e2e/);
});
