import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../../src/image';
import { InputError } from '../../src/core';
import { tempDir } from '../helpers/fixtures';

const dir = tempDir();
const solid = (w: number, h: number, rgb: [number, number, number]) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });

test('names a missing file and says to check the path', async () => {
  await assert.rejects(decodeImage(path.join(dir, 'nope.jpg')), (e: Error) => e instanceof InputError && /Image not found: .*nope\.jpg/.test(e.message));
});

test('rejects a directory and suggests the images inside it', async () => {
  await assert.rejects(decodeImage(dir), (e: Error) => e instanceof InputError && /is a directory/.test(e.message) && /Fix:/.test(e.message));
});

test('rejects a zero-byte file', async () => {
  const f = path.join(dir, 'empty.jpg');
  fs.writeFileSync(f, '');
  await assert.rejects(decodeImage(f), (e: Error) => e instanceof InputError && /empty \(0 bytes\)/.test(e.message));
});

test('rejects a text file named .jpg', async () => {
  const f = path.join(dir, 'notes.jpg');
  fs.writeFileSync(f, 'this is not an image\n');
  await assert.rejects(decodeImage(f), (e: Error) => e instanceof InputError && /Cannot read .*notes\.jpg as an image/.test(e.message));
});

test('rejects a truncated JPEG instead of returning grey pixels', async () => {
  const full = await solid(400, 300, [10, 200, 30]).jpeg().toBuffer();
  const noisy = await sharp({ create: { width: 400, height: 300, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg().toBuffer();
  const f = path.join(dir, 'truncated.jpg');
  fs.writeFileSync(f, noisy.subarray(0, Math.floor(noisy.length / 2)));
  assert.ok(full.length > 0);
  await assert.rejects(decodeImage(f), (e: Error) => e instanceof InputError && /truncated\.jpg/.test(e.message));
});

test('rejects a 1x1 image as too small', async () => {
  const f = path.join(dir, 'pixel.png');
  await solid(1, 1, [0, 0, 0]).png().toFile(f);
  await assert.rejects(decodeImage(f), (e: Error) => e instanceof InputError && /1x1, too small/.test(e.message));
});

test('rejects an image over the pixel limit before decoding it', async () => {
  const f = path.join(dir, 'big.png');
  await solid(300, 200, [0, 0, 0]).png().toFile(f);
  await assert.rejects(decodeImage(f, { maxPixels: 50_000 }), (e: Error) => e instanceof InputError && /60000 pixels, over the limit of 50000/.test(e.message));
});

test('turns grayscale, RGBA and 16-bit PNGs into 8-bit RGB', async () => {
  const gray = path.join(dir, 'gray.png');
  await solid(16, 16, [90, 90, 90]).toColourspace('b-w').png().toFile(gray);
  const g = await decodeImage(gray);
  assert.equal(g.data.length, 16 * 16 * 3);
  assert.deepEqual([...g.data.subarray(0, 3)], [90, 90, 90]);

  const rgba = path.join(dir, 'rgba.png');
  await sharp({ create: { width: 16, height: 16, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toFile(rgba);
  const a = await decodeImage(rgba);
  assert.deepEqual([...a.data.subarray(0, 3)], [255, 255, 255], 'transparent pixels become white, like paper');

  const deep = path.join(dir, 'deep.png');
  await solid(16, 16, [255, 128, 0]).toColourspace('rgb16').png().toFile(deep);
  assert.equal((await sharp(deep).metadata()).depth, 'ushort');
  const d = await decodeImage(deep);
  assert.equal(d.data.length, 16 * 16 * 3);
  assert.deepEqual([...d.data.subarray(0, 3)], [255, 128, 0]);
});

test('honours EXIF orientation (a portrait phone photo stays portrait)', async () => {
  // 40x20 landscape pixels with orientation 6 (rotate 90° clockwise) → 20x40 upright.
  const left = await solid(20, 20, [255, 0, 0]).png().toBuffer();
  const img = await sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 0, g: 0, b: 255 } } })
    .composite([{ input: left, left: 0, top: 0 }])
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  const f = path.join(dir, 'exif.jpg');
  fs.writeFileSync(f, img);
  const out = await decodeImage(f);
  assert.equal(out.width, 20);
  assert.equal(out.height, 40);
  // The red left half ends up on top after a clockwise rotation.
  const top = out.data.subarray(0, 3);
  assert.ok(top[0] > 200 && top[2] < 60, `expected red at top, got ${[...top]}`);
});

test('decodes CMYK JPEG, WebP, TIFF and the first frame of a GIF', async () => {
  const base = solid(24, 24, [200, 40, 40]);
  const files: [string, Buffer][] = [
    ['cmyk.jpg', await base.clone().toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer()],
    ['img.webp', await base.clone().webp({ lossless: true }).toBuffer()],
    ['img.tiff', await base.clone().tiff().toBuffer()],
    ['img.gif', await base.clone().gif().toBuffer()],
  ];
  for (const [name, buf] of files) {
    const f = path.join(dir, name);
    fs.writeFileSync(f, buf);
    const out = await decodeImage(f);
    assert.equal(out.width, 24, name);
    const [r, g, b] = out.data.subarray(0, 3);
    assert.ok(Math.abs(r - 200) < 25 && g < 80 && b < 80, `${name}: ${r},${g},${b}`);
  }
});
