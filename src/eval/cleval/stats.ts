/** CLEval's counts and the precision/recall/hmean computed from them (per image or summed). */
import type { Prh } from '../types';

/** The counts behind one precision/recall/hmean, named as CLEval's `CoreStats`. */
export interface CoreStats extends Prh {
  /** TotalNum for recall: characters of the GT boxes that count. */
  numCharGt: number;
  /** TotalNum for precision: characters found in detections plus estimated false-positive characters. */
  numCharDet: number;
  /** Recall granularity penalty (splits). */
  granScoreRecall: number;
  numCharTpRecall: number;
  /** Precision granularity penalty (merges). */
  granScorePrecision: number;
  numCharTpPrecision: number;
  /** Estimated characters in unmatched detections (detection) or unmatched predicted characters (end-to-end). */
  numCharFp: number;
}

export function harmonicMean(a: number, b: number): number {
  return a + b === 0 ? 0 : (2 * a * b) / (a + b);
}

/** Fills recall, precision, hmean from the counts, with CLEval's formula (penalties floored at 0). */
export function withRph(s: Omit<CoreStats, keyof Prh>): CoreStats {
  const recall = s.numCharGt === 0 ? 0 : Math.max(0, s.numCharTpRecall - s.granScoreRecall) / s.numCharGt;
  const precision = s.numCharDet === 0 ? 0 : Math.max(0, s.numCharTpPrecision - s.granScorePrecision) / s.numCharDet;
  return { ...s, precision, recall, hmean: harmonicMean(recall, precision) };
}

export function emptyCounts(): Omit<CoreStats, keyof Prh> {
  return {
    numCharGt: 0,
    numCharDet: 0,
    granScoreRecall: 0,
    numCharTpRecall: 0,
    granScorePrecision: 0,
    numCharTpPrecision: 0,
    numCharFp: 0,
  };
}

/** Sums the counts of many images and recomputes the figures (CLEval's global result). */
export function sumStats(all: readonly CoreStats[]): CoreStats {
  const acc = emptyCounts();
  for (const s of all) {
    acc.numCharGt += s.numCharGt;
    acc.numCharDet += s.numCharDet;
    acc.granScoreRecall += s.granScoreRecall;
    acc.numCharTpRecall += s.numCharTpRecall;
    acc.granScorePrecision += s.granScorePrecision;
    acc.numCharTpPrecision += s.numCharTpPrecision;
    acc.numCharFp += s.numCharFp;
  }
  return withRph(acc);
}
