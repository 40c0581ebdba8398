/**
 * Total-Text ground truth, in either of its published layouts:
 * - polygon lines `x1,y1,x2,y2,...,xn,yn,transcription` (n >= 3 points, as converted for
 *   ICDAR-style tools), or
 * - the original MATLAB-style lines `x: [[115 503 494 115]], y: [[322 346 426 404]], ornt: [u'c'],
 *   transcriptions: [u'nauGHTY']`.
 * `#` or `###` marks don't-care.
 */
import type { Point } from '../core';
import type { GtBox } from './types';
import { coord, gtLines, isDontCare, lineError, type GtLine } from './text';

const LEGACY = /^\s*x:\s*\[\[([^\]]*)\]\],\s*y:\s*\[\[([^\]]*)\]\],\s*ornt:\s*\[[^\]]*\],\s*transcriptions:\s*\[u?(['"])(.*)\3\]\s*$/;

function legacy(file: string, l: GtLine): GtBox {
  const m = LEGACY.exec(l.text);
  if (!m) throw lineError(file, l, 'an unreadable Total-Text line', "x: [[...]], y: [[...]], ornt: [...], transcriptions: [u'...']");
  const xs = m[1].trim().split(/[\s,]+/).map(coord);
  const ys = m[2].trim().split(/[\s,]+/).map(coord);
  if (xs.some((v) => v === undefined) || ys.some((v) => v === undefined)) throw lineError(file, l, 'a coordinate that is not a number', 'numbers in x: [[...]] and y: [[...]]');
  if (xs.length !== ys.length || xs.length < 3) throw lineError(file, l, `${xs.length} x and ${ys.length} y values`, 'as many x as y values, at least 3');
  const points = xs.map((x, i) => [x, ys[i]] as Point);
  return { points, text: m[4], dontCare: isDontCare(m[4]) };
}

function polygon(file: string, l: GtLine): GtBox {
  const fields = l.text.split(',');
  let n = 0;
  while (n < fields.length && coord(fields[n]) !== undefined) n++;
  // An odd count means the transcription itself starts with a number: give the last one back.
  if (n % 2 === 1) n--;
  if (n < 6) throw lineError(file, l, `${n} leading coordinates`, 'at least 3 points: x1,y1,x2,y2,x3,y3,...,text');
  if (n === fields.length) throw lineError(file, l, 'no transcription field', 'x1,y1,...,xn,yn,text');
  const nums = fields.slice(0, n).map((f) => coord(f) as number);
  const points: Point[] = [];
  for (let i = 0; i < n; i += 2) points.push([nums[i], nums[i + 1]]);
  const text = fields.slice(n).join(',');
  return { points, text, dontCare: isDontCare(text) };
}

export function parseTotalText(bytes: Uint8Array, file: string): GtBox[] {
  return gtLines(bytes, file).map((l) => (/^\s*x:\s*\[\[/.test(l.text) ? legacy(file, l) : polygon(file, l)));
}
