/**
 * ICDAR 2013 ground truth: `left top right bottom "transcription"` (training set, spaces) or
 * `left, top, right, bottom, "transcription"` (test set, commas). Boxes become 4-point quads,
 * clockwise from top-left. A quoted transcription may hold commas, spaces and quotes.
 */
import type { GtBox } from './types';
import { coord, gtLines, isDontCare, lineError } from './text';

const LINE = /^\s*([^\s,]+)\s*[,\s]\s*([^\s,]+)\s*[,\s]\s*([^\s,]+)\s*[,\s]\s*([^\s,]+)\s*,?\s*(.*)$/;

export function parseIcdar13(bytes: Uint8Array, file: string): GtBox[] {
  return gtLines(bytes, file).map((l) => {
    const m = LINE.exec(l.text);
    if (!m) throw lineError(file, l, 'fewer than 4 coordinates', 'left top right bottom "text"');
    const nums = m.slice(1, 5).map(coord);
    const bad = nums.findIndex((n) => n === undefined);
    if (bad >= 0) throw lineError(file, l, `coordinate ${bad + 1} (${JSON.stringify(m[bad + 1])}) is not a number`, 'left top right bottom "text"');
    const [x0, y0, x1, y1] = nums as number[];
    if (x1 < x0 || y1 < y0) throw lineError(file, l, 'right/bottom smaller than left/top', 'left <= right and top <= bottom');
    let text = m[5].trim();
    if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
    return {
      points: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
      text,
      dontCare: isDontCare(text),
    };
  });
}
