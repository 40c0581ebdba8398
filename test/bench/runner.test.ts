import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchCharts, benchFrame, benchJson, feedShape, formatTable, parseEngine, parseIo, runBench, seededInput, toCsv, writeBenchReports, type BenchResult } from '../../src/bench';
import { OptionError } from '../../src/core';

const IMAGE = path.resolve(__dirname, '../../../shared/data/ic15_train_mmocr10/images/img_1.jpg');
const FAST = { warmupMs: 0, warmupIterations: 1, durationMs: 0, iterations: 3 };

let shared: Promise<BenchResult> | undefined;
/** One real benchmark (CPU, PP-OCRv4 det at a small shape, plus the pipeline on one image when present), shared by the tests below. */
function result(): Promise<BenchResult> {
  shared ??= runBench({ engines: ['fp32@cpu'], shapes: [[1, 3, 64, 96]], images: fs.existsSync(IMAGE) ? [IMAGE] : [], measure: FAST, progress: false });
  return shared;
}

test('runBench times inference per shape on a real session and reports every statistic', async () => {
  const r = await result();
  const infer = r.rows.find((x) => x.stage === 'infer' && x.shape === '1x3x64x96');
  assert.ok(infer, 'no inference row');
  assert.equal(infer.engine, 'fp32');
  assert.equal(infer.provider, 'cpu');
  assert.equal(infer.iterations, 3);
  assert.ok(infer.min_ms > 0 && infer.min_ms <= infer.p50_ms && infer.p50_ms <= infer.p90_ms && infer.p90_ms <= infer.p99_ms);
  assert.ok(Math.abs(infer.throughput - 1000 / infer.mean_ms) < 0.01 * infer.throughput + 0.01);
  // 3 iterations is below the 10 the trust limits ask for: the row says so.
  assert.ok(infer.warnings.some((w) => /only 3 timed iterations/.test(w)));
  assert.ok(r.peakRssMiB > 0);
  assert.equal(r.environment.onnxruntime, require('onnxruntime-node/package.json').version);
});

test('pipeline rows cover decode, preprocess, infer, postprocess and total', async (t) => {
  if (!fs.existsSync(IMAGE)) {
    if (process.env.CI === 'true') throw new Error(`${IMAGE} missing`);
    t.skip(`${IMAGE} missing: shared test data not present`);
    return;
  }
  const r = await result();
  const stages = r.rows.filter((x) => x.shape === 'images:1').map((x) => x.stage);
  assert.deepEqual(stages, ['decode', 'preprocess', 'infer', 'postprocess', 'total']);
  const by = Object.fromEntries(r.rows.filter((x) => x.shape === 'images:1').map((x) => [x.stage, x]));
  // The total wraps the four stages of the same calls, so each call's total is at least their sum.
  const r2 = r.samples.filter((x) => x.shape === 'images:1');
  const ms = Object.fromEntries(r2.map((x) => [x.stage, x.ms]));
  for (let i = 0; i < ms.total.length; i++) {
    assert.ok(ms.total[i] >= ms.decode[i] + ms.preprocess[i] + ms.infer[i] + ms.postprocess[i] - 1e-6, `call ${i}`);
  }
  assert.ok(by.infer.p50_ms > 0);
});

test('--json document has the issue contract and the CSV/JSON/chart files are written', async () => {
  const r = await result();
  const doc = benchJson(r);
  assert.ok(doc.environment.cpu && doc.environment.node && doc.environment.onnxruntime);
  for (const key of ['engine', 'provider', 'shape', 'stage', 'p50_ms', 'p90_ms', 'p99_ms', 'mean_ms', 'cov', 'iterations']) {
    assert.ok(key in doc.rows[0], `row lacks ${key}`);
  }
  assert.ok(Array.isArray(doc.warnings));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const files = writeBenchReports(r, dir);
  const csv = fs.readFileSync(files[0], 'utf8').trim().split('\n');
  assert.equal(csv.length, r.rows.length + 1);
  assert.match(csv[0], /^engine,provider,shape,stage,p50_ms/);
  const charts = JSON.parse(fs.readFileSync(files[2], 'utf8'));
  assert.equal(charts.latency.mark.type, 'boxplot');
  assert.equal(charts.latency.data.values.length, 3);
  assert.equal(benchCharts(r).stages.mark, 'bar');
  const df = benchFrame(r.rows as unknown as Record<string, unknown>[]);
  assert.equal(df.values.length, r.rows.length);
  assert.deepEqual(df.columns, Object.keys(r.rows[0]));
  assert.match(formatTable(r.rows), /p50.*p90.*p99/);
});

test('parseEngine splits name@provider and rejects unknown providers', () => {
  assert.deepEqual(parseEngine('int8@webgpu', 'cpu'), { engine: 'int8', provider: 'webgpu' });
  assert.deepEqual(parseEngine('fp32', 'cpu'), { engine: 'fp32', provider: 'cpu' });
  assert.deepEqual(parseEngine('fp32:packed-nhwc:float32@webgpu-graph', 'cpu'), { engine: 'fp32:packed-nhwc:float32', provider: 'webgpu-graph' });
  assert.throws(() => parseEngine('fp32@gpu', 'cpu'), (e: unknown) => e instanceof OptionError && /"webgpu"/.test((e as Error).message));
});

test('rejects bad shapes and an empty engine list before opening a session', async () => {
  await assert.rejects(runBench({ shapes: [[1, 3, 64]], progress: false }), (e: unknown) => e instanceof OptionError && /four positive integers/.test((e as Error).message));
  await assert.rejects(runBench({ engines: [], progress: false }), (e: unknown) => e instanceof OptionError && /No engines/.test((e as Error).message));
  await assert.rejects(runBench({ engine: ['fp32'] } as never), (e: unknown) => e instanceof OptionError && /Unknown option "engine"/.test((e as Error).message));
});

test('seeded inputs are reproducible and toCsv quotes cells that need it', () => {
  const a = seededInput('float32', [1, 3, 4, 4]).data as Float32Array;
  const b = seededInput('float32', [1, 3, 4, 4]).data as Float32Array;
  assert.deepEqual(a, b);
  assert.ok(new Set(a).size > 40, 'not random');
  assert.equal(toCsv([{ a: 'x,y', b: 'say "hi"' }]), 'a,b\n"x,y","say ""hi"""\n');
});

test('engines take graph I/O formats as name:input:output, validated against the known formats', () => {
  assert.deepEqual(parseIo('fp32'), { base: 'fp32' });
  assert.deepEqual(parseIo('fp16:packed-nhwc:packed-uint8'), { base: 'fp16', io: { input: 'packed-nhwc', output: 'packed-uint8' } });
  assert.deepEqual(parseIo('fp32:uint8-nhwc'), { base: 'fp32', io: { input: 'uint8-nhwc', output: 'float32' } });
  assert.throws(() => parseIo('fp32:rgb8'), (e: unknown) => e instanceof OptionError && /"packed-nhwc"/.test((e as Error).message));
  assert.deepEqual(feedShape([1, 3, 736, 1280], 'packed-nhwc'), [1, 736, 960]);
  assert.deepEqual(feedShape([2, 3, 32, 64], 'uint8-nhwc'), [2, 32, 64, 3]);
});

test('an engine with uint8 input and packed output runs through the harness on a real session', async () => {
  const r = await runBench({ engines: ['fp32:packed-nhwc:packed-uint8'], shapes: [[1, 3, 64, 96]], measure: FAST, progress: false });
  assert.equal(r.rows.length, 1);
  assert.equal(r.rows[0].engine, 'fp32:packed-nhwc:packed-uint8');
  assert.ok(r.rows[0].p50_ms > 0);
});

test('rejects an unknown engine name, listing the built variants', async () => {
  await assert.rejects(runBench({ engines: ['fp33'], progress: false }), (e: unknown) => e instanceof OptionError && /Unknown engine "fp33"/.test((e as Error).message) && /int8/.test((e as Error).message));
});

test('a @webgpu-graph engine is the captured engine: it times on a GPU, and says why it cannot without one', async () => {
  try {
    const r = await runBench({ engines: ['fp32@webgpu-graph'], shapes: [[1, 3, 64, 64]], progress: false, measure: { warmupMs: 0, warmupIterations: 1, durationMs: 0, iterations: 3 } });
    assert.equal(r.rows[0].engine, 'fp32:packed-nhwc:packed-uint8');
    assert.equal(r.rows[0].provider, 'webgpu-graph');
    assert.equal(r.rows[0].iterations, 3);
  } catch (err) {
    assert.match((err as Error).message, /^Cannot create a captured webgpu engine: no WebGPU adapter/);
  }
});

test('pipeline rows with buckets pad through the Detector and say so in their shape', async (t) => {
  if (!fs.existsSync(IMAGE)) {
    if (process.env.CI === 'true') throw new Error(`${IMAGE} missing`);
    t.skip(`${IMAGE} missing: shared test data not present`);
    return;
  }
  // img_1.jpg (1280x720) resizes to 544x960; the bucket pads it to 576x960. Both engines go through the Detector.
  const r = await runBench({ engines: ['fp32@cpu', 'fp32:packed-nhwc:packed-uint8@cpu'], shapes: [[1, 3, 32, 32]], images: [IMAGE], buckets: [{ height: 576, width: 960 }], measure: FAST, progress: false });
  for (const engine of ['fp32', 'fp32:packed-nhwc:packed-uint8']) {
    const total = r.rows.find((x) => x.engine === engine && x.stage === 'total');
    assert.equal(total?.shape, 'images:1:buckets:1', engine);
  }
  await assert.rejects(runBench({ engines: ['fp32@cpu'], shapes: [[1, 3, 32, 32]], images: [IMAGE], buckets: [{ height: 256, width: 256 }], measure: FAST, progress: false }),
    /resizes to 544x960, which none of the buckets 256x256 holds/);
});
