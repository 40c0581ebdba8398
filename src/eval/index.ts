/**
 * Evaluation stage: CLEval (character level, detection and end-to-end) and the ICDAR 2015 IoU
 * protocol over samples read from CLEval's submission layout or built from detector output.
 *
 *   readSubmission(gt) ─┐
 *                       ├─► evaluateCleval / evaluateIou ─► overall + per image
 *   readSubmission(res) ┘   (or detSample(name, detBoxes) for in-memory detections)
 */
export { BOX_TYPES, DONT_CARE, type BoxType, type EvalBox, type EvalSample, type Prh } from './types';
export {
  evaluateCleval,
  evaluateClevalSample,
  resolveClevalOptions,
  DEFAULT_CLEVAL_OPTIONS,
  lcs,
  type ClevalOptions,
  type ClevalResult,
  type ClevalSampleResult,
  type ClevalScaleResult,
  type ClevalCounts,
  type CoreStats,
  type Match,
  type MatchRelation,
} from './cleval';
export { evaluateIou, DEFAULT_IOU_OPTIONS, type IouOptions, type IouResult, type IouSampleResult } from './iou';
export {
  readSubmission,
  parseSubmissionText,
  sampleName,
  DEFAULT_READ_SUBMISSION_OPTIONS,
  type ReadSubmissionOptions,
} from './submission';
export { fromDetBoxes, detSample } from './boxes';
export { perImageDelta, type ImageDelta } from './compare';
