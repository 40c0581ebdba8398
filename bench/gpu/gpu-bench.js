#!/usr/bin/env node
/**
 * GPU benchmark of PP-OCRv4 det at 1x3x736x1280: ORT CPU (all cores) fp32/int8 beside WebGPU variants
 * (I/O formats, fp16, provider options, batch), each checked against the fp32 CPU reference
 * (probability-map difference and DB boxes), plus the whole pipeline's images/s on a folder of images.
 *
 * Plain CommonJS over the compiled library (dist/), so a GPU host needs only node and the packed
 * node_modules (see bench/gpu/run.sh). Usage:
 *   node bench/gpu/gpu-bench.js --images DIR --engines DIR --out FILE.json [--quick] [--only NAME,...] [--all]
 * --all adds the provider-option attempts that made no difference or crash (bench/NOTES.md, attempts 6-9).
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ort = require('onnxruntime-node');
const dist = path.resolve(__dirname, '../../dist');
const { PPOCRV4_DET } = require(`${dist}/models`);
const { decodeImage, resizeRgb, targetSize } = require(`${dist}/image`);
const io = require(`${dist}/engine/io`);
const { measure } = require(`${dist}/bench/measure`);
const { dbPostprocess } = require(`${dist}/postprocess`);
const { Detector } = require(`${dist}/pipeline`);

const common = require('./common');
const { log, round, statsRow, sameBoxes } = common;

const args = process.argv.slice(2);
const flag = (name, dflt) => common.flag(args, name, dflt);
const quick = args.includes('--quick');
const only = flag('only', '') ? flag('only').split(',') : null;
const imagesDir = flag('images', 'bench/gpu/images');
const enginesDir = flag('engines', '.cache/gpu-engines');
// Engine files read from --engines besides fp32: fp16/fp16b built here, int8 and the rewritten graphs
// (webgpu, fp32-optimized: src/engine/fuse.ts) by run.sh through `detbench build`.
const ENGINE_FILES = ['fp16', 'fp16b', 'int8', 'webgpu', 'fp32-optimized'];
const readEngines = (engines) => {
  for (const e of ENGINE_FILES) { const f = path.join(enginesDir, `${e}.onnx`); if (fs.existsSync(f)) engines[e] = fs.readFileSync(f); }
  return engines;
};
const outFile = flag('out', `bench/gpu/results/gpu-${new Date().toISOString().slice(0, 10)}.json`);
const W = 1280, H = 736;
const timing = quick ? { warmupMs: 300, warmupIterations: 3, durationMs: 800, iterations: 10 } : { warmupMs: 1000, warmupIterations: 5, durationMs: 2000, iterations: 20 };

/** A trivial detector (1x1 conv 3->1, sigmoid) with the real model's I/O: measures transfers and fixed cost. */
function probeModel() {
  const { onnx, saveOnnx } = require(`${dist}/onnx/model`);
  const P = require(`${dist}/engine/io/proto`);
  const graph = {
    name: 'probe',
    input: [P.valueInfo('x', P.DT.FLOAT, ['n', 3, 'h', 'w'])],
    output: [P.valueInfo('y', P.DT.FLOAT, ['n', 1, 'h', 'w'])],
    initializer: [P.floatTensor('k', new Float32Array([0.01, 0.01, 0.01]), [1, 3, 1, 1])],
    node: [P.node('Conv', ['x', 'k'], ['c']), P.node('Sigmoid', ['c'], ['y'])],
  };
  return Buffer.from(saveOnnx({ irVersion: 8, opsetImport: [{ domain: '', version: 11 }], graph }));
}

function mapDiff(a, b) {
  let max = 0, diff = 0;
  for (let i = 0; i < a.length; i++) { const d = Math.abs(a[i] - b[i]); if (d > max) max = d; if (d) diff++; }
  return { max_abs_diff: max, differing_pixels: diff };
}

async function main() {
  const env = {
    date: new Date().toISOString(), node: process.version, ort: require('onnxruntime-node/package.json').version,
    cpu: os.cpus()[0]?.model, cores: os.cpus().length, gpu: process.env.GPU_NAME ?? 'unknown', platform: `${os.platform()} ${os.release()}`,
  };
  log('env', JSON.stringify(env));
  const files = fs.readdirSync(imagesDir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().map((f) => path.join(imagesDir, f));
  // The fixed benchmark shape: the first image resized to exactly 1280x736.
  const src = await decodeImage(files[0]);
  const img = await resizeRgb(src, W, H);
  const spec = PPOCRV4_DET.input;
  const back = { srcWidth: W, srcHeight: H };

  const fp32Path = PPOCRV4_DET.path();
  const fp16File = path.join(enginesDir, 'fp16.onnx');
  const fp16bFile = path.join(enginesDir, 'fp16b.onnx');
  const { convertToFp16, DEFAULT_FP16_BLOCK_OPS } = require(`${dist}/engine`);
  const { loadOnnx, saveOnnx } = require(`${dist}/onnx/model`);
  fs.mkdirSync(enginesDir, { recursive: true });
  if (!flag('variant', '') && !fs.existsSync(fp16File)) {
    // fp16 through detbench's own converter (folds BatchNormalization first: PP-OCRv4's head has a
    // variance near 1e7, which overflows half and broke onnxruntime's Python converter here).
    const m = loadOnnx(fp32Path);
    log(`fp16 engine: ${JSON.stringify(convertToFp16(m))}`);
    fs.writeFileSync(fp16File, saveOnnx(m));
  }
  if (!flag('variant', '') && !fs.existsSync(fp16bFile)) {
    // fp16b: GlobalAveragePool kept in float32 as well. WebGPU's fp16 GlobalAveragePool sums a whole
    // 184x320 map in half precision, which overflows (run 3: max|d| = 1 on WebGPU, 0.04 on CPU).
    // (Built here even when run.sh supplied fp16.onnx: it used to be skipped then.)
    const mb = loadOnnx(fp32Path);
    log(`fp16b engine: ${JSON.stringify(convertToFp16(mb, [...DEFAULT_FP16_BLOCK_OPS, 'GlobalAveragePool']))}`);
    fs.writeFileSync(fp16bFile, saveOnnx(mb));
  }
  const engines = readEngines({ fp32: fs.readFileSync(fp32Path), probe: probeModel() });
  const cached = new Map();
  const model = (engine, input, output) => {
    const k = `${engine}|${input}|${output}`;
    if (!cached.has(k)) cached.set(k, input === 'float32' && output === 'float32' ? engines[engine] : Buffer.from(io.transformIoFile(engines[engine], { input, output })));
    return cached.get(k);
  };

  const webgpu = (o = {}) => ({ name: 'webgpu', ...o });
  const V = (name, engine, ep, input, output, extra = {}) => ({ name, engine, ep, input, output, ...extra });
  const NHWC = { preferredLayout: 'NHWC' };
  const cfg = (entries) => ({ extra: Object.fromEntries(Object.entries(entries).map(([k, v]) => [`ep.webgpuexecutionprovider.${k}`, String(v)])) });
  const variants = [
    V('cpu-fp32', 'fp32', 'cpu', 'float32', 'float32'),
    V('cpu-int8', 'int8', 'cpu', 'float32', 'float32'),
    V('cpu-fp32-optimized', 'fp32-optimized', 'cpu', 'float32', 'float32'),
    V('webgpu-fp32', 'fp32', webgpu(), 'float32', 'float32'),
    V('webgpu-fp32-nhwc', 'fp32', webgpu(NHWC), 'float32', 'float32'),
    V('webgpu-fp32-u8in', 'fp32', webgpu(NHWC), 'packed-nhwc', 'float32'),
    V('webgpu-fp32-u8in-f16out', 'fp32', webgpu(NHWC), 'packed-nhwc', 'float16'),
    V('webgpu-fp32-u8in-u8out', 'fp32', webgpu(NHWC), 'packed-nhwc', 'packed-uint8'),
    V('webgpu-fp32-u8in-f16out-novalid', 'fp32', webgpu({ ...NHWC, validationMode: 'disabled' }), 'packed-nhwc', 'float16'),
    V('webgpu-fp32-u8in-u8out-novalid', 'fp32', webgpu({ ...NHWC, validationMode: 'disabled' }), 'packed-nhwc', 'packed-uint8'),
    V('webgpu-rewritten-u8in-u8out-novalid', 'webgpu', webgpu({ ...NHWC, validationMode: 'disabled' }), 'packed-nhwc', 'packed-uint8'),
    V('webgpu-fp32-u8in-f16out-batch4', 'fp32', webgpu(NHWC), 'packed-nhwc', 'float16', { batch: 4 }),
    V('probe-io-only-u8in-f16out', 'probe', webgpu(NHWC), 'packed-nhwc', 'float16', { noRef: true }),
    V('probe-io-only-f32in-f32out', 'probe', webgpu(NHWC), 'float32', 'float32', { noRef: true }),
    V('probe-model-64x32', 'fp32', webgpu(NHWC), 'packed-nhwc', 'float16', { noRef: true, size: [64, 32] }),
    V('probe-io-only-64x32', 'probe', webgpu(NHWC), 'packed-nhwc', 'packed-uint8', { noRef: true, size: [64, 32] }),
    V('cpu-fp16', 'fp16', 'cpu', 'float32', 'float32'),
    V('webgpu-fp16', 'fp16', webgpu(), 'float32', 'float32'),
    V('webgpu-fp16-u8in-f16out', 'fp16', webgpu(NHWC), 'packed-nhwc', 'float16'),
    V('webgpu-fp16-u8in-u8out', 'fp16', webgpu(NHWC), 'packed-nhwc', 'packed-uint8'),
    V('webgpu-fp16-u8in-u8out-novalid', 'fp16', webgpu({ ...NHWC, validationMode: 'disabled' }), 'packed-nhwc', 'packed-uint8'),
    V('webgpu-fp16-u8in-u8out-nchw', 'fp16', webgpu({ validationMode: 'disabled' }), 'packed-nhwc', 'packed-uint8'),
    V('webgpu-fp16-u8in-u8out-batch4', 'fp16', webgpu({ ...NHWC, validationMode: 'disabled' }), 'packed-nhwc', 'packed-uint8', { batch: 4 }),
    V('cpu-fp16b', 'fp16b', 'cpu', 'float32', 'float32'),
    V('webgpu-fp16b-u8in-f16out-novalid', 'fp16b', webgpu({ ...NHWC, validationMode: 'disabled' }), 'packed-nhwc', 'float16'),
    V('webgpu-fp16b-u8in-u8out-novalid', 'fp16b', webgpu({ ...NHWC, validationMode: 'disabled' }), 'packed-nhwc', 'packed-uint8'),
    V('webgpu-fp16b-u8in-u8out-nchw', 'fp16b', webgpu({ validationMode: 'disabled' }), 'packed-nhwc', 'packed-uint8'),
    V('webgpu-fp16b-u8in-u8out-batch4', 'fp16b', webgpu({ validationMode: 'disabled' }), 'packed-nhwc', 'packed-uint8', { batch: 4 }),
    ...(args.includes('--all') ? [
      V('webgpu-fp32-u8in-f16out-simple', 'fp32', webgpu({ ...NHWC, storageBufferCacheMode: 'simple' }), 'packed-nhwc', 'float16'),
      V('webgpu-fp32-u8in-f16out-pending256', 'fp32', webgpu(NHWC), 'packed-nhwc', 'float16', { session: cfg({ maxNumPendingDispatches: 256 }) }),
      V('webgpu-fp32-u8in-f16out-pending1024', 'fp32', webgpu(NHWC), 'packed-nhwc', 'float16', { session: cfg({ maxNumPendingDispatches: 1024 }) }),
      V('webgpu-fp32-u8in-f16out-capture', 'fp32', webgpu(NHWC), 'packed-nhwc', 'float16', { session: { enableGraphCapture: true, ...cfg({ enableGraphCapture: 1 }) } }),
      V('webgpu-fp32-u8in-gpuout', 'fp32', webgpu(NHWC), 'packed-nhwc', 'float16', { session: { preferredOutputLocation: 'gpu-buffer' } }),
    ] : []),
  ];
  const refFile = path.join(enginesDir, 'ref-map.json');
  const variantArg = flag('variant', '');
  if (!variantArg) {
    // Parent: each variant in its own process, so a provider crash (abort in native code) costs one row.
    const { spawnSync } = require('node:child_process');
    const rows = [];
    for (const v of variants) {
      if (only && !only.includes(v.name) && v.name !== 'cpu-fp32') continue;
      // A verbose variant's onnxruntime log (node placement) goes to a file beside the results.
      const errTo = v.verbose ? fs.openSync(path.join(path.dirname(outFile), `verbose-${v.name}.log`), 'w') : 'inherit';
      const r = spawnSync(process.execPath, [__filename, ...args, '--variant', v.name], { encoding: 'utf8', stdio: ['ignore', 'pipe', errTo], timeout: 240_000, maxBuffer: 64 << 20 });
      const last = (r.stdout || '').trim().split('\n').pop();
      let row;
      try { row = JSON.parse(last); } catch { row = { variant: v.name, error: `child exited ${r.status ?? r.signal}${r.error ? `: ${r.error.message}` : ''}` }; }
      rows.push(row);
      writeResult({ environment: env, shape: [1, 3, H, W], timing, rows });
    }
    return finish(rows, env);
  }
  const v = variants.find((x) => x.name === variantArg);
  if (!engines[v.engine]) { console.log(JSON.stringify({ variant: v.name, error: `no ${v.engine} engine` })); return; }
  const row = { variant: v.name, engine: v.engine, provider: typeof v.ep === 'string' ? v.ep : JSON.stringify(v.ep), input: v.input, output: v.output, batch: v.batch ?? 1, session_options: v.session };
  let session;
  try {
    const t0 = performance.now();
    session = await ort.InferenceSession.create(model(v.engine, v.input, v.output), {
      executionProviders: [v.ep], graphOptimizationLevel: 'all', ...(v.verbose ? { logSeverityLevel: 0 } : {}), ...(v.session ?? {}),
    });
    row.session_create_ms = round(performance.now() - t0, 1);
    const inName = session.inputNames[0], outName = session.outputNames[0];
    const vimg = v.size ? await resizeRgb(img, v.size[0], v.size[1]) : img;
    let feed = io.imageFeed(v.input, vimg, spec);
    if (v.batch > 1) {
      const data = new feed.data.constructor(feed.data.length * v.batch);
      for (let b = 0; b < v.batch; b++) data.set(feed.data, b * feed.data.length);
      feed = new ort.Tensor(feed.type, data, [v.batch, ...feed.dims.slice(1)]);
    }
    const read = async (out) => {
      let t = out[outName];
      if (t.location === 'gpu-buffer') { const data = await t.getData(true); t = new ort.Tensor(t.type, data, t.dims); }
      return t;
    };
    const t1 = performance.now();
    const first = await read(await session.run({ [inName]: feed }));
    row.first_run_ms = round(performance.now() - t1, 1);
    const map = io.readProbability(first, v.output).data;
    const boxes = v.noRef ? [] : dbPostprocess({ data: map, width: W, height: H }, back);
    if (v.name === 'cpu-fp32') fs.mkdirSync(enginesDir, { recursive: true }), fs.writeFileSync(refFile, JSON.stringify({ map: Array.from(map), boxes }));
    if (!v.noRef) {
      const ref = JSON.parse(fs.readFileSync(refFile, 'utf8'));
      Object.assign(row, mapDiff(map, ref.map), { boxes: boxes.length, ref_boxes: ref.boxes.length, boxes_identical: sameBoxes(boxes, ref.boxes) });
    }
    // run(): host tensor in, host tensor out (the graph's own output format).
    const m1 = await measure(async () => { await read(await session.run({ [inName]: feed })); }, timing);
    row.run = statsRow(m1.total);
    // end to end: resized RGB bytes -> feed -> run -> float32 probability map on the host.
    const m2 = await measure(async () => {
      const f = v.batch > 1 ? feed : io.imageFeed(v.input, vimg, spec);
      io.readProbability(await read(await session.run({ [inName]: f })), v.output);
    }, timing);
    row.e2e = statsRow(m2.total);
    if (v.batch > 1) row.per_image_p50_ms = round(row.e2e.p50_ms / v.batch);
    log(`${v.name.padEnd(34)} run p50 ${row.run.p50_ms.toFixed(2).padStart(8)} ms  e2e p50 ${row.e2e.p50_ms.toFixed(2).padStart(8)} ms  max|d| ${(row.max_abs_diff ?? NaN).toExponential(2)}  boxes ${row.boxes} identical=${row.boxes_identical}`);
  } catch (err) {
    row.error = String(err && err.message || err).split('\n')[0];
    log(`${v.name}: FAILED ${row.error}`);
  } finally {
    if (session) await session.release();
  }
  console.log(JSON.stringify(row));
}

function writeResult(result) {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(result, null, 1));
}

async function finish(rows, env) {
  const files = fs.readdirSync(imagesDir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().map((f) => path.join(imagesDir, f));
  const spec = PPOCRV4_DET.input;
  const engines = readEngines({ fp32: fs.readFileSync(PPOCRV4_DET.path()) });
  const model = (engine, input, output) => (input === 'float32' && output === 'float32' ? engines[engine] : Buffer.from(io.transformIoFile(engines[engine], { input, output })));
  const webgpu = (o = {}) => ({ name: 'webgpu', ...o });
  // The whole pipeline on the image folder at PaddleOCR's own resize (limit 960): images/s.
  const pipeline = [];
  const pipeVariants = [
    ['cpu-fp32', 'fp32', 'cpu', 'float32', 'float32'],
    ['webgpu-fp32', 'fp32', webgpu(), 'float32', 'float32'],
    ['webgpu-u8in', 'fp32', webgpu({ preferredLayout: 'NHWC' }), 'packed-nhwc', 'float32'],
    ['webgpu-u8in-f16out-novalid', 'fp32', webgpu({ preferredLayout: 'NHWC', validationMode: 'disabled' }), 'packed-nhwc', 'float16'],
    ['cpu-fp32-optimized', 'fp32-optimized', 'cpu', 'float32', 'float32'],
    ['webgpu-rewritten-u8in-u8out-novalid', 'webgpu', webgpu({ preferredLayout: 'NHWC', validationMode: 'disabled' }), 'packed-nhwc', 'packed-uint8'],
    ['webgpu-fp16b-u8in-u8out-nchw', 'fp16b', webgpu({ validationMode: 'disabled' }), 'packed-nhwc', 'packed-uint8'],
  ];
  const perImageRef = new Map();
  for (const [name, engine, ep, input, output] of pipeVariants) {
    if (!engines[engine]) continue;
    let session;
    try {
      session = await ort.InferenceSession.create(model(engine, input, output), { executionProviders: [ep], graphOptimizationLevel: 'all' });
      const inName = session.inputNames[0], outName = session.outputNames[0];
      const one = async (file) => {
        const rgb = await decodeImage(file);
        const { width, height } = targetSize(rgb.width, rgb.height, PPOCRV4_DET.resize);
        const resized = await resizeRgb(rgb, width, height);
        const out = await session.run({ [inName]: io.imageFeed(input, resized, spec) });
        const map = io.readProbability(out[outName], output);
        return dbPostprocess(map, { srcWidth: rgb.width, srcHeight: rgb.height });
      };
      for (const f of files) await one(f); // warm-up: every shape compiled once
      let identical = 0;
      for (const f of files) {
        const b = await one(f);
        if (!perImageRef.has(f)) perImageRef.set(f, b);
        if (sameBoxes(b, perImageRef.get(f))) identical++;
      }
      const rounds = quick ? 1 : 3;
      const t0 = performance.now();
      for (let r = 0; r < rounds; r++) for (const f of files) await one(f);
      const ms = performance.now() - t0;
      const p = { variant: name, images: files.length * rounds, images_per_s: round((1000 * files.length * rounds) / ms, 2), identical_images: `${identical}/${files.length}` };
      pipeline.push(p);
      log(`pipeline ${name.padEnd(20)} ${p.images_per_s} images/s  identical boxes ${p.identical_images}`);
    } catch (err) {
      pipeline.push({ variant: name, error: String(err && err.message || err).split('\n')[0] });
    } finally {
      if (session) await session.release();
    }
  }
  // The library's Detector (what `detbench detect --ep X` runs): same boxes on webgpu as on cpu?
  const detector = [];
  const med = (xs) => { const s = [...xs].sort((x, y) => x - y); return round((s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2, 2); };
  let cpuBoxes;
  for (const provider of ['cpu', 'webgpu']) {
    let det;
    try {
      det = await Detector.create({ provider });
      await det.detectMany(files); // warm-up pass: shader compilation for every shape
      const batch = await det.detectMany(files);
      const boxes = batch.results.map((r) => r.boxes);
      cpuBoxes ??= boxes;
      const identical = boxes.filter((b, i) => sameBoxes(b, cpuBoxes[i])).length;
      const t = (k) => med(batch.results.map((r) => r.timings_ms[k]));
      const d = { provider: det.provider, images: files.length, errors: batch.errors.length, identical_to_cpu: `${identical}/${files.length}`,
        decode_p50_ms: t('decode'), preprocess_p50_ms: t('preprocess'), infer_p50_ms: t('infer'), postprocess_p50_ms: t('postprocess') };
      detector.push(d);
      log(`detector ${JSON.stringify(d)}`);
    } catch (err) {
      detector.push({ provider, error: String(err && err.message || err).split('\n')[0] });
    } finally {
      if (det) await det.dispose();
    }
  }
  const result = { environment: env, shape: [1, 3, H, W], timing, rows, pipeline, detector };
  writeResult(result);
  log(`wrote ${outFile}`);
  // Short table last: the device tool keeps the end of the output.
  for (const r of rows) {
    console.log(r.error ? `${r.variant.padEnd(34)} ERROR ${r.error}` : `${r.variant.padEnd(34)} run ${r.run.p50_ms.toFixed(2).padStart(7)}  e2e ${r.e2e.p50_ms.toFixed(2).padStart(7)} (p90 ${r.e2e.p90_ms.toFixed(2)}, cov ${r.e2e.cov}) create ${r.session_create_ms} first ${r.first_run_ms} d=${(r.max_abs_diff ?? NaN).toExponential(1)} same=${r.boxes_identical}${r.per_image_p50_ms ? ` per-image ${r.per_image_p50_ms}` : ''}`);
  }
  for (const p of [...pipeline, ...detector]) console.log(JSON.stringify(p));
}

main().catch((err) => { console.error(err); process.exit(1); });
