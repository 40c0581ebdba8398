/**
 * CLEval's matching stage: area precision of every (GT, detection) pair, which pseudo-character
 * centres fall in which detection, don't-care filtering, and the one-to-one / one-to-many /
 * many-to-one matches. Matrices are flat typed arrays indexed `g * nDet + d`.
 */
import { defaultLogger, type Logger, type Point } from '../../core';
import { overlappingPairs } from '../geometry';
import { regionDifference } from '../region';
import { boxIntersectionArea, isInside, type PreparedBox } from './box';

export type MatchRelation = 'one-to-one' | 'one-to-many' | 'many-to-one';

export interface Match {
  gt: number[];
  det: number[];
  relation: MatchRelation;
}

export interface MatchState {
  nGt: number;
  nDet: number;
  /** Area precision, rounded to float32 as the reference stores it. */
  ap: Float32Array;
  apOk: Uint8Array;
  /** pcc[g].get(d)[k]: centre k of GT g lies in detection d. Only pairs with a hit have an entry; unmatched pairs are removed. */
  pcc: Map<number, Uint8Array>[];
  /** Count of centres of GT g in detection d (cleared for unmatched pairs). */
  pccSum: Int32Array;
  gtValid: boolean[];
  detValid: boolean[];
  matched: Uint8Array;
  /** Per GT, the detections it matched (ascending); per detection, the GT it matched. */
  detsOfGt: number[][];
  gtsOfDet: number[][];
  matches: Match[];
}

/**
 * Subtracts overlapping counted GT from each don't-care GT, so a detection on counted text is not
 * excused by a don't-care box drawn around it.
 */
export function subtractFromDontCare(
  gts: PreparedBox[],
  dcIdx: readonly number[],
  isDc: readonly boolean[],
  where: string,
  logger: Logger = defaultLogger(),
): void {
  for (const dc of dcIdx) {
    for (let g = 0; g < gts.length; g++) {
      if (isDc[g] || boxIntersectionArea(gts[g], gts[dc]) <= 0) continue;
      const rest = regionDifference(gts[dc].region, gts[g].region);
      if (rest) gts[dc].region = rest;
      else logger.warn(`${where}: could not subtract GT box ${g + 1} from don't-care box ${dc + 1}; the don't-care box is kept whole`);
    }
  }
}

export function buildMatches(
  gts: PreparedBox[],
  dets: PreparedBox[],
  centers: Point[][],
  gtDc: readonly boolean[],
  apConstraint: number,
): MatchState {
  const nGt = gts.length, nDet = dets.length;
  const ap = new Float32Array(nGt * nDet);
  const apOk = new Uint8Array(nGt * nDet);
  const apThresh = Math.fround(apConstraint); // the reference compares float32 against float32
  const pcc: Map<number, Uint8Array>[] = [];
  const pccSum = new Int32Array(nGt * nDet);
  // Candidate pairs: centres lie within the GT's vertex bounds, so pairs with disjoint bounds
  // have area precision 0 and no centre hits, and no later loop needs to visit them.
  const candOfGt = overlappingPairs(
    gts.map((b) => b.bounds),
    dets.map((b) => b.bounds),
  );
  const candOfDet: number[][] = dets.map(() => []);
  for (let g = 0; g < nGt; g++) {
    const gt = gts[g];
    const cs = centers[g];
    const hits = new Map<number, Uint8Array>();
    for (const d of candOfGt[g]) {
      const det = dets[d];
      candOfDet[d].push(g);
      if (det.area > 0) {
        const v = Math.fround(boxIntersectionArea(gt, det) / det.area);
        ap[g * nDet + d] = v;
        if (v >= apThresh) apOk[g * nDet + d] = 1;
      }
      let h: Uint8Array | undefined;
      for (let k = 0; k < cs.length; k++) {
        if (isInside(det, cs[k][0], cs[k][1])) {
          h ??= new Uint8Array(cs.length);
          h[k] = 1;
          pccSum[g * nDet + d]++;
        }
      }
      if (h) hits.set(d, h);
    }
    pcc.push(hits);
  }

  // A detection is don't care when it overlaps one don't-care GT enough, or several together.
  const detValid = new Array<boolean>(nDet).fill(true);
  const dcList = gtDc.flatMap((dc, g) => (dc ? [g] : []));
  if (dcList.length > 0) {
    for (let d = 0; d < nDet; d++) {
      let apSum = 0;
      for (const g of dcList) {
        if (apOk[g * nDet + d]) {
          detValid[d] = false;
          break;
        }
        if (pccSum[g * nDet + d] > 0) apSum += ap[g * nDet + d];
      }
      if (apSum >= apConstraint) detValid[d] = false;
    }
  }
  const gtValid = gtDc.map((dc) => !dc);

  const matches = findMatches(nDet, candOfGt, candOfDet, ap, apOk, pccSum, gtValid, detValid, apConstraint);
  const matched = new Uint8Array(nGt * nDet);
  for (const m of matches) for (const g of m.gt) for (const d of m.det) matched[g * nDet + d] = 1;

  // Forget centre hits of pairs that did not match; list the matched pairs both ways.
  const detsOfGt: number[][] = [];
  const gtsOfDet: number[][] = dets.map(() => []);
  for (let g = 0; g < nGt; g++) {
    const mine: number[] = [];
    for (const d of candOfGt[g]) {
      if (matched[g * nDet + d]) {
        mine.push(d);
        gtsOfDet[d].push(g);
        continue;
      }
      if (pccSum[g * nDet + d] === 0) continue;
      pccSum[g * nDet + d] = 0;
      pcc[g].delete(d);
    }
    detsOfGt.push(mine);
  }
  return { nGt, nDet, ap, apOk, pcc, pccSum, gtValid, detValid, matched, detsOfGt, gtsOfDet, matches };
}

function findMatches(
  nDet: number,
  candOfGt: number[][],
  candOfDet: number[][],
  ap: Float32Array,
  apOk: Uint8Array,
  pccSum: Int32Array,
  gtValid: boolean[],
  detValid: boolean[],
  apConstraint: number,
): Match[] {
  const nGt = candOfGt.length;
  const qualifies = (g: number, d: number) => apOk[g * nDet + d] === 1 && pccSum[g * nDet + d] > 0;
  // One-to-one needs exactly one qualifying partner on each side, counted over all boxes
  // (don't-care ones included), as the reference counts.
  const perGt = new Int32Array(nGt);
  const perDet = new Int32Array(nDet);
  for (let g = 0; g < nGt; g++) {
    for (const d of candOfGt[g]) {
      if (qualifies(g, d)) {
        perGt[g]++;
        perDet[d]++;
      }
    }
  }
  const matches: Match[] = [];
  for (let g = 0; g < nGt; g++) {
    if (!gtValid[g] || perGt[g] !== 1) continue;
    for (const d of candOfGt[g]) {
      if (detValid[d] && perDet[d] === 1 && qualifies(g, d)) matches.push({ gt: [g], det: [d], relation: 'one-to-one' });
    }
  }
  for (let g = 0; g < nGt; g++) {
    if (!gtValid[g]) continue;
    const ds: number[] = [];
    for (const d of candOfGt[g]) if (detValid[d] && qualifies(g, d)) ds.push(d);
    if (ds.length >= 2) matches.push({ gt: [g], det: ds, relation: 'one-to-many' });
  }
  for (let d = 0; d < nDet; d++) {
    if (!detValid[d]) continue;
    const gs: number[] = [];
    let sum = 0;
    for (const g of candOfDet[d]) {
      if (gtValid[g] && pccSum[g * nDet + d] > 0) {
        sum += ap[g * nDet + d];
        gs.push(g);
      }
    }
    if (sum >= apConstraint && gs.length >= 2) matches.push({ gt: gs, det: [d], relation: 'many-to-one' });
  }
  return matches;
}
