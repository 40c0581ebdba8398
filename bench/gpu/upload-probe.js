#!/usr/bin/env node
/**
 * How the host→GPU upload of a captured engine's input scales with its size: the per-run BindInput
 * (onnxruntime copies the host tensor to the device) for inputs of 0.1 to 11 MB, median of 100 runs.
 * Usage: node bench/gpu/upload-probe.js  (on the GPU host, after `source .gpu/setup.sh`)
 */
'use strict';
const path = require('node:path');
const dist = path.resolve(__dirname, '../../dist');
const { PPOCRV4_DET } = require(`${dist}/models`);
const { CapturedEngine } = require(`${dist}/engine/capture`);
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const rows = [];
for (const [input, h] of [['packed-nhwc', 32], ['packed-nhwc', 128], ['packed-nhwc', 256], ['packed-nhwc', 352], ['packed-nhwc', 512], ['packed-nhwc', 736], ['float32', 256], ['float32', 736]]) {
  const eng = CapturedEngine.create(PPOCRV4_DET.path(), { shape: [1, h, 1280], input, output: 'packed-uint8' });
  for (let i = 0; i < 10; i++) eng.run();
  const t = { upload_ms: [], prologue_ms: [], core_ms: [], readback_ms: [], total: [] };
  for (let i = 0; i < 100; i++) { const r = eng.runTimed(); for (const k of Object.keys(r)) t[k].push(r[k]); t.total.push(r.upload_ms + r.prologue_ms + r.core_ms + r.readback_ms); }
  const row = { input, shape: [1, h, 1280], input_mb: +(eng.input.length / 1e6).toFixed(3), output_mb: +(eng.output.length / 1e6).toFixed(3) };
  for (const k of Object.keys(t)) row[`${k}_p50`] = +med(t[k]).toFixed(3);
  rows.push(row);
  console.error(JSON.stringify(row));
  eng.dispose();
}
console.log(JSON.stringify(rows));
