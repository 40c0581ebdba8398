/**
 * Pixel work that sharp has no operation for: warping a word's alpha mask through a homography
 * and blending it in a colour, and seeded sensor noise. Plain loops over an RGB buffer.
 */
import type { Polygon } from '../../core';
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

/**
 * Mean colour of the canvas inside the convex polygon `poly`, sampled on a grid of about 32 x 32
 * points: for a rotated group the axis-aligned box would mix in the scene around its panel.
 */
export function meanColorIn(canvas: Canvas, poly: Polygon): Rgb {
  const b = boundsOf(poly);
  const x0 = Math.max(0, Math.floor(b.x0));
  const y0 = Math.max(0, Math.floor(b.y0));
  const x1 = Math.min(canvas.width - 1, Math.ceil(b.x1));
  const y1 = Math.min(canvas.height - 1, Math.ceil(b.y1));
  const step = Math.max(1, Math.floor(Math.max(x1 - x0, y1 - y0) / 32));
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = y0; y <= y1; y += step) {
    for (let x = x0; x <= x1; x += step) {
      if (!insideConvex(poly, x + 0.5, y + 0.5)) continue;
      const o = (y * canvas.width + x) * 3;
      sum[0] += canvas.data[o];
      sum[1] += canvas.data[o + 1];
      sum[2] += canvas.data[o + 2];
      n++;
    }
  }
  if (n === 0) return meanColor(canvas, b);
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

function insideConvex(q: Polygon, px: number, py: number): boolean {
  let sign = 0;
  for (let i = 0; i < q.length; i++) {
    const a = q[i];
    const c = q[(i + 1) % q.length];
    const cross = (c[0] - a[0]) * (py - a[1]) - (c[1] - a[1]) * (px - a[0]);
    if (cross === 0) continue;
    if (sign === 0) sign = Math.sign(cross);
    else if (Math.sign(cross) !== sign) return false;
  }
  return true;
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

/** Uneven light over the finished scene: a linear falloff plus, optionally, a soft-edged cast shadow and a glare spot. */
export interface Lighting {
  /** Gain at the bright end of the falloff is 1, at the dark end `1 - falloff`. */
  falloff: number;
  /** Direction of the falloff (radians). */
  angle: number;
  /** Shadow: pixels on the far side of the line through (sx, sy) with normal `shadowAngle` are multiplied by `1 - shadow`. */
  shadow: number;
  shadowAngle: number;
  sx: number;
  sy: number;
  /** Width of the shadow's penumbra in pixels. */
  softness: number;
  /** Glare (a specular highlight on glossy paper or glass): peak share of the way to white, 0 for none. */
  glare: number;
  /** Glare centre and radius (standard deviation) in pixels. */
  gx: number;
  gy: number;
  gr: number;
}

/**
 * Multiplies every pixel by a smooth gain field, so text crossing a shadow edge or lying in the
 * dark end of the falloff loses contrast exactly as its background does.
 */
export function applyLighting(canvas: Canvas, l: Lighting): void {
  const { width, height, data } = canvas;
  const dx = Math.cos(l.angle);
  const dy = Math.sin(l.angle);
  // Projection range of the image corners on the falloff direction, for normalising to [0, 1].
  const proj = [0, width * dx, height * dy, width * dx + height * dy];
  const pmin = Math.min(...proj);
  const prange = Math.max(...proj) - pmin || 1;
  const nx = Math.cos(l.shadowAngle);
  const ny = Math.sin(l.shadowAngle);
  const soft = Math.max(1, l.softness);
  const g2 = -1 / (2 * Math.max(1, l.gr) ** 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let g = 1 - l.falloff * ((x * dx + y * dy - pmin) / prange);
      if (l.shadow > 0) {
        const s = ((x - l.sx) * nx + (y - l.sy) * ny) / soft;
        const t = s <= -0.5 ? 0 : s >= 0.5 ? 1 : s + 0.5;
        g *= 1 - l.shadow * t * t * (3 - 2 * t);
      }
      // Glare washes towards white: text under it loses contrast, unlike under the multiplicative shadow.
      const w = l.glare > 0 ? l.glare * Math.exp(((x - l.gx) ** 2 + (y - l.gy) ** 2) * g2) : 0;
      const o = (y * width + x) * 3;
      data[o] = Math.min(255, Math.round(data[o] * g * (1 - w) + 255 * w));
      data[o + 1] = Math.min(255, Math.round(data[o + 1] * g * (1 - w) + 255 * w));
      data[o + 2] = Math.min(255, Math.round(data[o + 2] * g * (1 - w) + 255 * w));
    }
  }
}
