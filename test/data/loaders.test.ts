import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { InputError, OptionError } from '../../src/core';
import { detectFormat, loadDataset, parseIcdar13, parseIcdar15, parseTotalText } from '../../src/data';
import { FIXTURES, SHARED_DATA, fixtureDataset, needShared, tmpDir } from './helpers';

const read = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel));

test('ICDAR 2015: reads BOM, CRLF, commas inside transcriptions, ### and trailing blank lines', () => {
  const boxes = parseIcdar15(read('ic15/gt/gt_img_1.txt'), 'gt_img_1.txt');
  assert.equal(boxes.length, 3);
  assert.deepEqual(boxes[0], { points: [[10, 10], [60, 10], [60, 30], [10, 30]], text: 'Hello', dontCare: false });
  assert.equal(boxes[1].text, '1,000,000');
  assert.equal(boxes[2].dontCare, true);
});

test('ICDAR 2015: a malformed coordinate is an error naming file and line', () => {
  assert.throws(() => parseIcdar15(read('ic15/gt/gt_img_3.txt'), 'gt_img_3.txt'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /gt_img_3\.txt:2: coordinate 4 \("x6"\) is not a number/);
    return true;
  });
});

test('ICDAR 2015: GT that is not UTF-8 is an error, not replacement characters', () => {
  assert.throws(() => parseIcdar15(read('ic15/gt/gt_img_4.txt'), 'gt_img_4.txt'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /gt_img_4\.txt is not valid UTF-8[\s\S]*Fix:/);
    return true;
  });
});

test('ICDAR 2013: reads space- and comma-separated boxes as clockwise quads with quoted text', () => {
  const a = parseIcdar13(read('ic13/gt/gt_img_1.txt'), 'a');
  assert.deepEqual(a[0], { points: [[158, 128], [411, 128], [411, 181], [158, 181]], text: 'Footpath', dontCare: false });
  const b = parseIcdar13(read('ic13/gt/gt_img_2.txt'), 'b');
  assert.equal(b[0].text, 'Tiredness, kills');
  assert.equal(b[1].text, 'EXIT 12');
  assert.throws(() => parseIcdar13(Buffer.from('10 20 5 30 "x"\n'), 'c.txt'), /c\.txt:1: right\/bottom smaller than left\/top/);
});

test('Total-Text: reads polygon lines (numeric transcriptions too) and the original x:/y: layout', () => {
  const poly = parseTotalText(read('totaltext/gt/gt_img_1.txt'), 'p');
  assert.equal(poly[0].points.length, 4);
  assert.equal(poly[1].points.length, 6);
  assert.equal(poly[1].text, 'naughty, nice');
  assert.deepEqual(poly[2], { points: [[10, 10], [30, 10], [30, 30]], text: '2024', dontCare: false });
  const legacy = parseTotalText(read('totaltext/gt/poly_gt_img_2.txt'), 'l');
  assert.deepEqual(legacy[0].points, [[115, 322], [503, 346], [494, 426], [115, 404]]);
  assert.equal(legacy[0].text, 'nauGHTY');
  assert.equal(legacy[1].dontCare, true);
  assert.throws(() => parseTotalText(Buffer.from('1,2,3,4,ab\n'), 't.txt'), /t\.txt:1: 4 leading coordinates/);
});

test('format detection tells the three formats apart and asks for --format when it cannot', () => {
  const s = (text: string) => [{ file: 'f', bytes: Buffer.from(text) }];
  assert.equal(detectFormat(s('1,2,3,4,5,6,7,8,a\n')), 'icdar2015');
  assert.equal(detectFormat(s('1 2 3 4 "a"\n')), 'icdar2013');
  assert.equal(detectFormat(s('1,2,3,4,5,6,7,8,9,10,a\n1,2,3,4,5,6,7,8,b\n')), 'totaltext');
  assert.throws(() => detectFormat(s('1,2,a\n')), (e: unknown) => e instanceof InputError && /pass format/.test(e.message));
});

test('loadDataset lists GT without image, image without GT and unreadable images as skips, never drops them', async () => {
  const dir = await fixtureDataset('ic15', ['img_1.png', 'img_2.png']);
  fs.writeFileSync(path.join(dir, 'images', 'img_5.jpg'), 'not a jpeg');
  fs.writeFileSync(path.join(dir, 'gt', 'gt_img_5.txt'), '1,1,5,1,5,5,1,5,x\n');
  fs.rmSync(path.join(dir, 'gt', 'gt_img_3.txt'));
  fs.rmSync(path.join(dir, 'gt', 'gt_img_4.txt'));
  const ds = await loadDataset(dir);
  assert.equal(ds.format, 'icdar2015');
  assert.deepEqual(ds.items.map((i) => i.id), ['img_1']);
  assert.deepEqual(ds.items[0].size, { width: 64, height: 48 });
  const reasons = ds.skipped.map((s) => `${path.basename(s.path)}: ${s.reason.split(' (')[0].split(':')[0]}`);
  assert.deepEqual(reasons.sort(), [
    'gt_img_9.txt: ground truth without an image',
    'img_2.png: image without ground truth',
    'img_5.jpg: unreadable image',
  ]);
});

test('loadDataset throws on a malformed GT file unless strict is false, then lists it', async () => {
  const dir = await fixtureDataset('ic15', ['img_1.png', 'img_3.png']);
  fs.rmSync(path.join(dir, 'gt', 'gt_img_4.txt'));
  await assert.rejects(loadDataset(dir), /gt_img_3\.txt:2/);
  const ds = await loadDataset(dir, { strict: false });
  assert.deepEqual(ds.items.map((i) => i.id), ['img_1']);
  assert.ok(ds.skipped.some((s) => s.path.endsWith('gt_img_3.txt') && /:2:/.test(s.reason)));
});

test('loadDataset reads a zip with a top-level folder like the folder itself', async () => {
  const dir = await fixtureDataset('ic13', ['img_1.jpg', 'img_2.jpg']);
  const zipPath = path.join(tmpDir('zip'), 'set.zip');
  const zip = new AdmZip();
  zip.addLocalFolder(dir, 'myset');
  zip.writeZip(zipPath);
  process.env.DETBENCH_CACHE = tmpDir('cache');
  const ds = await loadDataset(zipPath);
  assert.equal(ds.format, 'icdar2013');
  assert.deepEqual(ds.items.map((i) => [i.id, i.boxes.length]), [['img_1', 2], ['img_2', 2]]);
  assert.ok(fs.existsSync(ds.items[0].imagePath));
});

test('loadDataset rejects a misspelled option and an unknown format, listing the valid ones', async () => {
  const dir = await fixtureDataset('ic13', ['img_1.jpg']);
  await assert.rejects(loadDataset(dir, { fromat: 'icdar2013' } as never), (e: unknown) => e instanceof OptionError && /valid options: format/.test(e.message));
  await assert.rejects(loadDataset(dir, { format: 'coco' as never }), (e: unknown) => e instanceof OptionError && /"icdar2015", "icdar2013", "totaltext"/.test(e.message));
  await assert.rejects(loadDataset(path.join(dir, 'nope')), (e: unknown) => e instanceof InputError && /does not exist/.test(e.message));
});

test('loadDataset reads the shared real ICDAR 2015 and Total-Text samples', async (t) => {
  const ic15 = path.join(SHARED_DATA, 'ic15_train_mmocr10');
  const tt = path.join(SHARED_DATA, 'totaltext_test2');
  if (!needShared(t, ic15) || !needShared(t, tt)) return;
  const a = await loadDataset(ic15);
  assert.equal(a.format, 'icdar2015');
  assert.equal(a.items.length, 10);
  assert.deepEqual(a.skipped, []);
  assert.ok(a.items.every((i) => i.size?.width === 1280 && i.size?.height === 720));
  const b = await loadDataset(tt, { format: 'totaltext', gt: 'gt_poly' });
  assert.equal(b.items.length, 2);
  assert.ok(b.items.some((i) => i.boxes.some((x) => x.points.length > 4)));
});
