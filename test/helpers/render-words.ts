/**
 * Renders words at known positions onto textured backgrounds with sharp, and gives each word's exact
 * quad: the ink bounds of the word rendered alone (unrotated), rotated by the same transform.
 * Independent of the detector under test.
 */
import sharp from 'sharp';
import type { Point } from '../../src/core';

export interface WordSpec {
  text: string;
  x: number; // anchor (left of the baseline)
  y: number;
  size: number;
  font: string;
  weight?: 'normal' | 'bold';
  color: string;
  angle: number; // degrees, clockwise, about the anchor
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function textEl(w: WordSpec, rotate: boolean): string {
  const t = rotate && w.angle ? ` transform="rotate(${w.angle} ${w.x} ${w.y})"` : '';
  return `<text x="${w.x}" y="${w.y}" font-family="${w.font}" font-size="${w.size}" font-weight="${w.weight ?? 'normal'}" fill="${w.color}"${t}>${esc(w.text)}</text>`;
}

/** Ink bounds of one word rendered alone without rotation: [left, top, right, bottom] in pixels. */
async function inkBounds(w: WordSpec, width: number, height: number): Promise<[number, number, number, number]> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${textEl({ ...w, color: '#000' }, false)}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  let l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[y * info.width + x] > 24) {
        if (x < l) l = x;
        if (x > r) r = x;
        if (y < t) t = y;
        if (y > b) b = y;
      }
    }
  }
  if (!Number.isFinite(l)) throw new Error(`word ${w.text} rendered no ink (font ${w.font} missing?)`);
  return [l, t, r + 1, b + 1];
}

function rotate(p: Point, cx: number, cy: number, deg: number): Point {
  const a = (deg * Math.PI) / 180;
  const dx = p[0] - cx, dy = p[1] - cy;
  return [cx + dx * Math.cos(a) - dy * Math.sin(a), cy + dx * Math.sin(a) + dy * Math.cos(a)];
}

/** A JPEG of the words on a textured background, and each word's quad. */
export async function renderWords(width: number, height: number, words: WordSpec[], seed = 1): Promise<{ jpeg: Buffer; quads: Point[][] }> {
  // Texture: gaussian noise under a soft two-colour gradient and a few faint blobs.
  const noise = await sharp({ create: { width, height, channels: 3, noise: { type: 'gaussian', mean: 170, sigma: 25 } } }).png().toBuffer();
  const hue = (seed * 67) % 360;
  const bg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},40%,85%)"/><stop offset="1" stop-color="hsl(${(hue + 90) % 360},35%,70%)"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)" opacity="0.75"/>
    <circle cx="${width * 0.3}" cy="${height * 0.7}" r="${height * 0.2}" fill="hsl(${(hue + 180) % 360},30%,60%)" opacity="0.25"/>
  </svg>`;
  const textSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${words.map((w) => textEl(w, true)).join('')}</svg>`;
  const jpeg = await sharp(noise)
    .composite([{ input: Buffer.from(bg) }, { input: Buffer.from(textSvg) }])
    .jpeg({ quality: 90 })
    .toBuffer();
  const quads: Point[][] = [];
  for (const w of words) {
    const [l, t, r, b] = await inkBounds(w, width, height);
    const corners: Point[] = [[l, t], [r, t], [r, b], [l, b]];
    quads.push(corners.map((p) => rotate(p, w.x, w.y, w.angle)));
  }
  return { jpeg, quads };
}
