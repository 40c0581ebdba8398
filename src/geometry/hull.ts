/**
 * Convex hulls by Andrew's monotone chain. A component's hull needs only the leftmost and rightmost
 * pixel of each of its rows, which arrive already sorted, so `componentHull` is linear in its rows.
 */
import type { Point, Polygon } from '../core';
import type { Components } from './components';
import { signedArea } from './polygon';

let scratchIdx = new Int32Array(256);

/**
 * Hull of points given as flat coordinate arrays, already sorted lexicographically (by any fixed
 * key order, e.g. y then x). Returns the hull clockwise on screen without collinear vertices; one
 * point or two for degenerate input.
 */
function hullOfSorted(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number): Polygon {
  if (n === 0) return [];
  if (scratchIdx.length < 2 * n + 1) scratchIdx = new Int32Array(2 * n + 1);
  const st = scratchIdx;
  let k = 0;
  const cross = (o: number, a: number, b: number): number =>
    (xs[a] - xs[o]) * (ys[b] - ys[o]) - (ys[a] - ys[o]) * (xs[b] - xs[o]);
  for (let i = 0; i < n; i++) {
    while (k >= 2 && cross(st[k - 2], st[k - 1], i) <= 0) k--;
    st[k++] = i;
  }
  const lowerLen = k + 1;
  for (let i = n - 2; i >= 0; i--) {
    while (k >= lowerLen && cross(st[k - 2], st[k - 1], i) <= 0) k--;
    st[k++] = i;
  }
  const m = Math.max(1, k - 1); // the last point repeats the first
  const out: Polygon = [];
  for (let i = 0; i < m; i++) out.push([xs[st[i]], ys[st[i]]]);
  // Drop a repeated point (all input points equal).
  if (out.length === 2 && out[0][0] === out[1][0] && out[0][1] === out[1][1]) out.pop();
  if (out.length > 2 && signedArea(out) < 0) out.reverse();
  return out;
}

/** Convex hull of any point set, clockwise on screen, without collinear vertices. Input untouched. */
export function convexHull(points: readonly Point[]): Polygon {
  const n = points.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => points[a][0] - points[b][0] || points[a][1] - points[b][1],
  );
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = points[order[i]][0];
    ys[i] = points[order[i]][1];
  }
  return hullOfSorted(xs, ys, n);
}

let hx = new Float64Array(512);
let hy = new Float64Array(512);

/**
 * Convex hull of component `c`'s pixel centres (integer pixel coordinates), the same hull as that
 * of its traced outer contour.
 */
export function componentHull(components: Components, c: number): Polygon {
  const { firstRun, runY, runX0, runX1 } = components;
  const end = firstRun[c + 1];
  const maxPts = 2 * (end - firstRun[c]);
  if (hx.length < maxPts) {
    hx = new Float64Array(maxPts * 2);
    hy = new Float64Array(maxPts * 2);
  }
  let n = 0;
  let k = firstRun[c];
  while (k < end) {
    const y = runY[k];
    const left = runX0[k];
    while (k + 1 < end && runY[k + 1] === y) k++; // runs of a row are in x order
    const right = runX1[k];
    k++;
    hx[n] = left;
    hy[n++] = y;
    if (right !== left) {
      hx[n] = right;
      hy[n++] = y;
    }
  }
  return hullOfSorted(hx, hy, n);
}
