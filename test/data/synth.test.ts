import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, OptionError, type Point, type Polygon } from '../../src/core';
import { generateSynth, loadDataset } from '../../src/data';
import { renderMasks } from '../../src/data/synth/atlas';
import { drawMask } from '../../src/data/synth/canvas';
import { resolveFamilies } from '../../src/data/synth/fonts';
import { fromQuads, multiply, polygonArea, rectQuad, rotate, translate, type Mat3 } from '../../src/data/synth/geometry';
import { groundTruthQuad } from '../../src/data/synth/image';
import { tmpDir } from './helpers';

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

test('same seed gives byte-identical images, GT and manifest; a different seed differs', async () => {
  const a = tmpDir('synth-a');
  const b = tmpDir('synth-b');
  const c = tmpDir('synth-c');
  await generateSynth({ out: a, count: 4, seed: 11, concurrency: 3 });
  await generateSynth({ out: b, count: 4, seed: 11, concurrency: 1 });
  await generateSynth({ out: c, count: 4, seed: 12 });
  const files = listFiles(a);
  assert.deepEqual(files, listFiles(b));
  assert.equal(files.length, 4 * 2 + 1);
  for (const f of files) assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), `${f} differs between two runs`);
  const differing = files.filter((f) => f !== 'manifest.json' && !fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(c, f))));
  assert.equal(differing.length, 8, 'every image and GT file should change with the seed');
  const ds = await loadDataset(a);
  assert.equal(ds.format, 'icdar2015');
  assert.equal(ds.items.length, 4);
  assert.deepEqual(ds.skipped, []);
});

/** Brute-force minimum-area rectangle of pixel squares: the smallest axis-aligned box over rotations in 0.25 degree steps. */
function inkMinRectArea(pixels: Point[]): number {
  let best = Infinity;
  for (let d = 0; d < 90; d += 0.25) {
    const t = (d * Math.PI) / 180;
    const c = Math.cos(t);
    const s = Math.sin(t);
    let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
    for (const [x, y] of pixels) {
      for (const [px, py] of [[x, y], [x + 1, y], [x, y + 1], [x + 1, y + 1]]) {
        const u = px * c + py * s;
        const v = -px * s + py * c;
        u0 = Math.min(u0, u); u1 = Math.max(u1, u); v0 = Math.min(v0, v); v1 = Math.max(v1, v);
      }
    }
    best = Math.min(best, (u1 - u0) * (v1 - v0));
  }
  return best;
}

function insideConvex(q: Polygon, p: Point): boolean {
  let sign = 0;
  for (let i = 0; i < q.length; i++) {
    const a = q[i];
    const b = q[(i + 1) % q.length];
    const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    if (cross === 0) continue;
    if (sign === 0) sign = Math.sign(cross);
    else if (Math.sign(cross) !== sign) return false;
  }
  return true;
}

test('GT quad contains every ink pixel of the word and is at most 1.6x its minimum-area rectangle', async () => {
  const { found } = resolveFamilies(['DejaVu Sans', 'DejaVu Serif', 'Liberation Sans', 'Liberation Mono', 'Noto Serif']);
  const words = found.flatMap((f, i) => [
    { text: 'Quality', family: f.family, bold: i % 2 === 0, italic: i % 3 === 0, size: 18 + 9 * i, stacked: false },
    { text: 'EXIT', family: f.family, bold: true, italic: false, size: 40, stacked: i === 1 },
  ]);
  const masks = await renderMasks(words);
  const transforms: ((w: number, h: number) => Mat3)[] = [
    () => translate(20, 20),
    (w, h) => multiply(translate(w + 40, w + 40), multiply(rotate((37 * Math.PI) / 180), translate(-w / 2, -h / 2))),
    (w, h) => multiply(translate(w + 40, w + 40), multiply(rotate((-90 * Math.PI) / 180), translate(-w / 2, -h / 2))),
    (w, h) => multiply(translate(30, 30), fromQuads(rectQuad(0, 0, w, h), [[0, h * 0.15], [w, 0], [w * 0.95, h], [0, h * 0.8]])),
  ];
  let checked = 0;
  for (const m of masks) {
    for (const tf of transforms) {
      const M = tf(m.width, m.height);
      const size = 2 * (m.width + m.height) + 80;
      const canvas = { width: size, height: size, data: new Uint8Array(size * size * 3) };
      drawMask(canvas, m, M, [255, 255, 255], 1);
      const quad = groundTruthQuad(M, m.ink);
      const ink: Point[] = [];
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (canvas.data[(y * size + x) * 3] > 0) ink.push([x, y]);
      assert.ok(ink.length > 20);
      const outside = ink.filter(([x, y]) => !insideConvex(quad, [x + 0.5, y + 0.5]));
      assert.equal(outside.length, 0, `ink pixels outside the GT quad ${JSON.stringify(quad)}: ${JSON.stringify(outside.slice(0, 3))}`);
      const ratio = polygonArea(quad) / inkMinRectArea(ink);
      assert.ok(ratio <= 1.6, `GT quad is ${ratio.toFixed(2)}x the ink's minimum-area rectangle`);
      checked++;
    }
  }
  assert.ok(checked >= 16);
});

test('generateSynth fails clearly when none of the pinned font families is installed', () => {
  const empty = tmpDir('nofonts');
  assert.throws(() => resolveFamilies(['DejaVu Sans', 'Noto Sans'], [empty]), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /None of the generator's pinned font families is installed/);
    assert.match(e.message, /apt-get install -y fonts-dejavu-core fonts-liberation fonts-noto-core/);
    return true;
  });
});

test('generateSynth rejects an unknown preset, a misspelled option and a non-empty output folder', async () => {
  const out = tmpDir('synth-opts');
  await assert.rejects(generateSynth({ out, preset: 'nightmare' as never }), (e: unknown) => e instanceof OptionError && /"default", "easy", "hard"/.test(e.message));
  await assert.rejects(generateSynth({ out, cuont: 3 } as never), (e: unknown) => e instanceof OptionError && /Unknown option "cuont"/.test(e.message));
  await assert.rejects(generateSynth({ out, seed: -1 }), (e: unknown) => e instanceof OptionError && /seed/.test(e.message));
  fs.writeFileSync(path.join(out, 'x.txt'), 'x');
  await assert.rejects(generateSynth({ out, count: 1 }), (e: unknown) => e instanceof InputError && /not empty[\s\S]*overwrite/.test(e.message));
});
