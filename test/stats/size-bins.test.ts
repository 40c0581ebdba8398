import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OptionError, type Polygon } from '../../src/core';
import { binIndex, binLabels, deltasBySize, textHeight, type SizedSample, type ScoreTriple } from '../../src/stats';

const rect = (x: number, y: number, w: number, h: number): Polygon => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];

function rotate(poly: Polygon, deg: number): Polygon {
  const a = (deg * Math.PI) / 180;
  return poly.map(([x, y]) => [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)]);
}

/**
 * A deliberately simple metric written here, independent of the code under test: a GT box is found
 * when a prediction has exactly its vertices; don't-care boxes and predictions on them are ignored.
 */
function exactMatchMetric(gt: SizedSample[], pred: SizedSample[]): ScoreTriple {
  let care = 0, found = 0, dets = 0, good = 0;
  const key = (p: Polygon) => JSON.stringify(p);
  for (const g of gt) {
    const preds = new Set((pred.find((p) => p.name === g.name)?.boxes ?? []).map((b) => key(b.points)));
    const dc = new Set(g.boxes.filter((b) => b.dontCare || b.transcription === '###').map((b) => key(b.points)));
    const cares = g.boxes.filter((b) => !(b.dontCare || b.transcription === '###')).map((b) => key(b.points));
    care += cares.length;
    found += cares.filter((k) => preds.has(k)).length;
    for (const k of preds) {
      if (dc.has(k)) continue;
      dets++;
      if (cares.includes(k)) good++;
    }
  }
  const recall = care ? found / care : 1;
  const precision = dets ? good / dets : 1;
  return { precision, recall, hmean: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

test('textHeight is the short side of a rectangle at any rotation', () => {
  assert.ok(Math.abs(textHeight(rect(10, 10, 100, 20)) - 20) < 1e-9);
  assert.ok(Math.abs(textHeight(rotate(rect(0, 0, 300, 12), 30)) - 12) < 1e-9);
  assert.ok(Math.abs(textHeight(rect(0, 0, 40, 400)) - 40) < 1e-9, 'vertical text: the short side');
});

test('bins are labelled by their edges and heights fall into the right bin', () => {
  assert.deepEqual(binLabels([16, 32, 64]), ['<16 px', '16–32 px', '32–64 px', '>=64 px']);
  assert.equal(binIndex(15.9, [16, 32, 64]), 0);
  assert.equal(binIndex(16, [16, 32, 64]), 1);
  assert.equal(binIndex(500, [16, 32, 64]), 3);
});

test('a candidate that loses only small text shows the loss in the small bin alone', () => {
  const small = rect(10, 10, 60, 10);
  const large = rect(10, 100, 400, 100);
  const dc = rect(500, 10, 50, 50);
  const gt: SizedSample[] = [{ name: 'a', boxes: [{ points: small, transcription: 'tiny' }, { points: large, transcription: 'BIG' }, { points: dc, transcription: '###' }] }];
  const ref: SizedSample[] = [{ name: 'a', boxes: [{ points: small }, { points: large }] }];
  const cand: SizedSample[] = [{ name: 'a', boxes: [{ points: large }] }];
  const before = JSON.stringify([gt, ref, cand]);
  const rows = deltasBySize(gt, ref, cand, exactMatchMetric, { edges: [16, 64] });
  assert.equal(JSON.stringify([gt, ref, cand]), before, 'inputs unchanged');
  assert.deepEqual(rows.map((r) => r.bin), ['<16 px', '16–64 px', '>=64 px']);
  assert.deepEqual(rows.map((r) => r.gtBoxes), [1, 0, 1]);
  assert.equal(rows[0].refRecall, 1);
  assert.equal(rows[0].candRecall, 0);
  assert.equal(rows[0].recallDelta, -1);
  assert.equal(rows[0].hmeanDelta, -1);
  assert.equal(rows[2].hmeanDelta, 0);
  assert.equal(rows[2].refPrecision, 1, 'the detection of small text is not a false positive in the large bin');
  assert.equal(rows[2].maxHeight, Infinity);
});

test('rejects edges that are not ascending positive numbers, and misspelled options', () => {
  for (const edges of [[], [32, 16], [0, 8], ['a']]) {
    assert.throws(() => deltasBySize([], [], [], exactMatchMetric, { edges: edges as number[] }), (e: unknown) => e instanceof OptionError && /ascending positive/.test(e.message));
  }
  assert.throws(() => deltasBySize([], [], [], exactMatchMetric, { edge: [1] } as never), (e: unknown) => e instanceof OptionError && /Unknown option "edge"/.test(e.message));
});
