/**
 * `detbench eval --gt PATH --pred PATH [--box-type QUAD|LTRB|POLY] [--e2e]
 *   [--case-sensitive true|false] [--metric cleval|iou] [--json]`
 *
 * PATH is a folder or zip in CLEval's layout (gt_<name>.txt / res_<name>.txt). JSON goes to stdout:
 * {"det":{precision,recall,hmean,…}, "e2e":{…} (with --e2e), "per_image":{name:{det,e2e}}}.
 */
import type { Command } from 'commander';
import { OptionError, oneOf } from '../core';
import type { BoxType, CoreStats, Prh } from '../eval';

/** Parsed flags of `detbench eval` (commander's camelCase names). */
export interface EvalFlags {
  gt: string;
  pred: string;
  boxType: string;
  e2e?: boolean;
  caseSensitive: string;
  metric: string;
  json?: boolean;
}

const METRICS = ['cleval', 'iou'] as const;

function parseBool(name: string, v: string): boolean {
  const s = v.toLowerCase();
  if (['true', 't', 'yes', 'y', '1'].includes(s)) return true;
  if (['false', 'f', 'no', 'n', '0'].includes(s)) return false;
  throw new OptionError(`Expected true or false for ${name} but received ${JSON.stringify(v)}`, { subject: name });
}

/** CoreStats (camelCase) as snake_case JSON, figures first. */
function coreJson(s: CoreStats): Record<string, number> {
  return {
    precision: s.precision,
    recall: s.recall,
    hmean: s.hmean,
    num_char_gt: s.numCharGt,
    num_char_det: s.numCharDet,
    num_char_tp_recall: s.numCharTpRecall,
    num_char_tp_precision: s.numCharTpPrecision,
    gran_score_recall: s.granScoreRecall,
    gran_score_precision: s.granScorePrecision,
    num_char_fp: s.numCharFp,
  };
}

function fmt(x: number): string {
  return x.toFixed(4);
}

function table(rows: [string, Prh][], extra: string[]): string {
  const head = ['', 'precision', 'recall', 'hmean'];
  const body = rows.map(([n, r]) => [n, fmt(r.precision), fmt(r.recall), fmt(r.hmean)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), ...body.map(line), ...extra].join('\n') + '\n';
}

/** Runs `detbench eval`; output goes through `write` (stdout by default). */
export async function runEvalCommand(flags: EvalFlags, write: (s: string) => void = (s) => void process.stdout.write(s)): Promise<void> {
  const boxType = oneOf<BoxType>('--box-type', flags.boxType, ['QUAD', 'LTRB', 'POLY']);
  const metric = oneOf('--metric', flags.metric, METRICS);
  const caseSensitive = parseBool('--case-sensitive', flags.caseSensitive);
  const e2e = flags.e2e === true;
  if (metric === 'iou' && e2e) {
    throw new OptionError('--e2e applies to --metric cleval only', { subject: '--e2e', fix: 'drop --e2e or use --metric cleval' });
  }
  // Loaded here so other subcommands do not pay for it.
  const ev = await import('../eval');
  const gt = ev.readSubmission(flags.gt, boxType, { transcription: 'required' });
  const pred = ev.readSubmission(flags.pred, boxType, { transcription: e2e ? 'required' : 'optional' });
  const out = { write };

  if (metric === 'iou') {
    const r = ev.evaluateIou(gt, pred);
    if (flags.json) {
      const perImage: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r.perImage)) perImage[k] = { det: v.det };
      out.write(JSON.stringify({ metric, det: r.det, per_image: perImage }) + '\n');
    } else {
      out.write(table([['det (IoU 0.5)', r.det]], [`images: ${gt.length}  matched: ${r.det.numMatched}  GT: ${r.det.numGtCare}  detections: ${r.det.numDetCare}`]));
    }
    return;
  }

  const r = ev.evaluateCleval(gt, pred, { boxType: boxType === 'POLY' ? 'POLY' : 'QUAD', e2e, caseSensitive });
  if (flags.json) {
    const perImage: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r.perImage)) {
      perImage[k] = { det: coreJson(v.det), ...(v.e2e ? { e2e: coreJson(v.e2e) } : {}) };
    }
    out.write(
      JSON.stringify({
        metric,
        det: coreJson(r.det),
        ...(r.e2e ? { e2e: coreJson(r.e2e) } : {}),
        num_splitted: r.numSplitted,
        num_merged: r.numMerged,
        num_char_overlapped: r.numCharOverlapped,
        per_image: perImage,
      }) + '\n',
    );
  } else {
    const rows: [string, Prh][] = [['det', r.det]];
    if (r.e2e) rows.push([caseSensitive ? 'e2e' : 'e2e (case-insensitive)', r.e2e]);
    out.write(
      table(rows, [
        `images: ${gt.length}  GT chars: ${r.det.numCharGt}  split: ${r.numSplitted}  merged: ${r.numMerged}  overlapped chars: ${r.numCharOverlapped}`,
      ]),
    );
  }
}

export function register(program: Command): void {
  program
    .command('eval')
    .description("Score predictions against ground truth with CLEval (or the ICDAR 2015 IoU protocol)")
    .requiredOption('--gt <path>', 'ground truth: folder or zip of gt_<name>.txt')
    .requiredOption('--pred <path>', 'predictions: folder or zip of res_<name>.txt')
    .option('--box-type <type>', 'QUAD, LTRB or POLY', 'QUAD')
    .option('--e2e', 'also score transcriptions (end-to-end)')
    .option('--case-sensitive <bool>', 'end-to-end case sensitivity (true|false)', 'true')
    .option('--metric <name>', 'cleval or iou', 'cleval')
    .option('--json', 'print JSON to stdout instead of a table')
    .action((flags: EvalFlags) => runEvalCommand(flags));
}
