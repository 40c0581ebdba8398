/**
 * The classic ICDAR 2015 (Robust Reading, Challenge 4) detection protocol: one-to-one matches at
 * IoU > 0.5, greedy in GT-then-detection order; GT marked `###` is don't care, and a detection
 * mostly inside a don't-care GT (intersection / detection area > 0.5) is ignored.
 * Quads use integer-truncated vertices, as the reference script's polygons do.
 */
import { InputError, numberIn, withDefaults, type Point } from '../core';
import { ringArea } from './geometry';
import { regionIntersectionArea, regionOfRing, type Region } from './region';
import { DONT_CARE, type EvalBox, type EvalSample, type Prh } from './types';

export interface IouOptions {
  /** `IOU_CONSTRAINT`: a match needs IoU strictly above this. Default `0.5`. */
  iouConstraint: number;
  /** `AREA_PRECISION_CONSTRAINT`: a detection this much (strictly) inside a don't-care GT is ignored. Default `0.5`. */
  areaPrecisionConstraint: number;
}

export const DEFAULT_IOU_OPTIONS: Readonly<IouOptions> = Object.freeze({ iouConstraint: 0.5, areaPrecisionConstraint: 0.5 });

export interface IouCounts {
  numGtCare: number;
  numDetCare: number;
  numMatched: number;
}

export interface IouSampleResult {
  name: string;
  det: Prh & IouCounts;
  /** Matched pairs as [GT index, prediction index]. */
  pairs: [number, number][];
}

export interface IouResult {
  det: Prh & IouCounts;
  perImage: Record<string, IouSampleResult>;
}

interface Shape {
  ring: Point[];
  area: number;
  region: Region;
  dontCare: boolean;
}

function shape(b: EvalBox, where: string): Shape {
  if (!Array.isArray(b.points) || b.points.length < 3) {
    throw new InputError(`${where}: a box needs at least 3 vertices`, { subject: where });
  }
  const ring: Point[] = b.points.length === 4 ? b.points.map((p) => [Math.trunc(p[0]), Math.trunc(p[1])]) : b.points.map((p) => [p[0], p[1]]);
  return { ring, area: ringArea(ring), region: regionOfRing(ring), dontCare: b.dontCare ?? b.transcription === DONT_CARE };
}

function inter(a: Shape, b: Shape): number {
  return regionIntersectionArea(a.region, b.region);
}

function sampleIou(name: string, gtBoxes: readonly EvalBox[], predBoxes: readonly EvalBox[], o: IouOptions): IouSampleResult {
  const gts = gtBoxes.map((b, i) => shape(b, `${name} GT box ${i + 1}`));
  const dets = predBoxes.map((b, i) => shape(b, `${name} prediction box ${i + 1}`));
  const gtDc = gts.map((g) => g.dontCare);
  const detDc = dets.map((d) => {
    for (const g of gts) {
      if (!g.dontCare) continue;
      const p = d.area === 0 ? 0 : inter(g, d) / d.area;
      if (p > o.areaPrecisionConstraint) return true;
    }
    return false;
  });
  const gtUsed = new Array<boolean>(gts.length).fill(false);
  const detUsed = new Array<boolean>(dets.length).fill(false);
  const pairs: [number, number][] = [];
  for (let g = 0; g < gts.length; g++) {
    for (let d = 0; d < dets.length; d++) {
      if (gtUsed[g] || detUsed[d] || gtDc[g] || detDc[d]) continue;
      const i = inter(gts[g], dets[d]);
      const union = gts[g].area + dets[d].area - i;
      const iou = union === 0 ? 0 : i / union;
      if (iou > o.iouConstraint) {
        gtUsed[g] = detUsed[d] = true;
        pairs.push([g, d]);
      }
    }
  }
  const numGtCare = gtDc.filter((x) => !x).length;
  const numDetCare = detDc.filter((x) => !x).length;
  const numMatched = pairs.length;
  // The reference's per-image convention: no counted GT means recall 1, precision 1 only if no detections.
  const recall = numGtCare === 0 ? 1 : numMatched / numGtCare;
  const precision = numGtCare === 0 ? (numDetCare > 0 ? 0 : 1) : numDetCare === 0 ? 0 : numMatched / numDetCare;
  return { name, det: { precision, recall, hmean: hmean(precision, recall), numGtCare, numDetCare, numMatched }, pairs };
}

function hmean(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/**
 * Scores predictions with the ICDAR 2015 IoU protocol. Samples pair by name as in
 * {@link evaluateCleval}; transcriptions are ignored except `###` on GT (don't care).
 */
export function evaluateIou(gt: readonly EvalSample[], pred: readonly EvalSample[], options?: Partial<IouOptions>): IouResult {
  const o = withDefaults('IouOptions', { ...DEFAULT_IOU_OPTIONS }, options);
  numberIn('IouOptions.iouConstraint', o.iouConstraint, 0, 1);
  numberIn('IouOptions.areaPrecisionConstraint', o.areaPrecisionConstraint, 0, 1);
  const byName = new Map(pred.map((p) => [p.name, p]));
  const gtNames = new Set(gt.map((g) => g.name));
  for (const p of pred) {
    if (!gtNames.has(p.name)) {
      throw new InputError(`The prediction sample ${JSON.stringify(p.name)} is not present in the GT`, {
        subject: p.name,
        fix: 'name prediction files res_<name>.txt after an existing gt_<name>.txt, or remove the extra sample',
      });
    }
  }
  const perImage: Record<string, IouSampleResult> = {};
  let numGtCare = 0, numDetCare = 0, numMatched = 0;
  for (const g of gt) {
    const r = sampleIou(g.name, g.boxes, byName.get(g.name)?.boxes ?? [], o);
    perImage[g.name] = r;
    numGtCare += r.det.numGtCare;
    numDetCare += r.det.numDetCare;
    numMatched += r.det.numMatched;
  }
  const recall = numGtCare === 0 ? 0 : numMatched / numGtCare;
  const precision = numDetCare === 0 ? 0 : numMatched / numDetCare;
  return { det: { precision, recall, hmean: hmean(precision, recall), numGtCare, numDetCare, numMatched }, perImage };
}
