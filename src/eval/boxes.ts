/** Conversions from other stages' results to evaluation input. */
import type { DetBox } from '../core';
import type { EvalBox, EvalSample } from './types';

/**
 * A detector's boxes as detection-only predictions: no transcription, so only detection figures
 * mean anything. Four-point boxes are scored as QUAD (vertices truncated to integers for the
 * area test, as CLEval does), others as POLY. The input is not modified.
 */
export function fromDetBoxes(boxes: readonly DetBox[]): EvalBox[] {
  return boxes.map((b) => ({ points: b.points.map((p) => [p[0], p[1]]) }));
}

/** One image's detector output as a prediction sample, named like its GT sample. */
export function detSample(name: string, boxes: readonly DetBox[]): EvalSample {
  return { name, boxes: fromDetBoxes(boxes) };
}
