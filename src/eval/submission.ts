/**
 * Reader for CLEval's submission layout: a folder or a zip of `gt_<name>.txt` / `res_<name>.txt`,
 * one box per line:
 *
 *   QUAD  x1,y1,x2,y2,x3,y3,x4,y4[,transcription]
 *   LTRB  left,top,right,bottom[,transcription]        (read as the equivalent QUAD)
 *   POLY  x1,y1,...,xn,yn[,transcription]
 *
 * Tolerant of a UTF-8 BOM, CRLF, blank lines and commas inside transcriptions (everything after
 * the coordinates is the transcription; a `"quoted"` one is unquoted as ICDAR tools do). Numbers
 * may be integers or decimals. A line that does not parse is an InputError naming file and line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { InputError, oneOf, withDefaults, type Point } from '../core';
import { BOX_TYPES, type BoxType, type EvalBox, type EvalSample } from './types';

export interface ReadSubmissionOptions {
  /**
   * Whether each line must carry a transcription: `'required'`, `'optional'`, or `'auto'`
   * (required in `gt_` files, optional elsewhere, as CLEval reads GT and detection-only results).
   * It matters for POLY, where a numeric transcription is otherwise read as coordinates.
   * Default `'auto'`.
   */
  transcription: 'auto' | 'required' | 'optional';
}

export const DEFAULT_READ_SUBMISSION_OPTIONS: Readonly<ReadSubmissionOptions> = Object.freeze({ transcription: 'auto' });

const NUM = '[-+]?\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?';
const COORDS = (n: number) => new RegExp(`^\\s*${Array(n).fill(`(${NUM})`).join('\\s*,\\s*')}\\s*(?:,(.*))?$`);
const QUAD_RE = COORDS(8);
const LTRB_RE = COORDS(4);
const NUM_RE = new RegExp(`^\\s*${NUM}\\s*$`);
const FORMAT: Record<BoxType, string> = {
  QUAD: 'x1,y1,x2,y2,x3,y3,x4,y4[,transcription]',
  LTRB: 'left,top,right,bottom[,transcription]',
  POLY: 'x1,y1,...,xn,yn[,transcription] with n >= 3',
};

/** `"text"` → text, with `\\` and `\"` unescaped (as the reference does). */
function unquote(t: string): string {
  const m = /^\s*"(.*)"\s*$/.exec(t);
  return m ? m[1].replace(/\\\\/g, '\\').replace(/\\"/g, '"') : t;
}

function lineError(file: string, lineNo: number, boxType: BoxType, why: string, line: string): InputError {
  const shown = line.length > 80 ? `${line.slice(0, 77)}...` : line;
  return new InputError(`${file}:${lineNo}: ${why} in ${JSON.stringify(shown)}`, {
    subject: `${file}:${lineNo}`,
    fix: `write the line as ${FORMAT[boxType]} (box type ${boxType}; pass --box-type if the file uses another layout)`,
  });
}

/** Parses one file's text. `file` is only used in error messages. */
export function parseSubmissionText(
  text: string,
  boxType: BoxType,
  file: string,
  transcription: 'required' | 'optional' = 'optional',
): EvalBox[] {
  oneOf('boxType', boxType, BOX_TYPES);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const boxes: EvalBox[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r/g, '');
    if (line.trim() === '') continue;
    const box = parseLine(line, boxType, transcription === 'required', (why) => lineError(file, i + 1, boxType, why, line));
    boxes.push(box);
  }
  return boxes;
}

function parseLine(line: string, boxType: BoxType, needText: boolean, fail: (why: string) => InputError): EvalBox {
  if (boxType === 'POLY') return parsePolyLine(line, needText, fail);
  const m = (boxType === 'QUAD' ? QUAD_RE : LTRB_RE).exec(line);
  if (!m) throw fail(`expected ${boxType === 'QUAD' ? 8 : 4} comma-separated numbers first`);
  const n = boxType === 'QUAD' ? 8 : 4;
  const v = m.slice(1, n + 1).map(Number);
  const rest = m[n + 1];
  if (needText && rest === undefined) throw fail('missing transcription after the coordinates');
  const text = rest === undefined ? '' : unquote(rest);
  let points: Point[];
  if (boxType === 'LTRB') {
    const [l, t, r, b] = v;
    if (l > r) throw fail(`left ${l} is greater than right ${r}`);
    if (t > b) throw fail(`top ${t} is greater than bottom ${b}`);
    points = [[l, t], [r, t], [r, b], [l, b]];
  } else {
    points = [[v[0], v[1]], [v[2], v[3]], [v[4], v[5]], [v[6], v[7]]];
  }
  return { points, transcription: text };
}

function parsePolyLine(line: string, needText: boolean, fail: (why: string) => InputError): EvalBox {
  const fields = line.split(',');
  let k = 0;
  while (k < fields.length && NUM_RE.test(fields[k])) k++;
  // The transcription takes at least the last field when required; coordinates come in pairs.
  let nCoord = needText ? Math.min(k, fields.length - 1) : k;
  nCoord -= nCoord % 2;
  if (nCoord < 6) throw fail(`expected at least 3 points (6 numbers) first, found ${k} leading numbers`);
  if (needText && nCoord === fields.length) throw fail('missing transcription after the coordinates');
  const points: Point[] = [];
  for (let i = 0; i < nCoord; i += 2) points.push([Number(fields[i]), Number(fields[i + 1])]);
  return { points, transcription: fields.slice(nCoord).join(',') };
}

/** `gt_img_1.txt` → `img_1`; `res_img_1.txt` → `img_1`. */
export function sampleName(file: string): string {
  return path.basename(file).replace(/\.txt$/i, '').replace(/^(gt|res)_/, '');
}

/** Reads every `.txt` entry of a folder or zip, in name order. */
function readEntries(p: string): { file: string; base: string; text: string }[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch (err) {
    throw new InputError(`Cannot read ${p}: no such file or folder`, {
      subject: p,
      fix: 'pass a folder or a .zip of gt_<name>.txt / res_<name>.txt files',
      cause: err,
    });
  }
  const decoder = new TextDecoder('utf-8'); // invalid bytes become U+FFFD, as the reference decodes
  const out: { file: string; base: string; text: string }[] = [];
  if (st.isDirectory()) {
    for (const f of fs.readdirSync(p).sort()) {
      if (!/\.txt$/i.test(f)) continue;
      out.push({ file: path.join(p, f), base: f, text: decoder.decode(fs.readFileSync(path.join(p, f))) });
    }
  } else {
    let zip: AdmZip;
    try {
      zip = new AdmZip(p);
    } catch (err) {
      throw new InputError(`${p} is neither a folder nor a readable zip archive`, {
        subject: p,
        fix: 'pass a folder or a .zip of gt_<name>.txt / res_<name>.txt files',
        cause: err,
      });
    }
    const entries = zip
      .getEntries()
      .filter((e) => !e.isDirectory && /\.txt$/i.test(e.entryName) && !e.entryName.startsWith('__MACOSX/'))
      .sort((a, b) => (a.entryName < b.entryName ? -1 : a.entryName > b.entryName ? 1 : 0));
    for (const e of entries) {
      out.push({ file: `${p}:${e.entryName}`, base: path.posix.basename(e.entryName), text: decoder.decode(e.getData()) });
    }
  }
  return out;
}

/**
 * Reads a submission (folder or zip) into samples named after the files (`gt_<name>.txt` and
 * `res_<name>.txt` both give `<name>`). Two files with the same name are an InputError.
 */
export function readSubmission(p: string, boxType: BoxType = 'QUAD', options?: Partial<ReadSubmissionOptions>): EvalSample[] {
  oneOf('boxType', boxType, BOX_TYPES);
  const o = withDefaults('ReadSubmissionOptions', { ...DEFAULT_READ_SUBMISSION_OPTIONS }, options);
  oneOf('ReadSubmissionOptions.transcription', o.transcription, ['auto', 'required', 'optional'] as const);
  const seen = new Map<string, string>();
  const samples: EvalSample[] = [];
  for (const { file, base, text } of readEntries(p)) {
    const name = sampleName(base);
    const prev = seen.get(name);
    if (prev) throw new InputError(`${file} and ${prev} both give sample ${JSON.stringify(name)}`, { subject: file });
    seen.set(name, file);
    const need = o.transcription === 'auto' ? (/^gt_/.test(base) ? 'required' : 'optional') : o.transcription;
    samples.push({ name, boxes: parseSubmissionText(text, boxType, file, need) });
  }
  return samples;
}
