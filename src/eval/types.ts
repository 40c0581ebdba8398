/**
 * The public contract of the evaluation stage: what goes in (samples of boxes) and what comes out
 * (per-image and overall scores with the counts behind them). Implementations live in
 * `cleval/` and `iou.ts`.
 */
import type { ImageSize, Polygon } from '../core';

/** CLEval's box types. LTRB is read as the equivalent QUAD; POLY is any vertex count >= 3. */
export const BOX_TYPES = ['QUAD', 'LTRB', 'POLY'] as const;
export type BoxType = (typeof BOX_TYPES)[number];

/** The transcription that marks a ground-truth region as "don't care". */
export const DONT_CARE = '###';

/**
 * One region, ground truth or prediction.
 *
 * Detection-only predictions (a detector's `DetBox[]`) have no transcription: use
 * {@link fromDetBoxes}, or `{ points }` directly. A 4-point box is scored as a QUAD, any other
 * vertex count as a POLY.
 */
export interface EvalBox {
  /** Vertices in image pixels, clockwise from the top-left corner of the text. */
  points: Polygon;
  /** The text; `'###'` marks a don't-care region. Default `''`. */
  transcription?: string;
  /** Overrides the `'###'` rule when set. */
  dontCare?: boolean;
  /** Optional label (e.g. `'horizontal'`, `'vertical'`) used by the orientation breakdown. */
  orientation?: string;
}

/** The boxes of one image. Ground truth and predictions are paired by `name`. */
export interface EvalSample {
  name: string;
  boxes: EvalBox[];
  /** Needed only for CLEval's scale-wise breakdown (box scale = char height / longer side). */
  imageSize?: ImageSize;
}

/** Precision, recall and harmonic mean, the figures every metric reports. */
export interface Prh {
  precision: number;
  recall: number;
  hmean: number;
}
