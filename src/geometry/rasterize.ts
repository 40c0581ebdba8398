/**
 * Polygon rasterisation: the pixels whose centres lie inside or on a closed polygon (even-odd rule),
 * the set OpenCV's fillPoly covers for integer vertices. Used for DB box scores and PAN++ kernels.
 */
import type { Point } from '../core';
import type { Raster } from './components';

// Rows are sampled just above and just below the pixel centre and the two spans merged, so edges and
// vertices lying exactly on a row count as inside (a closed polygon) without a special case.
const ROW_EPS = 1e-6;
// Slack when turning a crossing into a pixel column, so float noise on an integer crossing keeps it.
const COL_EPS = 1e-7;

let xsBuf = new Float64Array(64);

function crossings(poly: readonly Point[], yy: number): number {
  const n = poly.length;
  if (xsBuf.length < n) xsBuf = new Float64Array(n * 2);
  let m = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const yi = poly[i][1];
    const yj = poly[j][1];
    if (yi > yy !== yj > yy) {
      const x = poly[i][0] + ((yy - yi) * (poly[j][0] - poly[i][0])) / (yj - yi);
      // insertion sort: crossings per row are few
      let k = m++;
      while (k > 0 && xsBuf[k - 1] > x) {
        xsBuf[k] = xsBuf[k - 1];
        k--;
      }
      xsBuf[k] = x;
    }
  }
  return m;
}

// Span output (row, first column, last column), reused across calls and grown by doubling.
let spanRow = new Int32Array(256);
let spanA = new Int32Array(256);
let spanB = new Int32Array(256);
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

let cand = 0;

/** Adds the pixel columns of [a, b] (clipped to the row) to this row's candidates, sorted by start. */
function addCandidate(width: number, a: number, b: number): void {
  const xa = Math.max(0, Math.ceil(a - COL_EPS));
  const xb = Math.min(width - 1, Math.floor(b + COL_EPS));
  if (xa > xb) return;
  let k = cand++;
  while (k > 0 && rowA[k - 1] > xa) {
    rowA[k] = rowA[k - 1];
    rowB[k] = rowB[k - 1];
    k--;
  }
  rowA[k] = xa;
  rowB[k] = xb;
}

/**
 * The covered pixels as disjoint horizontal spans, written to the module's span buffers in row
 * order; returns the span count.
 */
function polygonSpans(width: number, height: number, polygon: readonly Point[]): number {
  const n = polygon.length;
  if (n === 0) return 0;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (const p of polygon) {
    if (p[1] < ymin) ymin = p[1];
    if (p[1] > ymax) ymax = p[1];
  }
  const y0 = Math.max(0, Math.ceil(ymin - COL_EPS));
  const y1 = Math.min(height - 1, Math.floor(ymax + COL_EPS));
  if (rowA.length < 2 * n + 2) {
    rowA = new Int32Array(4 * n + 4);
    rowB = new Int32Array(4 * n + 4);
  }
  let out = 0;
  for (let y = y0; y <= y1; y++) {
    // Candidate spans of this row: crossings just above and just below, and horizontal edges.
    cand = 0;
    let c = crossings(polygon, y - ROW_EPS);
    for (let k = 0; k + 1 < c; k += 2) addCandidate(width, xsBuf[k], xsBuf[k + 1]);
    c = crossings(polygon, y + ROW_EPS);
    for (let k = 0; k + 1 < c; k += 2) addCandidate(width, xsBuf[k], xsBuf[k + 1]);
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = polygon[i];
      const b = polygon[j];
      if (a[1] === y && b[1] === y) addCandidate(width, Math.min(a[0], b[0]), Math.max(a[0], b[0]));
    }
    // Merge overlapping candidates so no pixel is counted twice.
    for (let k = 0; k < cand; k++) {
      if (out > 0 && spanRow[out - 1] === y && rowA[k] <= spanB[out - 1] + 1) {
        if (rowB[k] > spanB[out - 1]) spanB[out - 1] = rowB[k];
        continue;
      }
      if (out === spanRow.length) {
        const grow = (a: Int32Array): Int32Array => {
          const b = new Int32Array(a.length * 2);
          b.set(a);
          return b;
        };
        spanRow = grow(spanRow);
        spanA = grow(spanA);
        spanB = grow(spanB);
      }
      spanRow[out] = y;
      spanA[out] = rowA[k];
      spanB[out++] = rowB[k];
    }
  }
  return out;
}

/**
 * Calls `visit(y * width + x)` once for every pixel of `width x height` covered by the closed
 * polygon (vertices in pixel coordinates, pixel centres at integers). Returns the number of pixels.
 */
export function forEachPixelInPolygon(
  width: number,
  height: number,
  polygon: readonly Point[],
  visit: (index: number) => void,
): number {
  const n = polygonSpans(width, height, polygon);
  let count = 0;
  for (let s = 0; s < n; s++) {
    const row = spanRow[s] * width;
    for (let x = spanA[s]; x <= spanB[s]; x++) visit(row + x);
    count += spanB[s] - spanA[s] + 1;
  }
  return count;
}

/** Mean of `raster` over the pixels covered by the closed polygon; 0 if it covers none. Input untouched. */
export function polygonMean(raster: Raster, polygon: readonly Point[]): number {
  const { data, width } = raster;
  const n = polygonSpans(width, raster.height, polygon);
  let sum = 0;
  let count = 0;
  for (let s = 0; s < n; s++) {
    const row = spanRow[s] * width;
    const end = row + spanB[s];
    for (let i = row + spanA[s]; i <= end; i++) sum += data[i];
    count += spanB[s] - spanA[s] + 1;
  }
  return count > 0 ? sum / count : 0;
}

/** Writes `value` into every pixel of `target` covered by the closed polygon. Returns the pixel count. */
export function fillPolygon(
  target: { data: { [i: number]: number }; width: number; height: number },
  polygon: readonly Point[],
  value: number,
): number {
  const { data, width } = target;
  const n = polygonSpans(width, target.height, polygon);
  let count = 0;
  for (let s = 0; s < n; s++) {
    const row = spanRow[s] * width;
    for (let x = spanA[s]; x <= spanB[s]; x++) data[row + x] = value;
    count += spanB[s] - spanA[s] + 1;
  }
  return count;
}
