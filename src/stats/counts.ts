/** The metrics' per-image results as the counts the paired bootstrap resamples. */
import type { CoreStats } from '../eval';
import type { PrCounts } from './bootstrap';

/** CLEval detection (or end-to-end) stats → counts; recall and precision are the same formula CLEval uses. */
export function clevalCounts(s: Pick<CoreStats, 'numCharTpRecall' | 'granScoreRecall' | 'numCharGt' | 'numCharTpPrecision' | 'granScorePrecision' | 'numCharDet'>): PrCounts {
  return {
    recallNum: s.numCharTpRecall - s.granScoreRecall,
    recallDen: s.numCharGt,
    precisionNum: s.numCharTpPrecision - s.granScorePrecision,
    precisionDen: s.numCharDet,
  };
}

/** ICDAR 2015 IoU protocol counts → counts. */
export function iouCounts(s: { numGtCare: number; numDetCare: number; numMatched: number }): PrCounts {
  return { recallNum: s.numMatched, recallDen: s.numGtCare, precisionNum: s.numMatched, precisionDen: s.numDetCare };
}
