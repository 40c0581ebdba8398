import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import polygonClipping from 'polygon-clipping';
import { Detector, cropMap, detect } from '../../src/pipeline';
import { ModelError, OptionError, type Point } from '../../src/core';
import { tempDir } from '../helpers/fixtures';
import { renderWords, type WordSpec } from '../helpers/render-words';
import { unaryModel } from '../helpers/tiny-onnx';

function area(poly: Point[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % poly.length];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

function iou(a: Point[], b: Point[]): number {
  const inter = polygonClipping.intersection([a.map((p) => [p[0], p[1]])] as never, [b.map((p) => [p[0], p[1]])] as never);
  let ia = 0;
  for (const poly of inter) {
    ia += area(poly[0] as Point[]);
    for (const hole of poly.slice(1)) ia -= area(hole as Point[]);
  }
  return ia / (area(a) + area(b) - ia);
}

const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono'];
const WORDS = ['OPEN', 'Station', 'coffee', 'EXIT 24', 'Market', 'parking', 'Hotel', 'SALE', 'library', 'Bus 42', 'north', 'Bakery'];
const COLORS = ['#111111', '#1a237e', '#b71c1c', '#004d40', '#ffffff', '#3e2723'];

function layout(seed: number, width: number, height: number): WordSpec[] {
  // A 3x4 grid, one word per cell, varying font, size, colour and rotation up to 30 degrees.
  const words: WordSpec[] = [];
  const cols = 3, rows = 4;
  for (let i = 0; i < cols * rows; i++) {
    const c = i % cols, r = Math.floor(i / cols);
    const k = i + seed * 5;
    const size = [30, 44, 58, 36][k % 4];
    const angle = [0, 12, -20, 30, -8, 0][k % 6] * (r === rows - 1 ? 0.5 : 1);
    words.push({
      text: WORDS[k % WORDS.length],
      x: c * (width / cols) + 30,
      y: r * (height / rows) + height / rows / 2 + size / 3,
      size,
      font: FONTS[k % FONTS.length],
      weight: k % 3 === 0 ? 'bold' : 'normal',
      color: COLORS[k % COLORS.length] === '#ffffff' && seed % 2 === 0 ? '#222222' : COLORS[k % COLORS.length],
      angle,
    });
  }
  return words;
}

test('finds every rendered word (IoU >= 0.5) with at most 10% extra boxes', async (t) => {
  const dir = tempDir();
  const detector = await Detector.create({ threads: 2 });
  try {
    let total = 0, found = 0, extra = 0;
    for (const seed of [1, 2, 3]) {
      const [w, h] = seed === 2 ? [900, 1200] : [1200, 900];
      const words = layout(seed, w, h).filter((wd) => !(wd.color === '#ffffff' && seed === 3));
      const { jpeg, quads } = await renderWords(w, h, words, seed);
      const file = path.join(dir, `words-${seed}.jpg`);
      fs.writeFileSync(file, jpeg);
      const res = await detector.detect(file);
      const used = new Set<number>();
      for (let g = 0; g < quads.length; g++) {
        let best = -1, bestIou = 0;
        res.boxes.forEach((b, i) => {
          const v = iou(quads[g], b.points);
          if (v > bestIou) { bestIou = v; best = i; }
        });
        total++;
        if (bestIou >= 0.5) { found++; used.add(best); }
        else t.diagnostic(`image ${seed}: missed "${words[g].text}" (best IoU ${bestIou.toFixed(2)})`);
      }
      extra += res.boxes.length - used.size;
    }
    t.diagnostic(`found ${found}/${total}, extra boxes ${extra}`);
    assert.equal(found, total, 'every word found');
    assert.ok(extra <= Math.floor(total * 0.1), `${extra} extra boxes > 10% of ${total}`);
  } finally {
    await detector.dispose();
  }
});

test('a batch goes on past bad images and lists each under errors', async () => {
  const dir = tempDir();
  const good = path.join(dir, 'good.jpg');
  const { jpeg } = await renderWords(320, 240, [{ text: 'Hello', x: 40, y: 130, size: 48, font: 'DejaVu Sans', color: '#000', angle: 0 }]);
  fs.writeFileSync(good, jpeg);
  const bad = path.join(dir, 'bad.jpg');
  fs.writeFileSync(bad, 'text');
  const batch = await detect([bad, good, path.join(dir, 'missing.png')], { threads: 1 });
  assert.equal(batch.results.length, 1);
  assert.equal(batch.results[0].image, good);
  assert.ok(batch.results[0].boxes.length >= 1);
  assert.deepEqual(batch.errors.map((e) => path.basename(e.image)), ['bad.jpg', 'missing.png']);
  const r = batch.results[0];
  for (const k of ['decode', 'preprocess', 'infer', 'postprocess'] as const) assert.ok(r.timings_ms[k] >= 0);
  // 240 / 32 = 7.5 rounds half to even: 8 * 32 = 256.
  assert.deepEqual(r.inputShape, [1, 3, 256, 320]);
});

test('rejects a model whose input is not an image batch', async () => {
  const file = path.join(tempDir(), 'vector.onnx');
  fs.writeFileSync(file, unaryModel('Identity', [1, 10]));
  await assert.rejects(Detector.create({ model: file }), (e: Error) =>
    e instanceof ModelError && e.message.includes('does not take an image') && e.message.includes('[1, 10]'));
});

test('runs PAN++ (exported from PyTorch) through the same pipeline with its pixel-aggregation post-processor', async (t) => {
  const { findTorchPython } = await import('../../src/export');
  try {
    findTorchPython();
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    t.skip(`PyTorch not installed (${(err as Error).message.split('\n')[0]})`);
    return;
  }
  const file = path.join(tempDir(), 'sign.jpg');
  const { jpeg } = await renderWords(384, 256, [{ text: 'PAN', x: 60, y: 150, size: 64, font: 'DejaVu Sans', color: '#000', angle: 0 }]);
  fs.writeFileSync(file, jpeg);
  const detector = await Detector.create({ model: 'panpp', threads: 2 });
  try {
    assert.deepEqual(detector.session.outputs.map((o) => o.name), ['text', 'kernel', 'embedding']);
    const r = await detector.detect(file);
    // limit_type "min", 736: the short side is scaled up to 736, both sides multiples of 32.
    // 384 * 736/256 = 1104; 1104/32 = 34.5 rounds half to even: 34 * 32 = 1088.
    assert.deepEqual(r.inputShape, [1, 3, 736, 1088]);
    // Seeded weights: the box count is arbitrary, but every box must lie inside the image.
    for (const b of r.boxes) for (const [x, y] of b.points) assert.ok(x >= 0 && x <= 384 && y >= 0 && y <= 256);
  } finally {
    await detector.dispose();
  }
});

test('graph I/O formats (uint8 packed in, uint8 packed out) give the same boxes as float32 I/O', async (t) => {
  const file = path.join(tempDir(), 'words.jpg');
  const { jpeg } = await renderWords(800, 600, layout(4, 800, 600).slice(0, 6), 4);
  fs.writeFileSync(file, jpeg);
  const plain = await Detector.create({ threads: 2 });
  const fast = await Detector.create({ threads: 2, io: { input: 'packed-nhwc', output: 'packed-uint8' } });
  try {
    const a = await plain.detect(file);
    const b = await fast.detect(file);
    assert.deepEqual(b.inputShape, a.inputShape);
    assert.equal(b.boxes.length, a.boxes.length);
    assert.ok(a.boxes.length >= 4, `${a.boxes.length} boxes`);
    for (let i = 0; i < a.boxes.length; i++) {
      for (let k = 0; k < 4; k++) {
        assert.ok(Math.abs(a.boxes[i].points[k][0] - b.boxes[i].points[k][0]) <= 1 && Math.abs(a.boxes[i].points[k][1] - b.boxes[i].points[k][1]) <= 1,
          `box ${i} corner ${k}: ${a.boxes[i].points[k]} vs ${b.boxes[i].points[k]}`);
      }
      // Scores come from a probability map quantised to 1/255.
      assert.ok(Math.abs(a.boxes[i].score - b.boxes[i].score) < 0.01);
    }
    t.diagnostic(`${a.boxes.length} boxes; infer float32 ${a.timings_ms.infer.toFixed(1)} ms, packed ${b.timings_ms.infer.toFixed(1)} ms`);
  } finally {
    await plain.dispose();
    await fast.dispose();
  }
});

test('rejects an unknown I/O format with the valid choices', async () => {
  await assert.rejects(Detector.create({ io: { input: 'uint4', output: 'float32' } as never }), (e: Error) =>
    e instanceof OptionError && /Expected one of .*"packed-nhwc".* for io.input but received "uint4"/.test(e.message));
});

test('buckets pad each image to the smallest shape that holds it and keep the boxes of the unpadded run', async (t) => {
  const file = path.join(tempDir(), 'words.jpg');
  const { jpeg } = await renderWords(800, 600, layout(4, 800, 600).slice(0, 6), 4);
  fs.writeFileSync(file, jpeg);
  // 800x600 resizes to 608x800 (H x W); the 640x832 bucket is the smallest that holds it.
  const buckets = [{ height: 960, width: 960 }, { height: 640, width: 832 }, { height: 608, width: 768 }];
  const plain = await Detector.create({ threads: 2 });
  const padded = await Detector.create({ threads: 2, buckets, keepProbMap: true });
  const packed = await Detector.create({ threads: 2, buckets, io: { input: 'packed-nhwc', output: 'packed-uint8' } });
  try {
    const a = await plain.detect(file);
    const b = await padded.detect(file);
    const c = await packed.detect(file);
    assert.deepEqual(a.inputShape, [1, 3, 608, 800]);
    assert.ok(a.boxes.length >= 4, `${a.boxes.length} boxes`);
    assert.deepEqual(b.inputShape, [1, 3, 640, 832], 'the model saw the bucket');
    assert.deepEqual(c.inputShape, [1, 3, 640, 832]);
    assert.deepEqual([b.probMap?.height, b.probMap?.width], [608, 800], 'the map is cropped to the image region');
    for (const r of [b, c]) {
      assert.equal(r.boxes.length, a.boxes.length);
      for (let i = 0; i < a.boxes.length; i++) {
        // Padding changes what the network sees only near the right and bottom edges: a pixel or two per
        // axis here (a wrong crop or scale would move boxes by tens of pixels).
        for (let k = 0; k < 4; k++) {
          const dx = Math.abs(a.boxes[i].points[k][0] - r.boxes[i].points[k][0]);
          const dy = Math.abs(a.boxes[i].points[k][1] - r.boxes[i].points[k][1]);
          assert.ok(dx <= 2 && dy <= 2, `box ${i} corner ${k}: ${a.boxes[i].points[k]} vs ${r.boxes[i].points[k]}`);
        }
      }
    }
    t.diagnostic(`${a.boxes.length} boxes, padded to 640x832`);
  } finally {
    await Promise.all([plain.dispose(), padded.dispose(), packed.dispose()]);
  }
});

test('an image no bucket holds is a ShapeError naming it, and a batch goes on past it', async () => {
  const dir = tempDir();
  const small = path.join(dir, 'small.jpg');
  const big = path.join(dir, 'big.jpg');
  fs.writeFileSync(small, (await renderWords(320, 240, layout(1, 320, 240).slice(0, 2), 1)).jpeg);
  fs.writeFileSync(big, (await renderWords(800, 600, layout(2, 800, 600).slice(0, 2), 2)).jpeg);
  const d = await Detector.create({ threads: 2, buckets: [{ height: 256, width: 320 }] });
  try {
    const batch = await d.detectMany([big, small]);
    assert.equal(batch.results.length, 1);
    assert.equal(batch.results[0].image, small);
    assert.equal(batch.errors.length, 1);
    assert.match(batch.errors[0].error, new RegExp(`${big.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} resizes to 608x800, which none of the buckets 256x320 holds`));
    assert.match(batch.errors[0].error, /Fix: add a bucket of at least 608x800/);
  } finally {
    await d.dispose();
  }
});

test('rejects buckets that are not multiples of the model resize multiple', async () => {
  await assert.rejects(Detector.create({ buckets: [{ height: 600, width: 800 }] }), (e: Error) =>
    e instanceof OptionError && /Bucket \{"height":600,"width":800\} is not .* multiples of 32/.test(e.message));
});

test('cropMap keeps the top-left window row by row', () => {
  const map = { data: Float32Array.from({ length: 12 }, (_, i) => i), width: 4, height: 3 };
  assert.deepEqual([...cropMap(map, 2, 2).data], [0, 1, 4, 5]);
  assert.equal(cropMap(map, 4, 3), map, 'no copy when nothing is cropped');
});
