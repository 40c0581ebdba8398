import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { listImages, parseShapes } from '../../src/cli/bench';
import { InputError, OptionError } from '../../src/core';

test('parseShapes reads NxCxHxW lists and names the fix for a bad one', () => {
  assert.deepEqual(parseShapes('1x3x736x1280,2x3x32x64'), [[1, 3, 736, 1280], [2, 3, 32, 64]]);
  assert.throws(() => parseShapes('1x3x736'), (e: unknown) => e instanceof OptionError && /NxCxHxW/.test((e as Error).message) && /--shapes 1x3x736x1280/.test((e as Error).message));
});

test('listImages takes a folder of images or a dataset folder with images/', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imgs-'));
  assert.throws(() => listImages(path.join(dir, 'nope'), 5), (e: unknown) => e instanceof InputError && /not a directory/.test((e as Error).message));
  assert.throws(() => listImages(dir, 5), (e: unknown) => e instanceof InputError && /No images/.test((e as Error).message));
  fs.mkdirSync(path.join(dir, 'images'));
  for (const n of ['b.jpg', 'a.png', 'notes.txt']) fs.writeFileSync(path.join(dir, 'images', n), '');
  assert.deepEqual(listImages(dir, 5).map((f) => path.basename(f)), ['a.png', 'b.jpg']);
  assert.equal(listImages(dir, 1).length, 1);
});

test('detbench bench --json prints the issue contract on stdout and writes the reports', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-'));
  const argv = ['node', 'detbench', 'bench', '--shapes', '1x3x64x96', '--warmup', '0', '--duration', '0', '--iterations', '3', '--out', out, '--json'];
  // A child process: the test runner owns this process's stdout.
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `require('./src/cli/main').main(${JSON.stringify(argv)}).then((c) => { process.exitCode = c; })`], {
    cwd: path.resolve(__dirname, '../..'), encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(doc), ['environment', 'rows', 'warnings']);
  assert.equal(doc.rows[0].shape, '1x3x64x96');
  assert.equal(doc.rows[0].iterations, 3);
  assert.match(r.stderr, /wrote .*bench\.csv/);
  assert.ok(fs.existsSync(path.join(out, 'bench.csv')) && fs.existsSync(path.join(out, 'bench.vl.json')));
});

test('the chart specs compile with vega-lite', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const vl = require('vega-lite') as { compile(spec: unknown): { spec: unknown } };
  const { benchCharts } = require('../../src/bench') as typeof import('../../src/bench');
  const charts = benchCharts({
    environment: {} as never, warnings: [], peakRssMiB: 1,
    rows: [{ engine: 'fp32', provider: 'cpu', shape: 'images:1', stage: 'infer', p50_ms: 2 } as never],
    samples: [{ engine: 'fp32', provider: 'cpu', shape: '1x3x8x8', stage: 'infer', ms: [1, 2, 3] }],
  });
  assert.ok(vl.compile(charts.latency).spec);
  assert.ok(vl.compile(charts.stages).spec);
});
