/**
 * A box prepared for CLEval: its clipping region, area, aspect ratio, transcription (as code
 * points, since Python counts code points) and pseudo-character centres.
 *
 * QUAD follows the reference's `QUAD` class exactly: the clipping polygon uses the vertices
 * truncated to integers, while the aspect ratio and character centres use the raw coordinates.
 * POLY follows the reference's `POLY` interpolation for character centres; where that class
 * cannot run at the reference commit (see README of the conformance data) the QUAD rules are
 * generalised: the aspect ratio is the mean top/bottom path length over the mean side length
 * (identical to QUAD for four vertices), and the vertical-text rule is not applied.
 */
import { InputError, type Point } from '../../core';
import {
  boundsOf,
  distance,
  pointInRing,
  ringArea,
  roundHalfEven,
  type Bounds,
} from '../geometry';
import { regionOfRing, regionIntersectionArea, type Region } from '../region';
import { DONT_CARE, type EvalBox } from '../types';
import { minAreaRect } from '../../geometry';

export interface PreparedBox {
  kind: 'QUAD' | 'POLY';
  /** Raw vertices (floats kept). */
  points: Point[];
  /** The ring used for clipping and point tests (QUAD: vertices truncated to integers). */
  ring: Point[];
  /** Area-additive pieces; a don't-care GT's region shrinks when overlapping GT is subtracted. */
  region: Region;
  bounds: Bounds;
  /** The box's own area, as the reference computes it (unsigned shoelace of the ring). */
  area: number;
  /** Reading-direction width over height, each side +1e-5 as in the reference. */
  aspectRatio: number;
  /** Code points of the transcription (don't care: `'#'` repeated per estimated character). */
  chars: string[];
  dontCare: boolean;
  orientation?: string;
}

/** Reference's pseudo transcription length of a don't-care box: min(round(0.5 + max(ar, 1/ar)), 10). */
function pseudoLength(ar: number): number {
  return Math.min(roundHalfEven(0.5 + Math.max(ar, 1 / ar)), 10);
}

function aspectRatio(points: Point[]): number {
  const n = points.length;
  const half = Math.floor(n / 2);
  let top = 0;
  for (let i = 0; i < half - 1; i++) top += distance(points[i], points[i + 1]);
  let bottom = 0;
  for (let i = half; i < n - 1; i++) bottom += distance(points[i], points[i + 1]);
  const right = distance(points[half - 1], points[half]);
  const left = distance(points[n - 1], points[0]);
  const avgHor = (top + bottom) / 2;
  const avgVer = (right + left) / 2;
  return (avgHor + 1e-5) / (avgVer + 1e-5);
}

/**
 * Prepares one box. `name` is used in error messages (e.g. `gt_img_1.txt box 3`).
 * `upper` applies CLEval's case-insensitive mode (Python `str.upper`).
 */
export function prepareBox(box: EvalBox, forcePoly: boolean, upper: boolean, name: string): PreparedBox {
  const points = box.points;
  if (!Array.isArray(points) || points.length < 3) {
    throw new InputError(`${name}: a box needs at least 3 vertices, got ${Array.isArray(points) ? points.length : typeof points}`, {
      subject: name,
      fix: 'drop boxes with fewer than 3 points before evaluation',
    });
  }
  for (const p of points) {
    if (!Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new InputError(`${name}: vertex ${JSON.stringify(p)} is not a pair of finite numbers`, { subject: name });
    }
  }
  const kind: 'QUAD' | 'POLY' = points.length === 4 && !forcePoly ? 'QUAD' : 'POLY';
  const ring: Point[] = kind === 'QUAD' ? points.map((p) => [Math.trunc(p[0]), Math.trunc(p[1])]) : points.map((p) => [p[0], p[1]]);
  const ar = aspectRatio(points);
  const text = box.transcription ?? '';
  const dontCare = box.dontCare ?? text === DONT_CARE;
  // As the reference: a don't-care box's text becomes '#' once per estimated character.
  let chars: string[] = dontCare ? Array(pseudoLength(ar)).fill('#') : Array.from(text);
  if (upper) chars = Array.from(chars.join('').toUpperCase());
  return {
    kind,
    points: points.map((p) => [p[0], p[1]]),
    ring,
    region: regionOfRing(ring),
    // Raw and truncated vertices both: centres come from the raw ones, clipping from the ring.
    bounds: boundsOf([...ring, ...points]),
    area: ringArea(ring),
    aspectRatio: ar,
    chars,
    dontCare,
    orientation: box.orientation,
  };
}

/** Intersection area of two prepared boxes' regions. */
export function boxIntersectionArea(a: PreparedBox, b: PreparedBox): number {
  return regionIntersectionArea(a.region, b.region);
}

export function isInside(box: PreparedBox, x: number, y: number): boolean {
  const b = box.bounds;
  if (x < b.minX || x > b.maxX || y < b.minY || y > b.maxY) return false;
  return pointInRing(box.ring, x, y);
}

/** Pseudo-character centres of a GT box (one per code point of its transcription). */
export function pseudoCharCenters(box: PreparedBox, verticalThresh: number): Point[] {
  const length = box.chars.length;
  if (length === 0) return [];
  return box.kind === 'QUAD' ? quadCenters(box.points, box.aspectRatio, length, verticalThresh) : polyCenters(box.points, length);
}

function quadCenters(p: Point[], ar: number, length: number, verticalThresh: number): Point[] {
  // Vertical text: rotate the corner roles so characters run from top to bottom.
  const [lt, rt, rb, lb] = ar >= verticalThresh ? [p[0], p[1], p[2], p[3]] : [p[3], p[0], p[1], p[2]];
  const p1x = (lt[0] + lb[0]) / 2, p1y = (lt[1] + lb[1]) / 2;
  const p2x = (rt[0] + rb[0]) / 2, p2y = (rt[1] + rb[1]) / 2;
  const ux = (p2x - p1x) / length, uy = (p2y - p1y) / length;
  const out: Point[] = [];
  for (let i = 0; i < length; i++) out.push([p1x + ux / 2 + ux * i, p1y + uy / 2 + uy * i]);
  return out;
}

/** Interpolates top and bottom polylines (integer steps, as the reference), then averages sections. */
function polyCenters(points: Point[], length: number): Point[] {
  const n = points.length;
  const half = Math.floor(n / 2);
  const top = points.slice(0, half);
  const bottom = points.slice(half).reverse();
  const sections = half - 1;
  const tx: number[] = [], ty: number[] = [], bx: number[] = [], by: number[] = [];
  for (let s = 0; s < sections; s++) {
    const dxT = (top[s + 1][0] - top[s][0]) / length, dyT = (top[s + 1][1] - top[s][1]) / length;
    const dxB = (bottom[s + 1][0] - bottom[s][0]) / length, dyB = (bottom[s + 1][1] - bottom[s][1]) / length;
    tx.push(top[s][0]); ty.push(top[s][1]); bx.push(bottom[s][0]); by.push(bottom[s][1]);
    for (let k = 1; k < length; k++) {
      tx.push(Math.trunc(top[s][0] + dxT * k));
      bx.push(Math.trunc(bottom[s][0] + dxB * k));
      ty.push(Math.trunc(top[s][1] + dyT * k));
      by.push(Math.trunc(bottom[s][1] + dyB * k));
    }
  }
  tx.push(top[top.length - 1][0]); ty.push(top[top.length - 1][1]);
  bx.push(bottom[bottom.length - 1][0]); by.push(bottom[bottom.length - 1][1]);
  const step = (tx.length - 1) / length;
  const out: Point[] = [];
  for (let c = 0; c < length; c++) {
    const a = Math.trunc(c * step), b = Math.trunc((c + 1) * step);
    out.push([(tx[a] + tx[b] + bx[a] + bx[b]) / 4, (ty[a] + ty[b] + by[a] + by[b]) / 4]);
  }
  return out;
}

/**
 * CLEval's box scale for the scale-wise breakdown: the shorter side of the minimum-area rectangle
 * (corners rounded to integers, as the reference rounds OpenCV's `boxPoints`) over the image's
 * longer side.
 */
export function boxScale(points: Point[], longerSide: number): number {
  if (points.length === 0) return 0;
  const q = minAreaRect(points).corners.map((c) => [roundHalfEven(c[0]), roundHalfEven(c[1])] as Point);
  const w = distance(q[1], q[0]) + distance(q[3], q[2]);
  const h = distance(q[2], q[1]) + distance(q[0], q[3]);
  return Math.min(w, h) / 2 / longerSide;
}
