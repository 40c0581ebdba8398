#!/usr/bin/env node
/**
 * Where the GPU time of one run() goes: onnxruntime's profiler on a WebGPU session. GPU kernel times come
 * from timestamp queries (they add a little per kernel, so the sum is an upper bound), summed per kernel
 * type per run.
 *   node bench/gpu/profile.js [--engine fp32|webgpu] [--runs 20] [--out FILE.json]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const dist = path.resolve(__dirname, '../../dist');
const ort = require('onnxruntime-node');
const { PPOCRV4_DET } = require(`${dist}/models`);
const io = require(`${dist}/engine/io`);
const { buildEngine } = require(`${dist}/engine`);
const common = require('./common');

const args = process.argv.slice(2);
const flag = (name, dflt) => common.flag(args, name, dflt);
const engine = flag('engine', 'webgpu');
const runs = Number(flag('runs', '20'));
const outFile = flag('out', `bench/gpu/results/profile-${engine}.json`);
const W = 1280, H = 736;

async function main() {
  const model = engine === 'fp32' ? PPOCRV4_DET.path() : (await buildEngine({ variant: engine })).modelPath;
  const bytes = Buffer.from(io.transformIoFile(model, { input: 'packed-nhwc', output: 'packed-uint8' }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'detbench-prof-'));
  const s = await ort.InferenceSession.create(bytes, {
    executionProviders: [{ name: 'webgpu', preferredLayout: 'NHWC', validationMode: 'disabled' }],
    graphOptimizationLevel: 'all', enableProfiling: true, profileFilePrefix: path.join(dir, 'p'),
  });
  const img = { width: W, height: H, data: new Uint8Array(W * H * 3).fill(128) };
  const feed = io.imageFeed('packed-nhwc', img, PPOCRV4_DET.input);
  for (let i = 0; i < 5; i++) await s.run({ [s.inputNames[0]]: feed });
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await s.run({ [s.inputNames[0]]: feed });
  const wallMs = (performance.now() - t0) / runs;
  s.endProfiling();
  await s.release();
  const file = fs.readdirSync(dir).map((f) => path.join(dir, f)).find((f) => f.endsWith('.json'));
  const events = JSON.parse(fs.readFileSync(file, 'utf8'));
  // "Api" events are the WebGPU kernels' GPU timestamps (name: node_token&OpType&Program); "Node" events are
  // host-side kernel calls. Warm-up runs are profiled too: divide by every run.
  const total = runs + 5;
  const gpu = {};
  const host = {};
  for (const e of events) {
    if (typeof e.dur !== 'number') continue;
    if (e.cat === 'Api') {
      const [, op, program] = e.name.split('&');
      const k = `${op}/${program ?? ''}`;
      gpu[k] = gpu[k] ?? { kernel: k, per_run: 0, ms_per_run: 0 };
      gpu[k].per_run += 1 / total;
      gpu[k].ms_per_run += e.dur / 1000 / total;
    } else if (e.cat === 'Node' && e.name.endsWith('_kernel_time')) {
      const op = e.args?.op_name ?? '?';
      host[op] = host[op] ?? { op, per_run: 0, ms_per_run: 0 };
      host[op].per_run += 1 / total;
      host[op].ms_per_run += e.dur / 1000 / total;
    }
  }
  const sorted = (o) => Object.values(o).sort((a, b) => b.ms_per_run - a.ms_per_run).map((r) => ({ ...r, per_run: Math.round(r.per_run), ms_per_run: common.round(r.ms_per_run) }));
  const sum = (rows, k) => common.round(rows.reduce((a, r) => a + r[k], 0));
  const gpuRows = sorted(gpu);
  const hostRows = sorted(host);
  const result = {
    engine, runs: total, wall_ms_per_run: common.round(wallMs),
    gpu: { kernels_per_run: sum(gpuRows, 'per_run'), ms_per_run: sum(gpuRows, 'ms_per_run'), by_kernel: gpuRows },
    host: { nodes_per_run: sum(hostRows, 'per_run'), ms_per_run: sum(hostRows, 'ms_per_run'), by_op: hostRows },
  };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(result, null, 1));
  common.log(`${engine}: run ${result.wall_ms_per_run} ms while profiling; GPU kernels ${result.gpu.kernels_per_run} per run, ${result.gpu.ms_per_run} ms; wrote ${outFile}`);
  for (const g of gpuRows.slice(0, 12)) common.log(`  ${g.kernel.padEnd(36)} ${String(g.per_run).padStart(4)} x  ${g.ms_per_run.toFixed(3)} ms`);
}

main().catch((e) => { console.error(e); process.exit(1); });
