/**
 * DB (Differentiable Binarization) post-processing, as PaddleOCR's DBPostProcess does it:
 *
 *   prob map ─▶ bitmap (prob > thresh, optional 2x2 dilation) ─▶ connected regions (outer borders)
 *     ─▶ min-area rect ─▶ drop if short side < minSize ─▶ score (mean prob in rect | in border)
 *     ─▶ drop if score < boxThresh ─▶ unclip (Clipper2 round offset by area * ratio / perimeter)
 *     ─▶ min-area rect ─▶ drop if short side < minSize + 2 ─▶ original image coordinates, clipped
 *
 * Differences from the OpenCV version: regions are 8-connected components and only their outer
 * borders count (OpenCV's RETR_LIST also returns hole borders, which yield spurious boxes); regions
 * are visited in raster order of their first pixel, which decides which ones `maxCandidates` keeps.
 */
import type { DetBox, Point, Polygon } from '../core';
import { InputError, OptionError, integerIn, numberIn, oneOf, roundHalfEven, withDefaults } from '../core';
import {
  checkRaster,
  componentHull,
  connectedComponents,
  labelImage,
  minAreaRect,
  minAreaRectOfHull,
  offsetPolygon,
  perimeter,
  polygonArea,
  polygonMean,
  simplifyPolygon,
  traceOuterContour,
  type Components,
  type Raster,
} from '../geometry';

export interface DbOptions {
  /** A map pixel is text when its probability is greater than this. @default 0.3 */
  thresh: number;
  /** A region is kept when its mean probability is at least this. @default 0.6 */
  boxThresh: number;
  /** At most this many regions are considered, in raster order of their first pixel. @default 1000 */
  maxCandidates: number;
  /** Expansion: the region grows by area * unclipRatio / perimeter map pixels. @default 1.5 */
  unclipRatio: number;
  /** Regions whose min-area rect has a shorter side below this (map pixels) are dropped; after unclip the bar is minSize + 2. @default 3 */
  minSize: number;
  /** 'fast': mean probability inside the min-area rect; 'slow': inside the region's outer border. @default 'fast' */
  scoreMode: 'fast' | 'slow';
  /** 'quad': the unclipped region's min-area rect (4 points); 'poly': the unclipped border polygon, simplified. @default 'quad' */
  boxType: 'quad' | 'poly';
  /** Dilate the bitmap with a 2x2 kernel before finding regions (joins nearly touching strokes). @default false */
  useDilation: boolean;
}

export const DEFAULT_DB_OPTIONS: DbOptions = {
  thresh: 0.3,
  boxThresh: 0.6,
  maxCandidates: 1000,
  unclipRatio: 1.5,
  minSize: 3,
  scoreMode: 'fast',
  boxType: 'quad',
  useDilation: false,
};

/**
 * Polygon mode simplifies a region's border, and the unclipped result, to within this fraction of
 * the polygon's perimeter (PaddleOCR's approxPolyDP epsilon, 0.002 * arc length).
 */
export const DB_POLY_EPSILON_RATIO = 0.002;

/** Polygon mode drops borders that simplify to fewer vertices than this (PaddleOCR's rule). */
const MIN_POLY_VERTICES = 4;

/** One HxW probability map, row-major. */
export interface ProbMap {
  data: Float32Array;
  width: number;
  height: number;
}

/** How map coordinates go back to the original image. */
export interface MapBack {
  /** Original image width; the map (or its valid region) covers the image scaled. */
  srcWidth: number;
  /** Original image height. */
  srcHeight: number;
  /** Columns of the map that cover the image (the rest is padding). @default map.width */
  validWidth?: number;
  /** Rows of the map that cover the image (the rest is padding). @default map.height */
  validHeight?: number;
}

function validate(options: Partial<DbOptions> | undefined): DbOptions {
  const o = withDefaults('dbPostprocess options', DEFAULT_DB_OPTIONS, options);
  numberIn('thresh', o.thresh, 0, 1);
  numberIn('boxThresh', o.boxThresh, 0, 1);
  integerIn('maxCandidates', o.maxCandidates, 1);
  numberIn('unclipRatio', o.unclipRatio, 0, 100);
  numberIn('minSize', o.minSize, 0);
  oneOf('scoreMode', o.scoreMode, ['fast', 'slow'] as const);
  oneOf('boxType', o.boxType, ['quad', 'poly'] as const);
  if (typeof o.useDilation !== 'boolean') {
    throw new OptionError(`Expected true or false for useDilation but received ${JSON.stringify(o.useDilation)}`, {
      subject: 'useDilation',
    });
  }
  return o;
}

/** The valid region of the map as its own raster (a copy only when padding must be cut off). */
function validRegion(map: ProbMap, back: MapBack): Raster {
  checkRaster('map', map);
  integerIn('srcWidth', back.srcWidth, 1);
  integerIn('srcHeight', back.srcHeight, 1);
  const vw = integerIn('validWidth', back.validWidth ?? map.width, 1, map.width);
  const vh = integerIn('validHeight', back.validHeight ?? map.height, 1, map.height);
  if (!(map.data instanceof Float32Array)) {
    throw new InputError(`map.data is ${Object.prototype.toString.call(map.data)}; expected a Float32Array`, {
      subject: 'map.data',
      fix: "pass the model output tensor's data (a Float32Array), one HxW plane of it",
    });
  }
  if (vw === map.width && vh === map.height) return map;
  const data = new Float32Array(vw * vh);
  for (let y = 0; y < vh; y++) data.set(map.data.subarray(y * map.width, y * map.width + vw), y * vw);
  return { data, width: vw, height: vh };
}

/** prob > thresh, then OpenCV's 2x2 dilation (anchor at the kernel's centre, so it grows right and down). */
function dilatedBitmap(map: Raster, thresh: number): Raster {
  const { width: w, height: h, data } = map;
  const row = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = y * w; x < w; x++, i++) row[i] = data[i] > thresh || (x > 0 && data[i - 1] > thresh) ? 1 : 0;
  }
  const out = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) out[i] = row[i] | (i >= w ? row[i - w] : 0);
  return { data: out, width: w, height: h };
}


/** Unclip: grow the polygon by area * ratio / perimeter with round joins (all output polygons). */
function unclip(polygon: readonly Point[], ratio: number): Polygon[] {
  const len = perimeter(polygon);
  if (len === 0) return [];
  return offsetPolygon(polygon, (polygonArea(polygon) * ratio) / len, { join: 'round' });
}

/**
 * Detected boxes from one DB probability map, in original image coordinates (integers, clipped to
 * [0, srcWidth] x [0, srcHeight]). Quads are ordered top-left, top-right, bottom-right, bottom-left.
 * The map is not modified.
 */
export function dbPostprocess(map: ProbMap, back: MapBack, options?: Partial<DbOptions>): DetBox[] {
  const o = validate(options);
  const prob = validRegion(map, back);
  const { width: w, height: h } = prob;
  const sx = back.srcWidth / w;
  const sy = back.srcHeight / h;
  const toSource = (pts: readonly Point[]): Polygon => {
    const out: Polygon = [];
    for (const [x, y] of pts) {
      const p: Point = [
        Math.min(back.srcWidth, Math.max(0, roundHalfEven(x * sx))),
        Math.min(back.srcHeight, Math.max(0, roundHalfEven(y * sy))),
      ];
      const q = out[out.length - 1];
      if (o.boxType === 'quad' || !q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
    }
    const [f, l] = [out[0], out[out.length - 1]];
    if (o.boxType === 'poly' && out.length > 1 && f[0] === l[0] && f[1] === l[1]) out.pop();
    return out;
  };

  const comps: Components = o.useDilation
    ? connectedComponents(dilatedBitmap(prob, o.thresh), { threshold: 0 })
    : connectedComponents(prob, { threshold: o.thresh });
  const n = Math.min(comps.count, o.maxCandidates);
  let labels: Int32Array | undefined; // built on first need (slow score, polygon mode)
  const contour = (c: number): Polygon => {
    labels ??= labelImage(comps);
    const k = comps.firstRun[c];
    return traceOuterContour(labels, w, h, c + 1, [comps.runX0[k], comps.runY[k]], { approx: 'simple' });
  };

  const boxes: DetBox[] = [];
  for (let c = 0; c < n; c++) {
    if (o.boxType === 'quad') {
      const rect = minAreaRectOfHull(componentHull(comps, c));
      if (rect.shortSide < o.minSize) continue;
      // PaddleOCR scores the rect with its vertices truncated to pixels; 1e-6 absorbs float noise.
      const score =
        o.scoreMode === 'fast'
          ? polygonMean(prob, rect.corners.map((p): Point => [Math.floor(p[0] + 1e-6), Math.floor(p[1] + 1e-6)]))
          : polygonMean(prob, contour(c));
      if (score < o.boxThresh) continue;
      const grown = unclip(rect.corners, o.unclipRatio).flat();
      if (grown.length === 0) continue;
      const quad = minAreaRect(grown);
      if (quad.shortSide < o.minSize + 2) continue;
      boxes.push({ points: toSource(quad.corners), score });
    } else {
      const border = contour(c);
      const approx = simplifyPolygon(border, DB_POLY_EPSILON_RATIO * perimeter(border));
      if (approx.length < MIN_POLY_VERTICES) continue;
      const score = o.scoreMode === 'fast' ? polygonMean(prob, approx) : polygonMean(prob, border);
      if (score < o.boxThresh) continue;
      const grown = unclip(approx, o.unclipRatio);
      if (grown.length !== 1) continue; // PaddleOCR drops regions the offset splits or erases
      if (minAreaRect(grown[0]).shortSide < o.minSize + 2) continue;
      const poly = simplifyPolygon(grown[0], DB_POLY_EPSILON_RATIO * perimeter(grown[0]));
      const points = toSource(poly);
      if (points.length >= 3) boxes.push({ points, score });
    }
  }
  return boxes;
}
