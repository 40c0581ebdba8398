import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { InputError, OptionError } from '../../src/core';
import { parseSubmissionText, readSubmission, sampleName } from '../../src/eval';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'detbench-eval-'));
}

test('reads QUAD lines with BOM, CRLF, blank lines, commas and quotes in transcriptions', () => {
  const text = '\uFEFF1,2,3,4,5,6,7,8,Hello, world\r\n\r\n  \r\n10, 20 ,30,40,50,60,70,80,"say \\"hi\\""\r\n-1,2,3,4,5,6,7,8,###\r\n';
  const boxes = parseSubmissionText(text, 'QUAD', 'gt_a.txt', 'required');
  assert.equal(boxes.length, 3);
  assert.deepEqual(boxes[0].points, [[1, 2], [3, 4], [5, 6], [7, 8]]);
  assert.equal(boxes[0].transcription, 'Hello, world');
  assert.equal(boxes[1].transcription, 'say "hi"');
  assert.deepEqual(boxes[2].points[0], [-1, 2]);
  assert.equal(boxes[2].transcription, '###');
});

test('transcription is optional in detection results and decimals are accepted', () => {
  const boxes = parseSubmissionText('1.5,2,3,4,5,6,7,8\n', 'QUAD', 'res_a.txt');
  assert.deepEqual(boxes, [{ points: [[1.5, 2], [3, 4], [5, 6], [7, 8]], transcription: '' }]);
});

test('an invalid line is an InputError naming the file and line', () => {
  assert.throws(
    () => parseSubmissionText('1,2,3,4,5,6,7,8,ok\n1,2,3,x,5,6,7,8,bad\n', 'QUAD', 'gt_img.txt', 'required'),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /^gt_img\.txt:2: expected 8 comma-separated numbers/);
      assert.match(e.message, /Fix: write the line as x1,y1,x2,y2,x3,y3,x4,y4\[,transcription\]/);
      return true;
    },
  );
  assert.throws(() => parseSubmissionText('1,2,3,4,5,6,7,8\n', 'QUAD', 'gt_img.txt', 'required'), /gt_img\.txt:1: missing transcription/);
});

test('LTRB lines become quads and left > right is rejected', () => {
  const [b] = parseSubmissionText('10,20,30,40,word,s\n', 'LTRB', 'gt_a.txt', 'required');
  assert.deepEqual(b.points, [[10, 20], [30, 20], [30, 40], [10, 40]]);
  assert.equal(b.transcription, 'word,s');
  assert.throws(() => parseSubmissionText('30,20,10,40,w\n', 'LTRB', 'gt_a.txt'), /gt_a\.txt:1: left 30 is greater than right 10/);
});

test('POLY lines take any even count of coordinates; a numeric transcription stays text when required', () => {
  const [a, b] = parseSubmissionText('0,0,10,0,20,0,20,10,10,10,0,10,curved, text\n0,0,10,0,10,10,0,10,2019\n', 'POLY', 'gt_p.txt', 'required');
  assert.equal(a.points.length, 6);
  assert.equal(a.transcription, 'curved, text');
  assert.equal(b.points.length, 4);
  assert.equal(b.transcription, '2019');
  const [c] = parseSubmissionText('0,0,10,0,10,10,0,10\n', 'POLY', 'res_p.txt');
  assert.equal(c.points.length, 4);
  assert.equal(c.transcription, '');
  assert.throws(() => parseSubmissionText('0,0,10,0,x\n', 'POLY', 'gt_p.txt', 'required'), /gt_p\.txt:1: expected at least 3 points/);
});

test('a folder and a zip of the same files read the same; names drop gt_/res_ and .txt', () => {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'gt_img_2.txt'), '1,1,9,1,9,9,1,9,b\n');
  fs.writeFileSync(path.join(dir, 'gt_img_1.txt'), '0,0,10,0,10,10,0,10,a\r\n');
  fs.writeFileSync(path.join(dir, 'notes.md'), 'ignored');
  const zip = new AdmZip();
  zip.addLocalFile(path.join(dir, 'gt_img_1.txt'));
  zip.addLocalFile(path.join(dir, 'gt_img_2.txt'));
  const zipPath = path.join(dir, 'gt.zip');
  zip.writeZip(zipPath);
  const fromDir = readSubmission(dir, 'QUAD');
  const fromZip = readSubmission(zipPath, 'QUAD');
  assert.deepEqual(fromDir.map((s) => s.name), ['img_1', 'img_2']);
  assert.deepEqual(fromZip, fromDir);
  assert.equal(sampleName('res_img_7.txt'), 'img_7');
  fs.rmSync(dir, { recursive: true });
});

test('a missing path and an unknown option are clear errors', () => {
  assert.throws(() => readSubmission('/nonexistent/gt.zip'), (e: unknown) => e instanceof InputError && /Cannot read \/nonexistent\/gt\.zip/.test(e.message));
  assert.throws(() => readSubmission('.', 'QUAD', { transcriptions: 'required' } as never), OptionError);
  assert.throws(() => readSubmission('.', 'RECT' as never), /Expected one of "QUAD", "LTRB", "POLY" for boxType/);
});
