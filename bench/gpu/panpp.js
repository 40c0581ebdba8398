#!/usr/bin/env node
/**
 * PAN++ at 1x3x736x1280 on the GPU host: PyTorch CUDA eager (the blog's baseline) beside the exported
 * ONNX model in onnxruntime-node on WebGPU and on the CPU, same seeded weights, warm-up first.
 *   node bench/gpu/panpp.js [--out FILE.json]     (needs dist/, and a Python with torch: DETBENCH_PYTHON)
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const dist = path.join(__dirname, '..', '..', 'dist');
const ort = require('onnxruntime-node');
const { ensurePanppModel, torchEagerLatency } = require(`${dist}/export`);
const { summarize } = require(`${dist}/bench`);

const SHAPE = [1, 3, 736, 1280];
const RUNS = 30;

async function ortLatency(model, provider) {
  const session = await ort.InferenceSession.create(model, { executionProviders: [provider], graphOptimizationLevel: 'all' });
  const n = SHAPE.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(i) * 2;
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, SHAPE) };
  for (let i = 0; i < 5; i++) await session.run(feeds);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  await session.release();
  return summarize(times);
}

(async () => {
  const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;
  const model = ensurePanppModel({ opset: 17 });
  const rows = [];
  for (const device of ['cuda', 'cpu']) {
    try {
      const t = torchEagerLatency({ model: 'panpp', shape: SHAPE, runs: RUNS, warmup: 5, device, threads: os.cpus().length });
      rows.push({ engine: `pytorch-eager-${device}`, p50_ms: t.p50Ms, mean_ms: t.meanMs, min_ms: t.minMs, note: `torch ${t.torchVersion}` });
    } catch (err) {
      rows.push({ engine: `pytorch-eager-${device}`, error: String(err.message).split('\n')[0] });
    }
  }
  for (const provider of ['webgpu', 'cpu']) {
    try {
      const s = await ortLatency(model, provider);
      rows.push({ engine: `ort-${provider}`, p50_ms: s.median, mean_ms: s.mean, min_ms: s.min, cov: s.cov });
    } catch (err) {
      rows.push({ engine: `ort-${provider}`, error: String(err.message).split('\n')[0] });
    }
  }
  const doc = { model: 'panpp (seeded weights)', shape: SHAPE, runs: RUNS, rows };
  console.log(JSON.stringify(doc, null, 1));
  if (out) fs.writeFileSync(out, JSON.stringify(doc, null, 1));
})();
