/**
 * ICDAR 2015 ground truth: `x1,y1,x2,y2,x3,y3,x4,y4,transcription` per line, `###` for
 * don't-care. The transcription is everything after the eighth comma, so it may hold commas.
 */
import type { Point } from '../core';
import type { GtBox } from './types';
import { coord, gtLines, isDontCare, lineError } from './text';

export function parseIcdar15(bytes: Uint8Array, file: string): GtBox[] {
  return gtLines(bytes, file).map((l) => {
    const fields = l.text.split(',');
    if (fields.length < 9) throw lineError(file, l, `${fields.length} comma-separated fields`, '8 coordinates and a transcription');
    const nums = fields.slice(0, 8).map(coord);
    const bad = nums.findIndex((n) => n === undefined);
    if (bad >= 0) throw lineError(file, l, `coordinate ${bad + 1} (${JSON.stringify(fields[bad].trim())}) is not a number`, 'x1,y1,...,x4,y4,text');
    const n = nums as number[];
    const points: Point[] = [[n[0], n[1]], [n[2], n[3]], [n[4], n[5]], [n[6], n[7]]];
    const text = fields.slice(8).join(',');
    return { points, text, dontCare: isDontCare(text) };
  });
}
