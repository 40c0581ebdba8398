/** Shared test data locations and the CI rule for missing shared files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import type { EvalBox } from '../../src/eval';

export const SHARED = path.resolve(__dirname, '../../../shared');
export const CLEVAL_GT = path.join(SHARED, 'cleval/gt_eval_doc_v1_kr.zip');
export const CLEVAL_RES = path.join(SHARED, 'cleval/res_eval_doc_v1_kr.zip');

/** True when every file exists; otherwise fails under CI=true and skips (with the reason) elsewhere. */
export function haveShared(t: TestContext, ...files: string[]): boolean {
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length === 0) return true;
  const why = `shared test data missing: ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(why);
  t.skip(why);
  return false;
}

/** Axis-aligned box as a clockwise quad. */
export function rect(l: number, t: number, r: number, b: number, transcription = ''): EvalBox {
  return { points: [[l, t], [r, t], [r, b], [l, b]], transcription };
}
