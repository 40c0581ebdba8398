/**
 * Connected components of a thresholded raster, found on runs (horizontal stretches of foreground
 * pixels) rather than on pixels: one scan of the raster, then union-find over the runs. Everything
 * after the scan costs in proportion to the foreground, which for text maps is a few percent.
 */
import { InputError, OptionError, numberIn, withDefaults } from '../core';

/** A single-channel raster, row-major (`data[y * width + x]`). A DB probability map fits. */
export interface Raster {
  data: ArrayLike<number>;
  width: number;
  height: number;
}

/** Which neighbours join two foreground pixels into one component. */
export type Connectivity = 4 | 8;

export interface ComponentOptions {
  /** A pixel is foreground when its value is strictly greater than this. @default 0 */
  threshold: number;
  /** 8 joins diagonal neighbours (as OpenCV's contour finder does), 4 only edge neighbours. @default 8 */
  connectivity: Connectivity;
}

export const DEFAULT_COMPONENT_OPTIONS: ComponentOptions = { threshold: 0, connectivity: 8 };

/**
 * Components as runs. Component `c` (0-based, numbered in raster order of its first pixel) owns the
 * runs `firstRun[c] .. firstRun[c + 1] - 1`, listed in raster order; run `k` covers row `runY[k]`,
 * columns `runX0[k] .. runX1[k]` inclusive.
 */
export interface Components {
  width: number;
  height: number;
  count: number;
  firstRun: Int32Array;
  runY: Int32Array;
  runX0: Int32Array;
  runX1: Int32Array;
  /** Pixels per component. */
  area: Int32Array;
}

/** Axis-aligned bounds of a component, inclusive pixel indices. */
export interface PixelBounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

// Scratch buffers reused across calls (the function is synchronous, so sharing is safe); they grow
// by doubling and are copied out exactly sized, so a result never aliases them.
let cap = 0;
let sY = new Int32Array(0);
let sX0 = new Int32Array(0);
let sX1 = new Int32Array(0);
let sParent = new Int32Array(0);

function grow(min: number): void {
  const next = Math.max(min, cap * 2, 1024);
  const copy = (a: Int32Array): Int32Array => {
    const b = new Int32Array(next);
    b.set(a.subarray(0, cap));
    return b;
  };
  sY = copy(sY);
  sX0 = copy(sX0);
  sX1 = copy(sX1);
  sParent = copy(sParent);
  cap = next;
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]]; // path halving
    i = parent[i];
  }
  return i;
}

/** Checks that `data` holds `width * height` values; throws InputError naming the mismatch. */
export function checkRaster(name: string, r: Raster): void {
  if (!Number.isInteger(r.width) || !Number.isInteger(r.height) || r.width < 1 || r.height < 1) {
    throw new InputError(`${name} has size ${r.width}x${r.height}; expected positive integer width and height`, {
      subject: name,
      fix: 'pass the map as { data, width, height } with the real dimensions',
    });
  }
  if (r.data.length !== r.width * r.height) {
    throw new InputError(
      `${name} has ${r.data.length} values but width x height is ${r.width}x${r.height} = ${r.width * r.height}`,
      { subject: name, fix: 'pass one HxW map (a single channel, row-major), not the whole NCHW tensor' },
    );
  }
}

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
const INF_BITS = 0x7f800000;

/**
 * Finds the foreground runs in one pass over the raster (as one long array, so background is
 * skipped without per-row bookkeeping) and unions runs that touch across rows; returns the run
 * count (runs in the scratch buffers, raster order). For a Float32Array and a threshold >= 0 the test runs on
 * the IEEE bit patterns, which order like the values for non-negative floats and are cheaper to
 * compare; the upper bound keeps NaN out of the foreground.
 */
function scanRuns(src: ArrayLike<number>, w: number, h: number, threshold: number, reach: number): number {
  let data: ArrayLike<number> = src;
  let t = threshold;
  let hi = Infinity;
  if (src instanceof Float32Array && threshold >= 0) {
    data = new Int32Array(src.buffer, src.byteOffset, src.length);
    F32[0] = threshold;
    // value > threshold  <=>  value >= the smallest float32 above threshold
    t = F32[0] > threshold ? I32[0] - 1 : I32[0];
    hi = INF_BITS;
  }
  const size = w * h;
  let n = 0;
  let row = -1; // row of the latest run
  let curStart = 0; // first run of that row
  let prevStart = 0; // runs of the row above it: prevStart .. prevEnd - 1
  let prevEnd = 0;
  let p = 0; // first run of the row above that can still touch the next run
  let i = 0;
  while (i < size) {
    // Skip background, eight pixels per test while possible (the map is mostly background).
    while (
      i + 8 <= size &&
      data[i] <= t &&
      data[i + 1] <= t &&
      data[i + 2] <= t &&
      data[i + 3] <= t &&
      data[i + 4] <= t &&
      data[i + 5] <= t &&
      data[i + 6] <= t &&
      data[i + 7] <= t
    ) {
      i += 8;
    }
    while (i < size && !(data[i] > t)) i++;
    if (i >= size) break;
    if (data[i] > hi) {
      i++; // NaN bit pattern
      continue;
    }
    const y = (i / w) | 0;
    const rowStart = y * w;
    const rowEnd = rowStart + w;
    const x0 = i - rowStart;
    i++;
    while (i < rowEnd) {
      const u = data[i];
      if (!(u > t) || u > hi) break;
      i++;
    }
    const x1 = i - 1 - rowStart;
    if (y !== row) {
      if (y === row + 1) {
        prevStart = curStart;
        prevEnd = n;
      } else {
        prevStart = prevEnd = n; // an empty row in between: nothing above touches
      }
      p = prevStart;
      curStart = n;
      row = y;
    }
    if (n === cap) grow(n + 1);
    sY[n] = y;
    sX0[n] = x0;
    sX1[n] = x1;
    sParent[n] = n;
    while (p < prevEnd && sX1[p] < x0 - reach) p++;
    for (let q = p; q < prevEnd && sX0[q] <= x1 + reach; q++) {
      // Union by smallest index: the root of a component is its first run in raster order.
      const a = find(sParent, q);
      const b = find(sParent, n);
      if (a < b) sParent[b] = a;
      else if (b < a) sParent[a] = b;
    }
    n++;
  }
  return n;
}

/**
 * Labels the connected components of `raster > threshold`. NaN counts as background.
 * The input is not modified.
 */
export function connectedComponents(raster: Raster, options: Partial<ComponentOptions> = {}): Components {
  checkRaster('raster', raster);
  const opts = withDefaults('connectedComponents options', DEFAULT_COMPONENT_OPTIONS, options);
  const t = numberIn('threshold', opts.threshold);
  if (opts.connectivity !== 4 && opts.connectivity !== 8) {
    throw new OptionError(`Expected one of 4, 8 for connectivity but received ${String(opts.connectivity)}`, {
      subject: 'connectivity',
    });
  }
  const reach = opts.connectivity === 8 ? 1 : 0;
  const { width: w, height: h } = raster;
  const n = scanRuns(raster.data, w, h, t, reach);
  // Number components in raster order of their root run, then group runs by component (stable).
  const comp = new Int32Array(n);
  let count = 0;
  for (let r = 0; r < n; r++) {
    const root = find(sParent, r);
    comp[r] = root === r ? count++ : comp[root];
  }
  const firstRun = new Int32Array(count + 1);
  const area = new Int32Array(count);
  for (let r = 0; r < n; r++) {
    firstRun[comp[r] + 1]++;
    area[comp[r]] += sX1[r] - sX0[r] + 1;
  }
  for (let c = 0; c < count; c++) firstRun[c + 1] += firstRun[c];
  const fill = firstRun.slice(0, count);
  const runY = new Int32Array(n);
  const runX0 = new Int32Array(n);
  const runX1 = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const k = fill[comp[r]]++;
    runY[k] = sY[r];
    runX0[k] = sX0[r];
    runX1[k] = sX1[r];
  }
  return { width: w, height: h, count, firstRun, runY, runX0, runX1, area };
}

/** Bounds of component `c`. */
export function componentBounds(components: Components, c: number): PixelBounds {
  const { firstRun, runY, runX0, runX1 } = components;
  let x0 = Infinity;
  let x1 = -Infinity;
  for (let k = firstRun[c]; k < firstRun[c + 1]; k++) {
    if (runX0[k] < x0) x0 = runX0[k];
    if (runX1[k] > x1) x1 = runX1[k];
  }
  return { x0, y0: runY[firstRun[c]], x1, y1: runY[firstRun[c + 1] - 1] };
}

/** A label image: 0 for background, `c + 1` for the pixels of component `c`. */
export function labelImage(components: Components): Int32Array {
  const { width, height, count, firstRun, runY, runX0, runX1 } = components;
  const labels = new Int32Array(width * height);
  for (let c = 0; c < count; c++) {
    for (let k = firstRun[c]; k < firstRun[c + 1]; k++) {
      const row = runY[k] * width;
      labels.fill(c + 1, row + runX0[k], row + runX1[k] + 1);
    }
  }
  return labels;
}
