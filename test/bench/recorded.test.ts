import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { benchJson, readBenchReport, recordedGpuReportPath, runBench, writeBenchReports } from '../../src/bench';
import { InputError } from '../../src/core';
import { tempDir } from '../helpers/fixtures';

const FAST = { warmupMs: 0, warmupIterations: 1, durationMs: 0, iterations: 3 };

test('a report written by the harness reads back with the same rows, warnings, samples and environment', async () => {
  const r = await runBench({ engines: ['fp32@cpu'], shapes: [[1, 3, 32, 64]], measure: FAST, progress: false });
  const dir = tempDir();
  // The bench.json of writeBenchReports (with samples) and the --json document (without).
  writeBenchReports(r, dir);
  const back = readBenchReport(path.join(dir, 'bench.json'));
  assert.deepEqual(back.rows, r.rows);
  assert.deepEqual(back.samples, r.samples);
  assert.deepEqual(back.environment, r.environment);
  assert.equal(back.peakRssMiB, r.peakRssMiB);
  const json = path.join(dir, 'stdout.json');
  fs.writeFileSync(json, JSON.stringify(benchJson(r)));
  const fromStdout = readBenchReport(json);
  // Rows of --json carry no warnings: they are rebuilt from the report's list (3 iterations < 10).
  assert.deepEqual(fromStdout.rows, r.rows);
  assert.ok(fromStdout.rows[0].warnings.some((w) => /only 3 timed iterations/.test(w)));
  assert.deepEqual(fromStdout.samples, []);
});

test('the recorded GPU-host report ships with the repository and reads as H100 WebGPU rows', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { files: string[] };
  assert.ok(pkg.files.some((f) => f.replace(/\\/g, '/') === 'bench/gpu/results/h100-gpu-view-20261124.json'), 'and with the npm package');
  const file = recordedGpuReportPath();
  assert.ok(file, 'bench/gpu/results report missing');
  const r = readBenchReport(file);
  assert.match(r.environment.gpu, /H100/);
  const captured = r.rows.find((x) => x.provider === 'webgpu-graph' && x.engine.startsWith('webgpu') && x.stage === 'infer' && x.shape === '1x3x736x1280');
  assert.ok(captured, 'no captured rewritten row');
  const cpu = r.rows.find((x) => x.provider === 'cpu' && x.engine === 'fp32' && x.stage === 'infer' && x.shape === '1x3x736x1280');
  assert.ok(cpu && captured.p50_ms < cpu.p50_ms / 5, 'the GPU figures are the recorded ones, not a CPU run');
});

test('a file that is not a report is an InputError naming the file, the field and the fix', () => {
  const dir = tempDir();
  const env = { date: '2026-01-02T00:00:00Z', node: 'v20', onnxruntime: '1.30.0', platform: 'linux', cpu: 'c', gpu: 'none', cores: 2 };
  const { gpu: _gpu, ...noGpu } = env;
  const cases: [string, string, RegExp][] = [
    ['missing.json', '', /not found/],
    ['text.json', 'not json', /not JSON/],
    ['noenv.json', JSON.stringify({ rows: [] }), /no "environment" object/],
    ['norows.json', JSON.stringify({ environment: env }), /no "rows" array/],
    ['envgpu.json', JSON.stringify({ environment: noGpu, rows: [] }), /environment\.gpu is undefined, expected a string/],
    ['badstage.json', JSON.stringify({ environment: env, rows: [{ engine: 'a', provider: 'cpu', shape: '1x3x8x8', stage: 'warmup' }] }), /rows\[0\]\.stage is "warmup", expected one of "decode", .*"total"/],
    ['badnum.json', JSON.stringify({ environment: env, rows: [{ engine: 'a', provider: 'cpu', shape: '1x3x8x8', stage: 'infer', p50_ms: '3' }] }), /rows\[0\]\.p50_ms is "3", expected a number/],
  ];
  for (const [name, text, re] of cases) {
    const f = path.join(dir, name);
    if (text) fs.writeFileSync(f, text);
    assert.throws(() => readBenchReport(f), (e: Error) => e instanceof InputError && e.message.includes(f) && re.test(e.message) && /Fix:/.test(e.message), name);
  }
});

test('fields an older report lacks read as missing (NaN), never as a zero figure', () => {
  const f = path.join(tempDir(), 'old.json');
  fs.writeFileSync(f, JSON.stringify({
    environment: { date: 'd', node: 'n', onnxruntime: 'o', platform: 'p', cpu: 'c', gpu: 'g', cores: 1 },
    rows: [{ engine: 'fp32', provider: 'cpu', shape: '1x3x8x8', stage: 'infer', p50_ms: 1, p90_ms: 2, p99_ms: 3, mean_ms: 1.5, cov: 0.1, iterations: 10 }],
  }));
  const [row] = readBenchReport(f).rows;
  assert.ok(Number.isNaN(row.min_ms) && Number.isNaN(row.p95_ms) && Number.isNaN(row.throughput));
  assert.equal(row.p50_ms, 1);
});
