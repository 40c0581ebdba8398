import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import { OptionError } from '../../src/core';
import { OVERLAY_COLORS, drawOverlay, loadDataset, shapeTable, summarizeDataset, summaryFrame } from '../../src/data';
import { fixtureDataset } from './helpers';

test('summarizeDataset gives image and box records and does not mutate the dataset', async () => {
  const dir = await fixtureDataset('ic13', ['img_1.jpg', 'img_2.jpg']);
  const ds = await loadDataset(dir);
  const before = structuredClone(ds);
  const s = await summarizeDataset(ds);
  assert.deepEqual(ds, before);
  assert.deepEqual(s.images.map((i) => [i.id, i.width, i.height, i.orientation, i.boxes]), [
    ['img_1', 64, 48, 'landscape', 2],
    ['img_2', 64, 48, 'landscape', 2],
  ]);
  // "Footpath" box is 253 x 53: the text height is the shorter side.
  assert.deepEqual([s.boxes[0].height, s.boxes[0].length, s.boxes[0].chars], [53, 253, 8]);
  assert.deepEqual(shapeTable(s), [{ orientation: 'landscape', longSide: '0-639', images: 2 }]);
  const df = summaryFrame(s);
  assert.deepEqual(df.shape, [2, 7]);
  assert.ok(df.columns.includes('aspect'));
  assert.deepEqual(summaryFrame(s, 'boxes').shape[0], 4);
});

test('drawOverlay colours matched, missed and false boxes and keeps the image size', async () => {
  const dir = await fixtureDataset('ic13', ['img_1.jpg']);
  const img = `${dir}/images/big.png`;
  await sharp({ create: { width: 200, height: 100, channels: 3, background: { r: 0, g: 0, b: 0 } } }).toFile(img);
  const gt = [
    { points: [[20, 60], [80, 60], [80, 90], [20, 90]] as [number, number][], text: 'a', dontCare: false },
    { points: [[120, 60], [180, 60], [180, 90], [120, 90]] as [number, number][], text: 'b', dontCare: false },
  ];
  const detections = [
    { points: [[21, 61], [79, 61], [79, 89], [21, 89]] as [number, number][], score: 0.9 },
    { points: [[120, 5], [180, 5], [180, 30], [120, 30]] as [number, number][], score: 0.8 },
  ];
  const png = await drawOverlay(img, { gt, detections, matched: [{ gt: 0, det: 0 }] }, { legend: false, strokeWidth: 2 });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [200, 100]);
  const px = (x: number, y: number) => {
    const o = (y * info.width + x) * info.channels;
    return '#' + [data[o], data[o + 1], data[o + 2]].map((v) => v.toString(16).padStart(2, '0')).join('');
  };
  assert.equal(px(50, 60), OVERLAY_COLORS.matched);
  assert.equal(px(150, 60), OVERLAY_COLORS.missed);
  assert.equal(px(150, 5), OVERLAY_COLORS.false);
  await assert.rejects(drawOverlay(img, { gt, detections, matched: [{ gt: 5, det: 0 }] }), OptionError);
  await assert.rejects(drawOverlay(img, {}, { legnd: false } as never), /Unknown option "legnd"/);
});
