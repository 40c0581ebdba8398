/**
 * CLEval speed on the official test data (100 document images, ~10,500 GT boxes): single-threaded
 * evaluation time per image after a warm-up, detection-only and end-to-end, plus the submission
 * read time. The whole-process figure for the target is `time node bin/detbench.js eval
 * --gt … --pred … --e2e` (see the report); this file measures the library alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateCleval, evaluateIou, readSubmission } from '../src/eval';

const SHARED = path.resolve(__dirname, '../../shared/cleval');
const GT = path.join(SHARED, 'gt_eval_doc_v1_kr.zip');
const RES = path.join(SHARED, 'res_eval_doc_v1_kr.zip');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run(opts: { quick: boolean }): Promise<{ name: string; rows: Record<string, unknown>[]; notes?: string[] }> {
  if (!fs.existsSync(GT) || !fs.existsSync(RES)) {
    return { name: 'eval', rows: [], notes: [`skipped: ${GT} or ${RES} is missing`] };
  }
  const t0 = performance.now();
  const gt = readSubmission(GT, 'QUAD');
  const pred = readSubmission(RES, 'QUAD');
  const readMs = performance.now() - t0;
  const images = gt.length;
  const gtBoxes = gt.reduce((n, s) => n + s.boxes.length, 0);
  const repeats = opts.quick ? 3 : 7;
  const rows: Record<string, unknown>[] = [];
  const cases: [string, () => unknown][] = [
    ['cleval det', () => evaluateCleval(gt, pred)],
    ['cleval e2e', () => evaluateCleval(gt, pred, { e2e: true })],
    ['cleval e2e case-insensitive', () => evaluateCleval(gt, pred, { e2e: true, caseSensitive: false })],
    ['iou (ICDAR 2015)', () => evaluateIou(gt, pred)],
  ];
  for (const [name, fn] of cases) {
    const c0 = performance.now();
    fn(); // first call: includes JIT warm-up, as a one-shot CLI run would
    const coldMs = performance.now() - c0;
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const s = performance.now();
      fn();
      times.push(performance.now() - s);
    }
    const warm = median(times);
    rows.push({
      case: name,
      images,
      gt_boxes: gtBoxes,
      cold_ms: +coldMs.toFixed(1),
      warm_ms: +warm.toFixed(1),
      ms_per_image: +(warm / images).toFixed(3),
      repeats,
    });
  }
  return {
    name: 'eval',
    rows,
    notes: [
      `read both zips: ${readMs.toFixed(1)} ms`,
      'single thread; official Python+numba: about 46 ms per image (e2e, after compilation), 7.0-8.3 s whole process',
    ],
  };
}

if (require.main === module) {
  run({ quick: process.argv.includes('--quick') }).then((r) => {
    console.table(r.rows);
    for (const n of r.notes ?? []) console.log(n);
  });
}
