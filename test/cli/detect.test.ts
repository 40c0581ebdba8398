import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/fixtures';
import { renderWords } from '../helpers/render-words';
import { runCli } from '../helpers/run-cli';

test('detect --json prints one document with results and errors, and exits 1 when an image failed', async () => {
  const dir = tempDir();
  const good = path.join(dir, 'sign.jpg');
  const { jpeg } = await renderWords(480, 320, [{ text: 'Exit', x: 80, y: 180, size: 72, font: 'DejaVu Sans', color: '#000', angle: 0 }]);
  fs.writeFileSync(good, jpeg);
  const overlays = path.join(dir, 'overlays');
  const r = runCli(['detect', good, path.join(dir, 'missing.jpg'), '--json', '--threads', '1', '--overlay', overlays]);
  assert.equal(r.status, 1, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.results.length, 1);
  const res = doc.results[0];
  assert.equal(res.image, good);
  assert.equal(res.width, 480);
  assert.equal(res.height, 320);
  assert.equal(res.provider, 'cpu');
  assert.ok(res.boxes.length >= 1);
  assert.equal(res.boxes[0].points.length, 4);
  assert.equal(typeof res.boxes[0].score, 'number');
  assert.deepEqual(Object.keys(res.timings_ms).sort(), ['decode', 'infer', 'postprocess', 'preprocess']);
  assert.equal(doc.errors.length, 1);
  assert.match(doc.errors[0].error, /Image not found/);
  assert.ok(fs.existsSync(path.join(overlays, 'sign.png')), 'overlay written');
  assert.match(r.stderr, /provider: cpu/);
});

test('detect rejects an unknown provider with the valid choices and exit code 2', () => {
  const r = runCli(['detect', 'x.jpg', '--ep', 'cuda11']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Expected one of "cpu", "webgpu", "cuda", "tensorrt", "auto" for --ep but received "cuda11"/);
});

test('detect names a model path that is not ONNX', () => {
  const dir = tempDir();
  const bad = path.join(dir, 'model.onnx');
  fs.writeFileSync(bad, 'hello');
  const img = path.join(dir, 'a.jpg');
  const r = runCli(['detect', img, '--model', bad]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /model\.onnx is not a valid ONNX model/);
});
