/**
 * Decoding ground-truth files the way they come in the wild: UTF-8 with or without a BOM, CRLF
 * or LF, trailing blank lines. Bytes that are not UTF-8 are an error naming the file, never
 * replacement characters that would silently change transcriptions.
 */
import { InputError } from '../core';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** One non-blank line with its 1-based line number. */
export interface GtLine {
  line: number;
  text: string;
}

/** Decodes `bytes` as UTF-8 and splits them into non-blank lines (numbers kept for error messages). */
export function gtLines(bytes: Uint8Array, file: string): GtLine[] {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (err) {
    throw new InputError(`Ground-truth file ${file} is not valid UTF-8`, {
      subject: file,
      fix: 're-save it as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)',
      cause: err,
    });
  }
  const out: GtLine[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    if (raw.trim() !== '') out.push({ line: i + 1, text: raw });
  });
  return out;
}

/** An error for one malformed line, with file and line number. */
export function lineError(file: string, l: GtLine, what: string, expected: string): InputError {
  const shown = l.text.length > 80 ? `${l.text.slice(0, 77)}...` : l.text;
  return new InputError(`${file}:${l.line}: ${what} in ${JSON.stringify(shown)}; expected ${expected}`, {
    subject: `${file}:${l.line}`,
    fix: 'correct or delete that line, or pass the right format option if the file is another format',
  });
}

/** Parses a coordinate field; undefined when it is not a finite number. */
export function coord(field: string): number | undefined {
  const t = field.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** True for the transcriptions the formats use to mark don't-care regions. */
export function isDontCare(text: string): boolean {
  const t = text.trim();
  return t === '###' || t === '#';
}
