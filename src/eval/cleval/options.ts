/** CLEval options, with the reference implementation's defaults and names (in each JSDoc). */
import { OptionError, numberIn, oneOf, withDefaults } from '../../core';
import { BOX_TYPES, type BoxType } from '../types';

export interface ClevalOptions {
  /** `BOX_TYPE`. How 4-point boxes are scored: QUAD (and LTRB, already converted) or POLY. Default `'QUAD'`. */
  boxType: BoxType;
  /** `E2E`. Also score transcriptions (end-to-end). Default `false`. */
  e2e: boolean;
  /** `CASE_SENSITIVE`. When false, transcriptions are upper-cased before scoring. Default `true`. */
  caseSensitive: boolean;
  /**
   * `RECOG_SCORE`. Accepted for compatibility with CLEval's option set; at the reference commit
   * (513623c) the option is parsed but no figure depends on it, so it changes nothing here either.
   * Default `true`.
   */
  recogScore: boolean;
  /** `AREA_PRECISION_CONSTRAINT`. Minimum share of a detection's area inside a GT box. Default `0.3`. */
  areaPrecisionConstraint: number;
  /** `RECALL_GRANULARITY_PENALTY_WEIGHT`. Penalty per extra detection on one GT (split). Default `1.0`. */
  recallGranularityPenaltyWeight: number;
  /** `PRECISION_GRANULARITY_PENALTY_WEIGHT`. Penalty per extra GT in one detection (merge). Default `1.0`. */
  precisionGranularityPenaltyWeight: number;
  /**
   * `VERTICAL_ASPECT_RATIO_THRESH`. A QUAD whose width/height is below this is read top-to-bottom
   * (its pseudo characters run along the left edge's direction). Default `0.5`.
   */
  verticalAspectRatioThresh: number;
  /**
   * `SCALE_WISE`. Also score each scale bin separately (GT outside the bin becomes don't care).
   * Needs `imageSize` on every ground-truth sample. Default `false`.
   */
  scaleWise: boolean;
  /** `SCALE_BINS`. Bin edges of box scale (char height / image longer side). Default `[0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.1, 0.5, 1]`. */
  scaleBins: number[];
  /** `ORIENTATION`. Report the share of matched GT whose `orientation` label the detection repeats. Default `false`. */
  orientation: boolean;
}

export const DEFAULT_CLEVAL_OPTIONS: Readonly<ClevalOptions> = Object.freeze({
  boxType: 'QUAD',
  e2e: false,
  caseSensitive: true,
  recogScore: true,
  areaPrecisionConstraint: 0.3,
  recallGranularityPenaltyWeight: 1.0,
  precisionGranularityPenaltyWeight: 1.0,
  verticalAspectRatioThresh: 0.5,
  scaleWise: false,
  scaleBins: [0.0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.1, 0.5, 1.0],
  orientation: false,
});

function bool(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') {
    throw new OptionError(`Expected true or false for ${name} but received ${JSON.stringify(v)}`, { subject: name });
  }
  return v;
}

/** Merges and validates options; misspelled keys and out-of-range values throw OptionError. */
export function resolveClevalOptions(options?: Partial<ClevalOptions>): ClevalOptions {
  const o = withDefaults('ClevalOptions', { ...DEFAULT_CLEVAL_OPTIONS, scaleBins: [...DEFAULT_CLEVAL_OPTIONS.scaleBins] }, options);
  oneOf('ClevalOptions.boxType', o.boxType, BOX_TYPES);
  for (const k of ['e2e', 'caseSensitive', 'recogScore', 'scaleWise', 'orientation'] as const) bool(`ClevalOptions.${k}`, o[k]);
  numberIn('ClevalOptions.areaPrecisionConstraint', o.areaPrecisionConstraint, 0, 1);
  numberIn('ClevalOptions.recallGranularityPenaltyWeight', o.recallGranularityPenaltyWeight, 0);
  numberIn('ClevalOptions.precisionGranularityPenaltyWeight', o.precisionGranularityPenaltyWeight, 0);
  numberIn('ClevalOptions.verticalAspectRatioThresh', o.verticalAspectRatioThresh, 0);
  const bins = o.scaleBins;
  if (!Array.isArray(bins) || bins.length < 2 || bins.some((b, i) => typeof b !== 'number' || (i > 0 && b <= bins[i - 1]))) {
    throw new OptionError(
      `Expected at least two increasing numbers for ClevalOptions.scaleBins but received ${JSON.stringify(bins)}`,
      { subject: 'ClevalOptions.scaleBins', fix: 'pass bin edges such as [0, 0.01, 0.1, 1]' },
    );
  }
  return o;
}
