/** Real sessions on real images: the interleaved detection pass, the heatmap and the overlays. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { runEngines, latencyTable } from '../../src/story/stage-run';
import { compareRuns } from '../../src/story/stage-compare';
import { probMapDiff, worstImageViews } from '../../src/story/stage-views';
import type { StoryItem } from '../../src/story/stage-run';

const SET = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'ic15_train_mmocr10');

function items(n: number): StoryItem[] | undefined {
  if (!fs.existsSync(path.join(SET, 'images'))) return undefined;
  return ['img_1', 'img_8'].slice(0, n).map((id) => ({
    id,
    imagePath: path.join(SET, 'images', `${id}.jpg`),
    boxes: fs.readFileSync(path.join(SET, 'gt', `gt_${id}.txt`), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean).map((line) => {
      const f = line.split(',');
      const pts = f.slice(0, 8).map(Number);
      const text = f.slice(8).join(',');
      return { points: [[pts[0], pts[1]], [pts[2], pts[3]], [pts[4], pts[5]], [pts[6], pts[7]]] as [number, number][], text, dontCare: text === '###' };
    }),
  }));
}

function needData(t: { skip: (m: string) => void }): StoryItem[] | undefined {
  const it = items(2);
  if (!it) {
    if (process.env.CI === 'true') assert.fail(`shared test data missing: ${SET}`);
    t.skip(`shared test data not found at ${SET}`);
  }
  return it;
}

test('two engines on the same model give the same boxes image by image, and a bad image is listed, not thrown', async (t) => {
  const data = needData(t);
  if (!data) return;
  const withBad = [...data, { id: 'missing', imagePath: path.join(SET, 'images', 'no-such.jpg'), boxes: [] }];
  let ticks = 0;
  const runs = await runEngines(withBad, [{ name: 'a', provider: 'cpu' }, { name: 'b', provider: 'cpu' }], { warmup: 0, threads: 1 }, () => ticks++);
  assert.equal(ticks, 6);
  assert.deepEqual(runs.map((r) => r.images.map((i) => i.id)), [['img_1', 'img_8'], ['img_1', 'img_8']]);
  assert.deepEqual(runs[0].images.map((i) => i.boxes), runs[1].images.map((i) => i.boxes));
  assert.ok(runs[0].images[0].boxes.length > 0, 'the model finds text in a street scene');
  assert.equal(runs[0].errors.length, 1);
  assert.match(runs[0].errors[0].error, /no-such\.jpg/);
  const lat = latencyTable(runs);
  assert.ok(lat.every((r) => r.infer_ms > 0 && r.total_ms >= r.infer_ms));
});

test('the heatmap of an engine against itself is all agreement; overlays show the worst image for both engines', async (t) => {
  const data = needData(t);
  if (!data) return;
  const heat = await probMapDiff(data[0].imagePath, { name: 'fp32', provider: 'cpu' }, { name: 'again', provider: 'cpu' }, 'ppocrv4-det', 1);
  assert.equal(heat.maxAbs, 0);
  const meta = await sharp(heat.png).metadata();
  assert.equal(meta.format, 'png');
  assert.ok(meta.width! > 0 && meta.width! % 32 === 0, 'the map has the model input size');

  const runs = await runEngines(data.slice(0, 1), [{ name: 'fp32', provider: 'cpu' }], { warmup: 0, threads: 1 });
  const worse = { ...runs[0], name: 'lossy', images: runs[0].images.map((i) => ({ ...i, boxes: [] })) };
  const cmp = compareRuns(data.slice(0, 1), runs[0], worse, { metric: 'iou', bootstrap: { iterations: 100 } });
  const views = await worstImageViews(data.slice(0, 1), cmp, { reference: runs[0], candidate: worse }, 1, 400);
  assert.equal(views.length, 1);
  assert.match(views[0].candidate.caption, /img_1: lossy, HMean/);
  assert.equal((await sharp(views[0].reference.png).metadata()).width, 400);
});
