/**
 * Pixel work that sharp has no operation for: warping a word's alpha mask through a homography
 * and blending it in a colour, and seeded sensor noise. Plain loops over an RGB buffer.
 */
import { apply, boundsOf, invert, rectQuad, type Box, type Mat3 } from './geometry';
import type { WordMask } from './atlas';

export type Rgb = [number, number, number];

export interface Canvas {
  width: number;
  height: number;
  /** RGB, 3 bytes per pixel, row-major. */
  data: Uint8Array;
}

/**
 * Draws `mask` into `canvas` through `toImage` (mask pixel coordinates -> image coordinates) in
 * `color` at `opacity`. Each destination pixel centre is mapped back and the mask is sampled
 * bilinearly, so the drawn ink never leaves the image of the mask's non-zero support.
 */
export function drawMask(canvas: Canvas, mask: WordMask, toImage: Mat3, color: Rgb, opacity: number): void {
  const b = boundsOf(rectQuad(0, 0, mask.width, mask.height).map((p) => apply(toImage, p)));
  const x0 = Math.max(0, Math.floor(b.x0));
  const y0 = Math.max(0, Math.floor(b.y0));
  const x1 = Math.min(canvas.width - 1, Math.ceil(b.x1));
  const y1 = Math.min(canvas.height - 1, Math.ceil(b.y1));
  const inv = invert(toImage);
  const { alpha, width: mw, height: mh } = mask;
  const at = (i: number, j: number): number => (i < 0 || j < 0 || i >= mw || j >= mh ? 0 : alpha[j * mw + i]);
  const k = opacity / 255;
  const d = canvas.data;
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5;
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const w = inv[6] * px + inv[7] * py + inv[8];
      const s = (inv[0] * px + inv[1] * py + inv[2]) / w - 0.5;
      const t = (inv[3] * px + inv[4] * py + inv[5]) / w - 0.5;
      if (s <= -1 || t <= -1 || s >= mw || t >= mh) continue;
      const i = Math.floor(s);
      const j = Math.floor(t);
      const fx = s - i;
      const fy = t - j;
      const v =
        (at(i, j) * (1 - fx) + at(i + 1, j) * fx) * (1 - fy) + (at(i, j + 1) * (1 - fx) + at(i + 1, j + 1) * fx) * fy;
      if (v <= 0) continue;
      const a = v * k;
      const o = (y * canvas.width + x) * 3;
      d[o] = Math.round(d[o] + (color[0] - d[o]) * a);
      d[o + 1] = Math.round(d[o + 1] + (color[1] - d[o + 1]) * a);
      d[o + 2] = Math.round(d[o + 2] + (color[2] - d[o + 2]) * a);
    }
  }
}

/** Mean colour of the canvas inside `box` (clamped to the canvas), sampled on a sparse grid. */
export function meanColor(canvas: Canvas, box: Box): Rgb {
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const x1 = Math.min(canvas.width - 1, Math.ceil(box.x1));
  const y1 = Math.min(canvas.height - 1, Math.ceil(box.y1));
  const step = Math.max(1, Math.floor(Math.min(x1 - x0, y1 - y0) / 16));
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = y0; y <= y1; y += step) {
    for (let x = x0; x <= x1; x += step) {
      const o = (y * canvas.width + x) * 3;
      sum[0] += canvas.data[o];
      sum[1] += canvas.data[o + 1];
      sum[2] += canvas.data[o + 2];
      n++;
    }
  }
  if (n === 0) return [128, 128, 128];
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

export function luminance(c: Rgb): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

/**
 * Adds zero-mean noise of standard deviation `sigma` (grey levels), the same on the three
 * channels (luminance noise). Uses its own xorshift stream seeded from `seed`: one draw per pixel
 * through the full Rng would cost more than everything else.
 */
export function addNoise(canvas: Canvas, sigma: number, seed: number): void {
  if (sigma <= 0) return;
  let s = seed >>> 0 || 0x9e3779b9;
  const d = canvas.data;
  const scale = (sigma * Math.sqrt(3)) / 2 ** 31; // sum of two uniforms: variance 2 * (1/3) * r^2
  for (let o = 0; o < d.length; o += 3) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const a = s | 0;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const n = ((a + (s | 0)) / 2) * scale * Math.SQRT2;
    for (let c = 0; c < 3; c++) {
      const v = d[o + c] + n;
      d[o + c] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
}
