import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OptionError, type Polygon } from '../../src/core';
import { compareRuns, formatFinalTable, variantFront } from '../../src/story/stage-compare';
import { latencyTable, type EngineRun, type StoryItem } from '../../src/story/stage-run';

const rect = (x: number, y: number, w: number, h: number): Polygon => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
const timings = (infer: number) => ({ decode: 5, preprocess: 10, infer, postprocess: 2 });

// Three images: two words each (one small, one large); one don't-care region in image c.
const items: StoryItem[] = ['a', 'b', 'c'].map((id) => ({
  id,
  imagePath: `/nonexistent/${id}.jpg`,
  boxes: [
    { points: rect(10, 10, 80, 12), text: 'small', dontCare: false },
    { points: rect(10, 100, 400, 90), text: 'LARGE', dontCare: false },
    ...(id === 'c' ? [{ points: rect(500, 10, 50, 50), text: '###', dontCare: true }] : []),
  ],
}));

function run(name: string, infer: number, drop: (id: string, i: number) => boolean): EngineRun {
  return {
    name,
    provider: 'cpu',
    errors: [],
    images: items.map((it) => ({
      id: it.id, width: 640, height: 480, inputShape: [1, 3, 480, 640], timings_ms: timings(infer),
      boxes: it.boxes.filter((b, i) => !b.dontCare && !drop(it.id, i)).map((b) => ({ points: b.points, score: 0.9 })),
    })),
  };
}

test('identical detections give zero differences and "no significant change"', () => {
  const ref = run('fp32', 100, () => false);
  const cand = run('int8', 40, () => false);
  const c = compareRuns(items, ref, cand, { bootstrap: { iterations: 200 } });
  const byMetric = Object.fromEntries(c.finalTable.map((r) => [r.metric, r]));
  assert.equal(byMetric.HMean.reference, 1);
  assert.equal(byMetric.HMean.difference, 0);
  assert.equal(byMetric['inference time per image (ms, median)'].reference, 100);
  assert.equal(byMetric['inference time per image (ms, median)'].change_pct, -60);
  assert.match(c.bootstrap.verdict, /^no significant change at 95%/);
  assert.ok(c.perImage.every((d) => d.delta === 0));
});

test('an engine that misses small text loses recall in the small bin only, and the worst image comes first', () => {
  const ref = run('fp32', 100, () => false);
  const cand = run('int8', 40, (id, i) => i === 0 && id !== 'b'); // misses the small word in a and c
  const before = JSON.stringify([items, ref, cand]);
  const c = compareRuns(items, ref, cand, { metric: 'iou', sizeEdges: [32], bootstrap: { iterations: 200 } });
  assert.equal(JSON.stringify([items, ref, cand]), before, 'inputs unchanged');
  const recall = c.finalTable.find((r) => r.metric === 'Recall')!;
  assert.equal(recall.reference, 1);
  assert.ok(Math.abs(recall.engine - 4 / 6) < 1e-12, 'IoU protocol: 4 of 6 words found');
  assert.ok(Math.abs(recall.change_pct - -100 / 3) < 1e-9);
  assert.deepEqual(c.perImage.map((d) => d.image), ['a', 'c', 'b']);
  assert.equal(c.perImage[2].delta, 0);
  const [small, large] = c.sizeBins;
  assert.equal(small.bin, '<32 px');
  assert.equal(small.candRecall, 1 / 3);
  assert.equal(large.hmeanDelta, 0);
  assert.match(formatFinalTable(c), /^\s+reference \(fp32\)\s+engine \(int8\)\s+difference\s+change\n/);
  assert.match(formatFinalTable(c), /Recall\s+1\.0000\s+0\.6667\s+-0\.3333\s+-33\.33%/);
});

test('images that failed in one engine are left out of the pairing', () => {
  const ref = run('fp32', 100, () => false);
  const cand = run('int8', 40, () => false);
  cand.images = cand.images.filter((i) => i.id !== 'b');
  cand.errors = [{ id: 'b', error: 'boom' }];
  const c = compareRuns(items, ref, cand, { bootstrap: { iterations: 200 } });
  assert.equal(c.perImage.length, 2);
  assert.equal(c.bootstrap.images, 2);
});

test('rejects runs with no image in common, and an unknown metric', () => {
  const ref = run('fp32', 100, () => false);
  const cand = { ...run('int8', 40, () => false), images: [] };
  assert.throws(() => compareRuns(items, ref, cand), (e: unknown) => e instanceof OptionError && /No image was processed by both fp32 and int8/.test(e.message));
  assert.throws(() => compareRuns(items, ref, ref, { metric: 'f1' as never }), (e: unknown) => e instanceof OptionError && /"cleval", "iou"/.test(e.message));
});

test('latency medians and the variant front', () => {
  const runs = [run('fp32', 100, () => false), run('int8', 40, () => false), run('slow-bad', 120, (_id, i) => i === 0)];
  const lat = latencyTable(runs);
  assert.equal(lat[0].total_ms, 117);
  assert.ok(Math.abs(lat[1].images_per_s - 1000 / 57) < 1e-9);
  const front = variantFront(items, runs, 'iou');
  assert.deepEqual(front.map((p) => [p.name, p.onFront]), [['fp32', false], ['int8', true], ['slow-bad', false]]);
});

test('overlays grey out unmatched detections lying mostly inside a don\'t-care region', async () => {
  const { ignoredDetections } = await import('../../src/story/stage-views');
  const gt = [{ points: rect(0, 0, 100, 100), dontCare: true }, { points: rect(300, 0, 50, 20), dontCare: false }];
  const dets = [{ points: rect(10, 10, 50, 50) }, { points: rect(80, 0, 100, 100) }, { points: rect(20, 20, 10, 10) }, { points: rect(300, 0, 50, 20) }];
  // det 0 inside: ignored; det 1 only 20% inside: a false detection; det 2 inside but matched; det 3 on care text.
  assert.deepEqual(ignoredDetections(gt, dets, new Set([2, 3])), [0]);
  assert.deepEqual(ignoredDetections([gt[1]], dets, new Set()), [], 'no don\'t-care regions, nothing ignored');
});
