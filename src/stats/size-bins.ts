/**
 * Accuracy deltas by text-size bin. Small text is where fp16 and int8 engines fail first, and an
 * overall HMean can hide it. Each bin is scored by re-running the metric with every ground-truth box
 * outside the bin turned into a don't-care region: detections of other-sized text are then ignored,
 * not counted as false, so precision, recall and HMean stay meaningful per bin.
 */
import { OptionError, withDefaults, type Polygon } from '../core';

export interface SizedBox {
  points: Polygon;
  transcription?: string;
  dontCare?: boolean;
}

export interface SizedSample {
  name: string;
  boxes: SizedBox[];
}

export interface ScoreTriple {
  precision: number;
  recall: number;
  hmean: number;
}

/** Any metric over a list of samples (CLEval, IoU protocol): ground truth first, predictions second. */
export type OverallMetric = (gt: SizedSample[], predictions: SizedSample[]) => ScoreTriple;

export interface SizeBinOptions {
  /** Upper edges, in pixels of text height, of every bin but the last (ascending). @default [16, 32, 64] */
  edges: number[];
}

export const DEFAULT_SIZE_BIN_OPTIONS: SizeBinOptions = { edges: [16, 32, 64] };

export interface SizeBinRow {
  bin: string;
  /** Lower and upper text height of the bin, px (upper Infinity for the last). */
  minHeight: number;
  maxHeight: number;
  /** Ground-truth boxes that count (not don't-care) in the bin. */
  gtBoxes: number;
  refPrecision: number;
  refRecall: number;
  refHmean: number;
  candPrecision: number;
  candRecall: number;
  candHmean: number;
  /** candHmean − refHmean (fraction; × 100 for points). */
  hmeanDelta: number;
  recallDelta: number;
}

function dist(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/**
 * Text height of a polygon: the shorter side of the rectangle with the same area and perimeter.
 * Exact for rectangles at any rotation, and close for quads and for curved text bands, whose area is
 * about length × height and half perimeter about length + height.
 */
export function textHeight(points: Polygon): number {
  let area = 0;
  let perimeter = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const q = points[(i + 1) % points.length];
    area += p[0] * q[1] - q[0] * p[1];
    perimeter += dist(p, q);
  }
  area = Math.abs(area) / 2;
  const s = perimeter / 2;
  const disc = Math.max(0, s * s - 4 * area);
  return (s - Math.sqrt(disc)) / 2;
}

/** The bin labels for `edges`, e.g. `<16 px`, `16–32 px`, `>=64 px`. */
export function binLabels(edges: readonly number[]): string[] {
  const labels = [`<${edges[0]} px`];
  for (let i = 1; i < edges.length; i++) labels.push(`${edges[i - 1]}–${edges[i]} px`);
  labels.push(`>=${edges[edges.length - 1]} px`);
  return labels;
}

/** Index of the bin of a text height. */
export function binIndex(height: number, edges: readonly number[]): number {
  let i = 0;
  while (i < edges.length && height >= edges[i]) i++;
  return i;
}

function isCare(b: SizedBox): boolean {
  return b.dontCare === undefined ? b.transcription !== '###' : !b.dontCare;
}

function checkEdges(edges: unknown): number[] {
  const ok = Array.isArray(edges) && edges.length > 0 && edges.every((e, i) => typeof e === 'number' && e > 0 && Number.isFinite(e) && (i === 0 || e > edges[i - 1]));
  if (!ok) {
    throw new OptionError(`size bin edges must be ascending positive numbers, but received ${JSON.stringify(edges)}`, {
      subject: 'edges',
      fix: 'pass e.g. { edges: [16, 32, 64] } (text height in pixels)',
    });
  }
  return edges as number[];
}

/**
 * Scores reference and candidate predictions per text-size bin. Pure: the inputs are not modified
 * (boxes outside a bin are copied with `dontCare: true`).
 */
export function deltasBySize(
  gt: SizedSample[],
  reference: SizedSample[],
  candidate: SizedSample[],
  metric: OverallMetric,
  options: Partial<SizeBinOptions> = {},
): SizeBinRow[] {
  const o = withDefaults('size bin options', DEFAULT_SIZE_BIN_OPTIONS, options);
  const edges = checkEdges(o.edges);
  const labels = binLabels(edges);
  const bins = gt.map((s) => s.boxes.map((b) => binIndex(textHeight(b.points), edges)));
  return labels.map((label, k) => {
    let gtBoxes = 0;
    const gtBin = gt.map((s, i) => ({
      ...s,
      boxes: s.boxes.map((b, j) => {
        if (bins[i][j] === k) {
          if (isCare(b)) gtBoxes++;
          return b;
        }
        return { ...b, dontCare: true };
      }),
    }));
    const ref = metric(gtBin, reference);
    const cand = metric(gtBin, candidate);
    return {
      bin: label,
      minHeight: k === 0 ? 0 : edges[k - 1],
      maxHeight: k < edges.length ? edges[k] : Infinity,
      gtBoxes,
      refPrecision: ref.precision,
      refRecall: ref.recall,
      refHmean: ref.hmean,
      candPrecision: cand.precision,
      candRecall: cand.recall,
      candHmean: cand.hmean,
      hmeanDelta: cand.hmean - ref.hmean,
      recallDelta: cand.recall - ref.recall,
    };
  });
}
