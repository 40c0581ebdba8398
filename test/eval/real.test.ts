import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateCleval, evaluateIou, readSubmission, type EvalBox } from '../../src/eval';
import { intersectionArea, asGeom } from '../../src/eval/geometry';
import { SHARED, haveShared } from './helpers';

const SETS = ['ic15_train_mmocr10', 'sroie_receipts40', 'totaltext_test2'];

/** True when two of the image's GT boxes overlap with positive area. */
function overlapping(boxes: EvalBox[]): boolean {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (intersectionArea(asGeom(boxes[i].points), asGeom(boxes[j].points)) > 0) return true;
    }
  }
  return false;
}

for (const set of SETS) {
  test(`real labels (${set}): GT scored against itself gives 1.0`, (t) => {
    const zip = path.join(SHARED, 'data', set, 'gt.zip');
    if (!haveShared(t, zip)) return;
    const gt = readSubmission(zip, 'QUAD');
    assert.ok(gt.length > 0 && fs.existsSync(zip));
    const iou = evaluateIou(gt, gt);
    assert.equal(iou.det.hmean, 1);
    const r = evaluateCleval(gt, gt, { e2e: true });
    // CLEval merges a box with overlapping neighbours by definition, so exact 1.0 holds for every
    // image whose GT boxes do not overlap (curved-text quads and some receipt lines do overlap).
    let clean = 0;
    for (const s of gt) {
      if (overlapping(s.boxes)) continue;
      clean++;
      const p = r.perImage[s.name];
      assert.equal(p.det.hmean, 1, `${s.name} det`);
      assert.equal(p.e2e!.hmean, 1, `${s.name} e2e`);
    }
    if (set === 'ic15_train_mmocr10') {
      // Its overlaps are only with don't-care boxes, so the whole set scores 1.0.
      assert.ok(clean > 0);
      assert.equal(r.det.hmean, 1);
      assert.equal(r.e2e!.hmean, 1);
    }
  });
}
