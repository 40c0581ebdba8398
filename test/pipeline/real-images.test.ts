import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Detector } from '../../src/pipeline';
import { loadDataset } from '../../src/data';
import { evaluateCleval, evaluateIou, detSample, type EvalSample } from '../../src/eval';
import { sharedPath } from '../helpers/fixtures';

// Regression guard on real street scenes (ICDAR 2015 training images; ground truth is word-level while
// PP-OCRv4 det finds lines, so IoU precision/recall are modest; CLEval credits line boxes over words).
// Measured 2026-11: IoU hmean 0.698, CLEval hmean 0.902; the floors below leave room for provider noise.
test('PP-OCRv4 det on ICDAR 2015 street scenes scores sensibly under both protocols', async (t) => {
  const root = sharedPath('data/ic15_train_mmocr10');
  if (!root) return t.skip('../shared/data/ic15_train_mmocr10 not present (outside CI)');
  const ds = await loadDataset(root);
  assert.equal(ds.items.length, 10);
  const detector = await Detector.create({ threads: 2 });
  const gt: EvalSample[] = [];
  const pred: EvalSample[] = [];
  try {
    for (const item of ds.items) {
      const r = await detector.detect(item.imagePath);
      gt.push({ name: item.id, boxes: item.boxes.map((b) => ({ points: b.points, transcription: b.text, dontCare: b.dontCare })) });
      pred.push(detSample(item.id, r.boxes));
    }
  } finally {
    await detector.dispose();
  }
  const iou = evaluateIou(gt, pred);
  const cl = evaluateCleval(gt, pred);
  t.diagnostic(`IoU P/R/H ${iou.det.precision.toFixed(3)}/${iou.det.recall.toFixed(3)}/${iou.det.hmean.toFixed(3)}; CLEval P/R/H ${cl.det.precision.toFixed(3)}/${cl.det.recall.toFixed(3)}/${cl.det.hmean.toFixed(3)}`);
  assert.ok(iou.det.hmean >= 0.6, `IoU hmean ${iou.det.hmean}`);
  assert.ok(cl.det.hmean >= 0.85, `CLEval hmean ${cl.det.hmean}`);
  assert.ok(fs.existsSync(path.join(root, 'gt.zip')));
});
