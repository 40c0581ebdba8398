/**
 * CLEval (Baek et al. 2020), character-level evaluation of text detection and end-to-end
 * recognition, reproducing the reference implementation (clovaai/CLEval 513623c) figure for figure.
 *
 *   samples ─► prepare boxes ─► subtract GT from don't care ─► area precision + centre hits
 *           ─► don't-care detections ─► matches ─► detection score ─► [end-to-end score]
 *           ─► per image ─► summed counts ─► overall (and per scale bin)
 *
 * Conformance: every figure of the reference's own test data matches to the last digit
 * (test/eval/cleval.test.ts). Known, deliberate differences, all outside that data:
 * - POLY: the reference class fails at 513623c; see `box.ts` for the rules used instead.
 * - Orientation: the reference weights every detection 0 (a typo); 1/n is used.
 * - Non-default granularity weights: each penalty is rounded to float32 as the reference stores
 *   it, but sums are taken in float64 (the reference sums float32).
 * - Scale-wise: the minimum-area rectangle is computed here, not by OpenCV.
 * Like the reference, end-to-end scores depend on GT order when one detection is matched to
 * several GT (used characters are removed GT by GT, in index order); detection scores do not.
 */
import { InputError } from '../../core';
import type { EvalBox, EvalSample } from '../types';
import { boxScale, prepareBox, pseudoCharCenters } from './box';
import { scoreDetection } from './det';
import { scoreEndToEnd } from './e2e';
import { buildMatches, subtractFromDontCare, type Match } from './match';
import { resolveClevalOptions, type ClevalOptions } from './options';
import { sumStats, type CoreStats } from './stats';

export { DEFAULT_CLEVAL_OPTIONS, resolveClevalOptions, type ClevalOptions } from './options';
export type { CoreStats } from './stats';
export type { Match, MatchRelation } from './match';
export { lcs } from './e2e';

/** Split/merge counts and the optional orientation tally, per image or summed. */
export interface ClevalCounts {
  numSplitted: number;
  numMerged: number;
  numCharOverlapped: number;
  /** With `orientation`: matched GT counted, and the share of their detections with the same label. */
  numOriTotal: number;
  numOriCorrect: number;
}

export interface ClevalSampleResult extends ClevalCounts {
  name: string;
  det: CoreStats;
  /** Present with `e2e`. */
  e2e?: CoreStats;
  /** Box indices into the sample's GT and prediction lists. */
  matches: Match[];
}

export interface ClevalScaleResult {
  /** Inclusive range of box scale (character height / image longer side). */
  range: [number, number];
  det: CoreStats;
  e2e?: CoreStats;
}

export interface ClevalResult extends ClevalCounts {
  det: CoreStats;
  e2e?: CoreStats;
  /** `numOriCorrect / numOriTotal` (0 when nothing matched). Present with `orientation`. */
  orientationAccuracy?: number;
  perImage: Record<string, ClevalSampleResult>;
  /** Present with `scaleWise`, one entry per bin. */
  scaleWise?: ClevalScaleResult[];
}

/**
 * Scores one image. `scaleRange` (with `longerSide`) turns GT outside the range into don't care,
 * as CLEval's scale-wise evaluation does. Inputs are not modified.
 */
export function evaluateClevalSample(
  name: string,
  gtBoxes: readonly EvalBox[],
  predBoxes: readonly EvalBox[],
  options?: Partial<ClevalOptions>,
  scale?: { range: [number, number]; longerSide: number },
): ClevalSampleResult {
  const o = resolveClevalOptions(options);
  return scoreSample(name, gtBoxes, predBoxes, o, scale);
}

function scoreSample(
  name: string,
  gtBoxes: readonly EvalBox[],
  predBoxes: readonly EvalBox[],
  o: ClevalOptions,
  scale?: { range: [number, number]; longerSide: number },
): ClevalSampleResult {
  const forcePoly = o.boxType === 'POLY';
  const upper = !o.caseSensitive;
  const gts = gtBoxes.map((b, i) => prepareBox(b, forcePoly, upper, `${name} GT box ${i + 1}`));
  const dets = predBoxes.map((b, i) => prepareBox(b, forcePoly, upper, `${name} prediction box ${i + 1}`));
  // End-to-end reads the predictions' text; detection-only never does (as the reference parses it).
  if (!o.e2e) for (const d of dets) d.chars = [];

  const gtDc = gts.map((b, i) => {
    if (b.dontCare) return true;
    if (!scale) return false;
    const s = boxScale(gtBoxes[i].points, scale.longerSide);
    return !(scale.range[0] <= s && s <= scale.range[1]);
  });
  const centers = gts.map((b) => pseudoCharCenters(b, o.verticalAspectRatioThresh));
  subtractFromDontCare(
    gts,
    gtDc.flatMap((dc, i) => (dc ? [i] : [])),
    gtDc,
    name,
  );
  const m = buildMatches(gts, dets, centers, gtDc, o.areaPrecisionConstraint);
  const det = scoreDetection(gts, dets, m, o.recallGranularityPenaltyWeight, o.precisionGranularityPenaltyWeight);
  const e2e = o.e2e
    ? scoreEndToEnd(gts, dets, m, det.stats.numCharGt, o.recallGranularityPenaltyWeight, o.precisionGranularityPenaltyWeight)
    : undefined;

  let numOriTotal = 0, numOriCorrect = 0;
  if (o.orientation) {
    // The reference weights each of a GT's detections by 0 through a typo; the intended 1/n is used.
    for (let g = 0; g < m.nGt; g++) {
      if (!m.gtValid[g]) continue;
      const ds = m.detsOfGt[g];
      if (ds.length === 0) continue;
      numOriTotal++;
      for (const d of ds) if (gts[g].orientation === dets[d].orientation) numOriCorrect += 1 / ds.length;
    }
  }
  return {
    name,
    det: det.stats,
    ...(e2e ? { e2e } : {}),
    numSplitted: det.numSplitted,
    numMerged: det.numMerged,
    numCharOverlapped: det.numCharOverlapped,
    numOriTotal,
    numOriCorrect,
    matches: m.matches,
  };
}

function pairSamples(gt: readonly EvalSample[], pred: readonly EvalSample[]): [EvalSample, EvalBox[]][] {
  const byName = new Map<string, EvalSample>();
  for (const p of pred) {
    if (byName.has(p.name)) throw new InputError(`Prediction sample ${JSON.stringify(p.name)} appears twice`, { subject: p.name });
    byName.set(p.name, p);
  }
  const gtNames = new Set<string>();
  for (const g of gt) {
    if (gtNames.has(g.name)) throw new InputError(`GT sample ${JSON.stringify(g.name)} appears twice`, { subject: g.name });
    gtNames.add(g.name);
  }
  for (const p of pred) {
    if (!gtNames.has(p.name)) {
      throw new InputError(`The prediction sample ${JSON.stringify(p.name)} is not present in the GT`, {
        subject: p.name,
        fix: 'name prediction files res_<name>.txt after an existing gt_<name>.txt, or remove the extra sample',
      });
    }
  }
  // A GT image without predictions scores as an empty prediction, as in the reference.
  return gt.map((g) => [g, byName.get(g.name)?.boxes ?? []]);
}

function sumCounts(results: readonly ClevalCounts[]): ClevalCounts {
  const c: ClevalCounts = { numSplitted: 0, numMerged: 0, numCharOverlapped: 0, numOriTotal: 0, numOriCorrect: 0 };
  for (const r of results) {
    c.numSplitted += r.numSplitted;
    c.numMerged += r.numMerged;
    c.numCharOverlapped += r.numCharOverlapped;
    c.numOriTotal += r.numOriTotal;
    c.numOriCorrect += r.numOriCorrect;
  }
  return c;
}

/**
 * Scores predictions against ground truth with CLEval, per image and overall (counts summed over
 * images, then precision/recall/hmean). Samples pair by `name`; a GT sample with no prediction
 * sample scores as an empty prediction; a prediction sample with no GT is an InputError.
 *
 * Detection-only use with a detector's output: `{ name, boxes: fromDetBoxes(detBoxes) }`.
 */
export function evaluateCleval(
  gt: readonly EvalSample[],
  pred: readonly EvalSample[],
  options?: Partial<ClevalOptions>,
): ClevalResult {
  const o = resolveClevalOptions(options);
  const pairs = pairSamples(gt, pred);
  const samples = pairs.map(([g, p]) => scoreSample(g.name, g.boxes, p, o));
  const perImage: Record<string, ClevalSampleResult> = {};
  for (const s of samples) perImage[s.name] = s;
  const counts = sumCounts(samples);
  const result: ClevalResult = {
    det: sumStats(samples.map((s) => s.det)),
    ...(o.e2e ? { e2e: sumStats(samples.map((s) => s.e2e as CoreStats)) } : {}),
    ...counts,
    perImage,
  };
  if (o.orientation) result.orientationAccuracy = counts.numOriTotal === 0 ? 0 : counts.numOriCorrect / counts.numOriTotal;
  if (o.scaleWise) result.scaleWise = scaleWise(pairs, o);
  return result;
}

function scaleWise(pairs: [EvalSample, EvalBox[]][], o: ClevalOptions): ClevalScaleResult[] {
  const longer = pairs.map(([g]) => {
    if (!g.imageSize) {
      throw new InputError(`Scale-wise CLEval needs the image size of GT sample ${JSON.stringify(g.name)}`, {
        subject: g.name,
        fix: 'set imageSize on every GT sample, or turn scaleWise off',
      });
    }
    return Math.max(g.imageSize.width, g.imageSize.height);
  });
  const out: ClevalScaleResult[] = [];
  for (let b = 0; b + 1 < o.scaleBins.length; b++) {
    const range: [number, number] = [o.scaleBins[b], o.scaleBins[b + 1]];
    const rs = pairs.map(([g, p], i) => scoreSample(g.name, g.boxes, p, o, { range, longerSide: longer[i] }));
    out.push({
      range,
      det: sumStats(rs.map((r) => r.det)),
      ...(o.e2e ? { e2e: sumStats(rs.map((r) => r.e2e as CoreStats)) } : {}),
    });
  }
  return out;
}
