/**
 * Detection scoring: each GT character whose pseudo centre lies in a matched detection counts
 * once; splits and merges pay the granularity penalty; unmatched detections add estimated
 * false-positive characters.
 */
import { roundHalfEven } from '../geometry';
import type { PreparedBox } from './box';
import type { MatchState } from './match';
import { withRph, type CoreStats } from './stats';

export interface DetOutcome {
  stats: CoreStats;
  numSplitted: number;
  numMerged: number;
  numCharOverlapped: number;
  /** Per GT, per centre: found by some matched detection (used by nothing else; kept for reports). */
  found: Uint8Array[];
}

/**
 * `max(n - 1, 0) * weight`, the granularity penalty, rounded to float32 as the reference stores it
 * (exact for the default weight 1).
 */
export function granScore(n: number, weight: number): number {
  return Math.fround(Math.max(n - 1, 0) * weight);
}

/** Characters the reference assumes in an unmatched detection: round(0.5 + 1 / (1e-5 + ar)), at most 10. */
export function fpChars(det: PreparedBox): number {
  return Math.min(roundHalfEven(0.5 + 1 / (1e-5 + det.aspectRatio)), 10);
}

export function scoreDetection(
  gts: PreparedBox[],
  dets: PreparedBox[],
  m: MatchState,
  recallWeight: number,
  precisionWeight: number,
): DetOutcome {
  const { nGt, nDet, pcc } = m;
  const found = gts.map((gt) => new Uint8Array(gt.chars.length));
  let tp = 0;
  let granP = 0;
  let granR = 0;
  let numMerged = 0;
  let numSplitted = 0;
  let numCharOverlapped = 0;

  for (let d = 0; d < nDet; d++) {
    if (!m.detValid[d]) continue;
    const gs = m.gtsOfDet[d];
    if (gs.length === 0) continue;
    if (gs.length > 1) numMerged++;
    for (const g of gs) {
      const hits = pcc[g].get(d);
      if (!hits) continue;
      for (let k = 0; k < hits.length; k++) {
        if (!hits[k]) continue;
        if (!found[g][k]) {
          found[g][k] = 1;
          tp++;
        } else {
          numCharOverlapped++;
        }
      }
    }
    granP += granScore(gs.length, precisionWeight);
  }

  let numCharGt = 0;
  for (let g = 0; g < nGt; g++) {
    if (!m.gtValid[g]) continue;
    numCharGt += gts[g].chars.length;
    const n = m.detsOfGt[g].length;
    if (n > 0) {
      if (n > 1) numSplitted++;
      granR += granScore(n, recallWeight);
    }
  }

  // TotalNum for precision: centre hits of matched pairs in counted detections, plus estimates.
  let numCharDet = 0;
  for (let g = 0; g < nGt; g++) {
    for (const d of m.detsOfGt[g]) if (m.detValid[d]) numCharDet += m.pccSum[g * nDet + d];
  }
  let numCharFp = 0;
  for (let d = 0; d < nDet; d++) {
    if (!m.detValid[d]) continue;
    if (m.gtsOfDet[d].length === 0) numCharFp += fpChars(dets[d]);
  }
  numCharDet += numCharFp;

  const stats = withRph({
    numCharGt,
    numCharDet,
    granScoreRecall: granR,
    numCharTpRecall: tp,
    granScorePrecision: granP,
    numCharTpPrecision: tp,
    numCharFp,
  });
  return { stats, numSplitted, numMerged, numCharOverlapped, found };
}
