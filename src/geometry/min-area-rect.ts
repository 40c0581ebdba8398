/**
 * Minimum-area enclosing rectangle by rotating calipers over a convex hull: one side of the best
 * rectangle lies on a hull edge, and the three other supporting points only move forward as the
 * edge advances, so the search is linear in the hull size.
 */
import type { Point, Polygon } from '../core';
import { convexHull } from './hull';

export interface RotatedRect {
  /** Corners ordered as PaddleOCR's get_mini_boxes: top-left, top-right, bottom-right, bottom-left. */
  corners: [Point, Point, Point, Point];
  /** Length of the shorter side (0 for a segment or a point). */
  shortSide: number;
  /** Length of the longer side. */
  longSide: number;
}

/**
 * Orders 4 corners like PaddleOCR's get_mini_boxes: sort by x (ties by y); of the two leftmost the
 * upper is top-left, of the two rightmost the upper is top-right.
 */
export function orderCorners(pts: readonly Point[]): [Point, Point, Point, Point] {
  const s = [...pts].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [tl, bl] = s[1][1] > s[0][1] ? [s[0], s[1]] : [s[1], s[0]];
  const [tr, br] = s[3][1] > s[2][1] ? [s[2], s[3]] : [s[3], s[2]];
  return [tl, tr, br, bl];
}

// Hull coordinates as flat arrays, reused across calls (the function is synchronous).
let xsBuf = new Float64Array(64);
let ysBuf = new Float64Array(64);

/** Minimum-area rectangle of a convex hull (as from `convexHull`/`componentHull`, either orientation). */
export function minAreaRectOfHull(hull: readonly Point[]): RotatedRect {
  const n = hull.length;
  if (n === 0) throw new RangeError('minAreaRectOfHull needs at least one point');
  if (n <= 2) {
    const a = hull[0];
    const b = hull[n - 1];
    return { corners: orderCorners([a, b, b, a]), shortSide: 0, longSide: Math.hypot(b[0] - a[0], b[1] - a[1]) };
  }
  // Orientation sign so the normal below points into the hull.
  let area2 = 0;
  for (let i = 0; i < n; i++) {
    const a = hull[i];
    const b = hull[(i + 1) % n];
    area2 += a[0] * b[1] - b[0] * a[1];
  }
  const sgn = area2 > 0 ? 1 : -1;

  if (xsBuf.length < n) {
    xsBuf = new Float64Array(2 * n);
    ysBuf = new Float64Array(2 * n);
  }
  const xs = xsBuf;
  const ys = ysBuf;
  for (let i = 0; i < n; i++) {
    xs[i] = hull[i][0];
    ys[i] = hull[i][1];
  }
  let best = Infinity;
  let bi = 0;
  let bMinU = 0;
  let bMaxU = 0;
  let bMaxV = 0;
  let jV = 0; // farthest along the inward normal
  let jMax = 0; // farthest along the edge direction
  let jMin = 0; // farthest against the edge direction
  for (let i = 0; i < n; i++) {
    const i1 = i + 1 === n ? 0 : i + 1;
    const ox = xs[i];
    const oy = ys[i];
    const len = Math.hypot(xs[i1] - ox, ys[i1] - oy);
    const ux = (xs[i1] - ox) / len;
    const uy = (ys[i1] - oy) / len;
    const vx = -uy * sgn;
    const vy = ux * sgn;
    if (i === 0) {
      for (let j = 1; j < n; j++) {
        const u = (xs[j] - ox) * ux + (ys[j] - oy) * uy;
        const v = (xs[j] - ox) * vx + (ys[j] - oy) * vy;
        if (v > (xs[jV] - ox) * vx + (ys[jV] - oy) * vy) jV = j;
        if (u > (xs[jMax] - ox) * ux + (ys[jMax] - oy) * uy) jMax = j;
        if (u < (xs[jMin] - ox) * ux + (ys[jMin] - oy) * uy) jMin = j;
      }
    } else {
      // Each support point only moves forward; the step cap guards against float plateaus.
      for (let s = 0; s < n; s++) {
        const nx = jV + 1 === n ? 0 : jV + 1;
        if ((xs[nx] - xs[jV]) * vx + (ys[nx] - ys[jV]) * vy < 0) break;
        jV = nx;
      }
      for (let s = 0; s < n; s++) {
        const nx = jMax + 1 === n ? 0 : jMax + 1;
        if ((xs[nx] - xs[jMax]) * ux + (ys[nx] - ys[jMax]) * uy < 0) break;
        jMax = nx;
      }
      for (let s = 0; s < n; s++) {
        const nx = jMin + 1 === n ? 0 : jMin + 1;
        if ((xs[nx] - xs[jMin]) * ux + (ys[nx] - ys[jMin]) * uy > 0) break;
        jMin = nx;
      }
    }
    const minU = (xs[jMin] - ox) * ux + (ys[jMin] - oy) * uy;
    const maxU = (xs[jMax] - ox) * ux + (ys[jMax] - oy) * uy;
    const maxV = (xs[jV] - ox) * vx + (ys[jV] - oy) * vy;
    const a = (maxU - minU) * maxV;
    if (a < best - 1e-9) {
      best = a;
      bi = i;
      bMinU = minU;
      bMaxU = maxU;
      bMaxV = maxV;
    }
  }
  const o = hull[bi];
  const e = hull[(bi + 1) % n];
  const len = Math.hypot(e[0] - o[0], e[1] - o[1]);
  const ux = (e[0] - o[0]) / len;
  const uy = (e[1] - o[1]) / len;
  const vx = -uy * sgn;
  const vy = ux * sgn;
  const at = (u: number, v: number): Point => [o[0] + ux * u + vx * v, o[1] + uy * u + vy * v];
  const w = bMaxU - bMinU;
  return {
    corners: orderCorners([at(bMinU, 0), at(bMaxU, 0), at(bMaxU, bMaxV), at(bMinU, bMaxV)]),
    shortSide: Math.min(w, bMaxV),
    longSide: Math.max(w, bMaxV),
  };
}

/** Minimum-area rectangle of any point set (hull computed first). Input untouched. */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull: Polygon = convexHull(points);
  return minAreaRectOfHull(hull);
}
