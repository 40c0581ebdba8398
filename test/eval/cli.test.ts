import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Command } from 'commander';
import { OptionError } from '../../src/core';
import { register, runEvalCommand, type EvalFlags } from '../../src/cli/eval';
import { CLEVAL_GT, CLEVAL_RES, haveShared } from './helpers';

const DEFAULTS = { boxType: 'QUAD', caseSensitive: 'true', metric: 'cleval' };

/** Runs the command's action and returns what it printed. */
async function runEval(flags: Partial<EvalFlags> & { gt: string; pred: string }): Promise<string> {
  let out = '';
  await runEvalCommand({ ...DEFAULTS, ...flags }, (s) => {
    out += s;
  });
  return out;
}

/** Parses a command line through commander (flag wiring and validation). */
async function parse(args: string[]): Promise<void> {
  const program = new Command('detbench').exitOverride().configureOutput({ writeErr: () => {} });
  register(program);
  await program.parseAsync(['node', 'detbench', 'eval', ...args]);
}

test('detbench eval --e2e --json prints det, e2e and per_image figures', async (t) => {
  if (!haveShared(t, CLEVAL_GT, CLEVAL_RES)) return;
  const out = JSON.parse(await runEval({ gt: CLEVAL_GT, pred: CLEVAL_RES, e2e: true, caseSensitive: 'false', json: true }));
  assert.equal(out.det.hmean, 0.977989360950786);
  assert.equal(out.e2e.hmean, 0.962652740064346);
  assert.equal(Object.keys(out.per_image).length, 100);
  assert.deepEqual(Object.keys(out.per_image.kr_doc_KR03088.det).slice(0, 3), ['precision', 'recall', 'hmean']);
});

test('detbench eval prints a table without --json, and --metric iou works', async (t) => {
  if (!haveShared(t, CLEVAL_GT, CLEVAL_RES)) return;
  const table = await runEval({ gt: CLEVAL_GT, pred: CLEVAL_RES });
  assert.match(table, /^\s+precision\s+recall\s+hmean\ndet\s+0\.9708\s+0\.9853\s+0\.9780\n/);
  const iou = JSON.parse(await runEval({ gt: CLEVAL_GT, pred: CLEVAL_RES, metric: 'iou', json: true }));
  assert.equal(iou.metric, 'iou');
  assert.ok(iou.det.hmean > 0.5 && iou.det.hmean <= 1);
});

test('detbench eval requires --gt and --pred', async () => {
  await assert.rejects(parse(['--gt', 'x']), /required option '--pred <path>' not specified/);
});

test('detbench eval rejects a bad --box-type, --case-sensitive value and --e2e with iou', async () => {
  await assert.rejects(parse(['--gt', 'x', '--pred', 'y', '--box-type', 'RECT']), (e: unknown) => e instanceof OptionError && /"QUAD", "LTRB", "POLY" for --box-type/.test(e.message));
  await assert.rejects(parse(['--gt', 'x', '--pred', 'y', '--case-sensitive', 'maybe']), /Expected true or false for --case-sensitive/);
  await assert.rejects(parse(['--gt', 'x', '--pred', 'y', '--metric', 'iou', '--e2e']), /--e2e applies to --metric cleval only/);
});
