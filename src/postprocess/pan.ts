/**
 * PAN++ post-processing by pixel aggregation (Wang et al., PAN 2019 / PAN++ 2021):
 *
 *   text, kernel ──binarize──▶ kernel ∧ text ──connected components──▶ kernels (seeds)
 *   embedding ──mean per kernel──▶ BFS from the kernels into text pixels whose embedding lies within
 *   distThreshold of the kernel's mean ──▶ instances ──min area / min score──▶ quads or polygons
 *
 * Maps are at one resolution (the exported PAN++ gives them at input resolution); MapBack scales the
 * result to the original image like the DB post-processor does.
 */
import { InputError, integerIn, numberIn, oneOf, withDefaults, type DetBox, type Point, type Polygon } from '../core';
import { connectedComponents, labelImage, convexHull, minAreaRectOfHull, outerContours } from '../geometry';
import type { MapBack } from './db';

/** The three PAN++ heads for one image, row-major planes of one size. */
export interface PanMaps {
  /** Text-region probability, H*W. */
  text: Float32Array;
  /** Kernel probability, H*W. */
  kernel: Float32Array;
  /** Instance embedding, channel-planar: embDim planes of H*W. */
  embedding: Float32Array;
  width: number;
  height: number;
  /** Embedding channels. @default 4 */
  embDim?: number;
}

export interface PanOptions {
  /** A pixel is text when its text probability exceeds this. @default 0.5 (logit > 0, as PAN++) */
  textThresh: number;
  /** A text pixel is kernel when its kernel probability exceeds this. @default 0.5 */
  kernelThresh: number;
  /** Largest embedding distance from a kernel's mean that joins a pixel to it. @default 3 (PAN++) */
  distThreshold: number;
  /** Kernels with fewer pixels are dropped as noise (map pixels). @default 16 */
  minKernelArea: number;
  /** Instances with fewer pixels are dropped (map pixels). @default 64 */
  minArea: number;
  /** Instances whose mean text probability is lower are dropped. @default 0.85 (PAN++) */
  minScore: number;
  /** 'quad': minimum-area rectangle; 'poly': the instance's outer contour. @default 'quad' */
  boxType: 'quad' | 'poly';
}

export const DEFAULT_PAN_OPTIONS: PanOptions = {
  textThresh: 0.5,
  kernelThresh: 0.5,
  distThreshold: 3,
  minKernelArea: 16,
  minArea: 64,
  minScore: 0.85,
  boxType: 'quad',
};

function validate(options: Partial<PanOptions> | undefined): PanOptions {
  const o = withDefaults('panPostprocess options', DEFAULT_PAN_OPTIONS, options);
  numberIn('textThresh', o.textThresh, 0, 1);
  numberIn('kernelThresh', o.kernelThresh, 0, 1);
  numberIn('distThreshold', o.distThreshold, 0);
  numberIn('minKernelArea', o.minKernelArea, 0);
  numberIn('minArea', o.minArea, 0);
  numberIn('minScore', o.minScore, 0, 1);
  oneOf('boxType', o.boxType, ['quad', 'poly'] as const);
  return o;
}

function checkMaps(maps: PanMaps): number {
  const w = integerIn('maps.width', maps.width, 1);
  const h = integerIn('maps.height', maps.height, 1);
  const d = integerIn('maps.embDim', maps.embDim ?? 4, 1);
  const want: [keyof PanMaps, number][] = [['text', w * h], ['kernel', w * h], ['embedding', d * w * h]];
  for (const [key, len] of want) {
    const a = maps[key];
    if (!(a instanceof Float32Array) || a.length !== len) {
      throw new InputError(`maps.${key} must be a Float32Array of ${len} values (${key === 'embedding' ? `${d}x` : ''}${h}x${w}) but has ${a instanceof Float32Array ? a.length : typeof a}`, {
        subject: `maps.${key}`,
        fix: 'pass the PAN++ outputs of one image: text [H*W], kernel [H*W], embedding [embDim*H*W] (channel-planar)',
      });
    }
  }
  return d;
}

/**
 * Text instances from one image's PAN++ maps, in original-image coordinates (integers clipped to the
 * image). Quads are ordered top-left, top-right, bottom-right, bottom-left. Inputs are not modified.
 */
export function panPostprocess(maps: PanMaps, back: MapBack, options?: Partial<PanOptions>): DetBox[] {
  const o = validate(options);
  const dim = checkMaps(maps);
  const { width: mw, text, kernel, embedding } = maps;
  integerIn('srcWidth', back.srcWidth, 1);
  integerIn('srcHeight', back.srcHeight, 1);
  const w = integerIn('validWidth', back.validWidth ?? mw, 1, mw);
  const h = integerIn('validHeight', back.validHeight ?? maps.height, 1, maps.height);
  const plane = mw * maps.height;

  // 1. kernels = kernel ∧ text inside the valid region; 4-connected components, as PAN++ labels them
  const seed = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * mw + x;
      seed[y * w + x] = text[i] > o.textThresh && kernel[i] > o.kernelThresh ? 1 : 0;
    }
  }
  const comps = connectedComponents({ data: seed, width: w, height: h }, { threshold: 0, connectivity: 4 });
  const labels = labelImage(comps); // 0 background, c + 1 for kernel c; grows into instances below
  const keep = new Int32Array(comps.count + 1);
  let kept = 0;
  for (let c = 0; c < comps.count; c++) keep[c + 1] = comps.area[c] >= o.minKernelArea ? ++kept : 0;

  // 2. mean embedding per kept kernel
  const mean = new Float64Array((kept + 1) * dim);
  const count = new Float64Array(kept + 1);
  const queue = new Int32Array(w * h);
  let tail = 0;
  for (let p = 0; p < w * h; p++) {
    const l = (labels[p] = keep[labels[p]]);
    if (l === 0) continue;
    const i = Math.floor(p / w) * mw + (p % w);
    for (let k = 0; k < dim; k++) mean[l * dim + k] += embedding[k * plane + i];
    count[l]++;
    queue[tail++] = p;
  }
  for (let l = 1; l <= kept; l++) for (let k = 0; k < dim; k++) mean[l * dim + k] /= count[l];

  // 3. pixel aggregation: breadth-first from every kernel at once, into unclaimed text pixels
  const t2 = o.distThreshold * o.distThreshold;
  for (let head = 0; head < tail; head++) {
    const p = queue[head];
    const l = labels[p];
    const px = p % w;
    const py = (p - px) / w;
    for (let n = 0; n < 4; n++) {
      const qx = px + (n === 0 ? 1 : n === 1 ? -1 : 0);
      const qy = py + (n === 2 ? 1 : n === 3 ? -1 : 0);
      if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
      const q = qy * w + qx;
      if (labels[q] !== 0) continue;
      const i = qy * mw + qx;
      if (!(text[i] > o.textThresh)) continue;
      let d2 = 0;
      for (let k = 0; k < dim; k++) {
        const diff = embedding[k * plane + i] - mean[l * dim + k];
        d2 += diff * diff;
      }
      if (d2 >= t2) continue;
      labels[q] = l;
      queue[tail++] = q;
    }
  }

  // 4. per instance: area, score, and the pixel-square corners of each row run (for the hull)
  const area = new Float64Array(kept + 1);
  const score = new Float64Array(kept + 1);
  const pts: Point[][] = Array.from({ length: kept + 1 }, () => []);
  const bounds = Array.from({ length: kept + 1 }, () => [Infinity, Infinity, -Infinity, -Infinity]);
  for (let y = 0; y < h; y++) {
    let x = 0;
    while (x < w) {
      const l = labels[y * w + x];
      if (l === 0) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < w && labels[y * w + x] === l) {
        area[l]++;
        score[l] += text[y * mw + x];
        x++;
      }
      pts[l].push([x0, y], [x, y], [x, y + 1], [x0, y + 1]);
      const b = bounds[l];
      b[0] = Math.min(b[0], x0); b[1] = Math.min(b[1], y); b[2] = Math.max(b[2], x - 1); b[3] = Math.max(b[3], y);
    }
  }

  // 5. filter and map back
  const sx = back.srcWidth / w;
  const sy = back.srcHeight / h;
  const toSrc = (p: Point): Point => [
    Math.min(Math.max(Math.round(p[0] * sx), 0), back.srcWidth),
    Math.min(Math.max(Math.round(p[1] * sy), 0), back.srcHeight),
  ];
  const out: DetBox[] = [];
  for (let l = 1; l <= kept; l++) {
    if (area[l] < o.minArea) continue;
    const s = score[l] / area[l];
    if (s < o.minScore) continue;
    let polygon: Polygon;
    if (o.boxType === 'quad') {
      polygon = minAreaRectOfHull(convexHull(pts[l])).corners.map(toSrc);
    } else {
      polygon = instanceContour(labels, w, l, bounds[l]).map(toSrc);
      if (polygon.length < 3) continue;
    }
    out.push({ points: polygon, score: s });
  }
  return out;
}

/** Outer contour of instance `l`, traced on its bounding box (the largest piece if it fell apart). */
function instanceContour(labels: Int32Array, w: number, l: number, b: number[]): Polygon {
  const [x0, y0, x1, y1] = b;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const mask = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) mask[y * bw + x] = labels[(y + y0) * w + x + x0] === l ? 1 : 0;
  const comps = connectedComponents({ data: mask, width: bw, height: bh }, { threshold: 0, connectivity: 8 });
  if (comps.count === 0) return [];
  let best = 0;
  for (let c = 1; c < comps.count; c++) if (comps.area[c] > comps.area[best]) best = c;
  const contours = outerContours(comps, { limit: best + 1 });
  return contours[best].map(([x, y]) => [x + x0, y + y0] as Point);
}
