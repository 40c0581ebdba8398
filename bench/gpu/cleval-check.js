#!/usr/bin/env node
/**
 * CLEval (detection) of the fp32 CPU reference against GPU variants on a labelled folder, to judge
 * engines that are not bit-exact by the rule (HMean within 0.05 points of fp32).
 * Usage: node bench/gpu/cleval-check.js IMAGES_DIR GT_DIR [OUT.json] [--cpu-only]
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ort = require('onnxruntime-node');
const dist = path.resolve(__dirname, '../../dist');
const { PPOCRV4_DET } = require(`${dist}/models`);
const { decodeImage, resizeRgb, targetSize } = require(`${dist}/image`);
const io = require(`${dist}/engine/io`);
const { dbPostprocess } = require(`${dist}/postprocess`);
const { readSubmission, detSample, evaluateCleval } = require(`${dist}/eval`);
const { convertToFp16, DEFAULT_FP16_BLOCK_OPS } = require(`${dist}/engine`);
const { loadOnnx, saveOnnx } = require(`${dist}/onnx/model`);

const [imagesDir, gtDir, outFile] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const cpuOnly = process.argv.includes('--cpu-only');
const fp32 = fs.readFileSync(PPOCRV4_DET.path());
const fp16b = (() => { const m = loadOnnx(fp32); convertToFp16(m, [...DEFAULT_FP16_BLOCK_OPS, 'GlobalAveragePool']); return Buffer.from(saveOnnx(m)); })();
const engines = [
  ['cpu-fp32', fp32, 'cpu', 'float32', 'float32'],
  ['cpu-fp16b', fp16b, 'cpu', 'float32', 'float32'],
  ...(cpuOnly ? [] : [
    ['webgpu-fp32', fp32, 'webgpu', 'float32', 'float32'],
    ['webgpu-fp16b', fp16b, 'webgpu', 'float32', 'float32'],
    ['webgpu-fp32-u8in-u8out', fp32, { name: 'webgpu', preferredLayout: 'NHWC', validationMode: 'disabled' }, 'packed-nhwc', 'packed-uint8'],
    ['webgpu-fp16b-u8in-u8out-nchw', fp16b, { name: 'webgpu', validationMode: 'disabled' }, 'packed-nhwc', 'packed-uint8'],
  ]),
];

(async () => {
  const files = fs.readdirSync(imagesDir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  const gt = readSubmission(gtDir);
  const rows = [];
  for (const [name, bytes, ep, input, output] of engines) {
    let session;
    try {
      session = await ort.InferenceSession.create(input === 'float32' && output === 'float32' ? bytes : io.transformIoFile(bytes, { input, output }), { executionProviders: [ep] });
      const pred = [];
      for (const f of files) {
        const rgb = await decodeImage(path.join(imagesDir, f));
        const { width, height } = targetSize(rgb.width, rgb.height, PPOCRV4_DET.resize);
        const out = await session.run({ [session.inputNames[0]]: io.imageFeed(input, await resizeRgb(rgb, width, height), PPOCRV4_DET.input) });
        const boxes = dbPostprocess(io.readProbability(out[session.outputNames[0]], output), { srcWidth: rgb.width, srcHeight: rgb.height });
        pred.push(detSample(path.parse(f).name, boxes));
      }
      const r = evaluateCleval(gt, pred);
      rows.push({ engine: name, hmean: r.det.hmean, precision: r.det.precision, recall: r.det.recall });
    } catch (err) {
      rows.push({ engine: name, error: String(err && err.message || err).split('\n')[0] });
    } finally {
      if (session) await session.release();
    }
  }
  const ref = rows[0].hmean;
  for (const r of rows) if (r.hmean !== undefined) r.hmean_diff_points = Number(((r.hmean - ref) * 100).toFixed(4));
  const doc = { images: files.length, metric: 'CLEval detection, default options', rows };
  if (outFile) fs.writeFileSync(outFile, JSON.stringify(doc, null, 1));
  console.log(JSON.stringify(doc, null, 1));
})();
