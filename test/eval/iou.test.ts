import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OptionError } from '../../src/core';
import { evaluateIou } from '../../src/eval';
import { rect } from './helpers';

test('IoU protocol: a match needs IoU above 0.5, one-to-one', () => {
  const gt = [{ name: 'a', boxes: [rect(0, 0, 10, 10, 'A'), rect(100, 0, 110, 10, 'B')] }];
  // IoU 80 / 120 = 0.67 (match) and 50 / 150 = 0.33 (no match); a duplicate cannot match twice.
  const pred = [{ name: 'a', boxes: [rect(2, 0, 12, 10), rect(105, 0, 115, 10), rect(2, 0, 12, 10)] }];
  const r = evaluateIou(gt, pred);
  assert.equal(r.det.numMatched, 1);
  assert.equal(r.det.recall, 1 / 2);
  assert.equal(r.det.precision, 1 / 3);
  assert.equal(r.det.hmean, (2 * (1 / 3) * (1 / 2)) / (1 / 3 + 1 / 2));
  assert.deepEqual(r.perImage.a.pairs, [[0, 0]]);
});

test('IoU protocol: detections inside a don\'t-care GT are ignored; no counted GT gives per-image recall 1', () => {
  const gt = [{ name: 'a', boxes: [rect(0, 0, 10, 10, '###')] }];
  const r = evaluateIou(gt, [{ name: 'a', boxes: [rect(1, 1, 9, 9)] }]);
  assert.equal(r.det.numDetCare, 0);
  assert.equal(r.perImage.a.det.recall, 1);
  assert.equal(r.perImage.a.det.precision, 1);
  assert.equal(r.det.hmean, 0);
});

test('IoU protocol rejects a misspelled option', () => {
  assert.throws(() => evaluateIou([], [], { iou: 0.7 } as never), OptionError);
});
