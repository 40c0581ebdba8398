#!/usr/bin/env node
/**
 * The captured WebGPU engine (src/engine/capture) beside onnxruntime-node's own paths, PP-OCRv4 det at
 * 1x3x736x1280, one process per variant: run() latency, a per-call breakdown, correctness on every
 * image (DB boxes against the fp32 CPU reference, and output bytes against the same graph uncaptured),
 * and the whole pipeline's images/s. Usage (see bench/NOTES.md for the GPU host):
 *   node bench/gpu/capture.js --images DIR [--out FILE.json] [--quick] [--only a,b]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const dist = path.resolve(__dirname, '../../dist');
const ort = require('onnxruntime-node');
const { PPOCRV4_DET } = require(`${dist}/models`);
const { decodeImage, resizeRgb, targetSize } = require(`${dist}/image`);
const io = require(`${dist}/engine/io`);
const { CapturedEngine, buildEngine } = require(`${dist}/engine`);
const { measure } = require(`${dist}/bench/measure`);
const { dbPostprocess } = require(`${dist}/postprocess`);
const common = require('./common');
const { log, round, statsRow: stats, sameBoxes } = common;

const args = process.argv.slice(2);
const flag = (name, dflt) => common.flag(args, name, dflt);
const quick = args.includes('--quick');
const imagesDir = flag('images', '../shared/data/ic15_train_mmocr10/images');
const outFile = flag('out', `bench/gpu/results/capture-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '')}.json`);
const refFile = path.join(os.tmpdir(), 'detbench-capture-ref.json');
const W = 1280, H = 736;
// --provider cpu runs the captured variants' three graphs on the CPU, uncaptured (a dry run without a GPU).
const cpuDry = flag('provider', 'webgpu') === 'cpu';
const timing = quick ? { warmupMs: 300, warmupIterations: 5, durationMs: 1000, iterations: 20 } : { warmupMs: 1000, warmupIterations: 10, durationMs: 3000, iterations: 50 };
const NOVALID = { name: 'webgpu', preferredLayout: 'NHWC', validationMode: 'disabled' };

const VARIANTS = {
  'cpu-fp32': { kind: 'ort', ep: 'cpu', input: 'float32', output: 'float32' },
  'webgpu-fp32': { kind: 'ort', ep: { name: 'webgpu' }, input: 'float32', output: 'float32' },
  'webgpu-u8in-u8out': { kind: 'ort', ep: NOVALID, input: 'packed-nhwc', output: 'packed-uint8' },
  'threegraph-uncaptured': { kind: 'captured', capture: false, input: 'packed-nhwc', output: 'packed-uint8' },
  'captured-u8in-u8out': { kind: 'captured', capture: true, input: 'packed-nhwc', output: 'packed-uint8' },
  // The `webgpu` engine variant: detbench's dispatch rewrites (src/engine/fuse.ts), 330 -> 187 nodes.
  'webgpu-fused-u8in-u8out': { kind: 'ort', ep: NOVALID, input: 'packed-nhwc', output: 'packed-uint8', engine: 'webgpu' },
  'captured-fused': { kind: 'captured', capture: true, input: 'packed-nhwc', output: 'packed-uint8', engine: 'webgpu' },
  // onnxruntime's own upload (a staging buffer per run) instead of Dawn's queue.writeBuffer (engine/capture/dawn.ts).
  'captured-fused-ortupload': { kind: 'captured', capture: true, input: 'packed-nhwc', output: 'packed-uint8', engine: 'webgpu', upload: 'onnxruntime' },
  'captured-u8in-u8out-ortupload': { kind: 'captured', capture: true, input: 'packed-nhwc', output: 'packed-uint8', upload: 'onnxruntime' },
  'captured-fused-nchw': { kind: 'captured', capture: true, input: 'packed-nhwc', output: 'packed-uint8', engine: 'webgpu', layout: 'NCHW' },
  'captured-u8in-u8out-pending1024': { kind: 'captured', capture: true, input: 'packed-nhwc', output: 'packed-uint8', providerOptions: { maxNumPendingDispatches: '1024' } },
  'captured-u8in-u8out-pending256': { kind: 'captured', capture: true, input: 'packed-nhwc', output: 'packed-uint8', providerOptions: { maxNumPendingDispatches: '256' } },
  'threegraph-uncaptured-pending1024': { kind: 'captured', capture: false, input: 'packed-nhwc', output: 'packed-uint8', providerOptions: { maxNumPendingDispatches: '1024' } },
  'captured-u8in-u8out-norobust': { kind: 'captured', capture: true, input: 'packed-nhwc', output: 'packed-uint8', providerOptions: { enableRobustness: '0' } },
  'captured-f32in-f32out': { kind: 'captured', capture: true, input: 'float32', output: 'float32' },
  'captured-u8in-f32out': { kind: 'captured', capture: true, input: 'packed-nhwc', output: 'float32' },
};

async function images() {
  const files = fs.readdirSync(imagesDir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().map((f) => path.join(imagesDir, f));
  const out = [];
  for (const f of files) out.push({ file: path.basename(f), src: await decodeImage(f) });
  return out;
}

/** One variant in this process: returns its row. */
async function child(name) {
  const v = VARIANTS[name];
  const spec = PPOCRV4_DET.input;
  const imgs = await images();
  const fixed = await Promise.all(imgs.map(async (i) => ({ ...i, img: await resizeRgb(i.src, W, H) })));
  const row = { variant: name, ...v, ep: typeof v.ep === 'object' ? JSON.stringify(v.ep) : v.ep };
  const model = v.engine ? (await buildEngine({ variant: v.engine })).modelPath : PPOCRV4_DET.path();
  const t0 = performance.now();
  let runner; // { feedImage(img), run(), map(): Float32Array, bytes(): Buffer, close() }
  if (v.kind === 'ort') {
    const bytes = v.input === 'float32' && v.output === 'float32' ? fs.readFileSync(model) : Buffer.from(io.transformIoFile(model, { input: v.input, output: v.output }));
    const s = await ort.InferenceSession.create(bytes, { executionProviders: [v.ep], graphOptimizationLevel: 'all' });
    let feed, out;
    runner = {
      feedImage: (img) => { feed = io.imageFeed(v.input, img, spec); },
      run: async () => { out = (await s.run({ [s.inputNames[0]]: feed }))[s.outputNames[0]]; return out.data.length; },
      map: () => io.readProbability(out, v.output).data,
      bytes: () => Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength),
      close: () => s.release(),
    };
  } else {
    const eng = CapturedEngine.create(model, { shape: [1, H, W], input: v.input, output: v.output, capture: v.capture && !cpuDry, providerOptions: v.providerOptions, ...(v.layout ? { layout: v.layout } : {}), ...(v.upload ? { upload: v.upload } : {}), provider: cpuDry ? 'cpu' : 'webgpu' });
    runner = {
      feedImage: (img) => eng.feed(io.imageFeed(v.input, img, spec)),
      run: () => { eng.run(); return eng.output.length; },
      map: () => io.readProbability(eng.outputTensor(), v.output).data,
      bytes: () => Buffer.from(eng.output),
      close: () => eng.dispose(),
      eng,
    };
    row.upload_path = eng.uploadPath;
  }
  row.create_ms = round(performance.now() - t0, 1);
  // Correctness on every image, in order, then image 0 again (a stale replay would repeat the last image).
  const ref = name === 'cpu-fp32' ? null : JSON.parse(fs.readFileSync(refFile, 'utf8'));
  const found = [];
  let identical = 0;
  const hashes = [];
  for (const [i, im] of [...fixed, fixed[0]].entries()) {
    runner.feedImage(im.img);
    await runner.run();
    const boxes = dbPostprocess({ data: runner.map(), width: W, height: H }, { srcWidth: W, srcHeight: H });
    const k = i % fixed.length;
    found.push(boxes);
    if (ref && sameBoxes(boxes, ref.boxes[k])) identical++;
    hashes.push(crypto.createHash('sha1').update(runner.bytes()).digest('hex').slice(0, 12));
  }
  if (name === 'cpu-fp32') fs.writeFileSync(refFile, JSON.stringify({ boxes: found.slice(0, fixed.length) }));
  row.images = fixed.length;
  row.boxes_identical = ref ? `${identical}/${fixed.length + 1}` : 'reference';
  row.repeat_same_bytes = hashes[0] === hashes[hashes.length - 1];
  row.output_hashes = hashes.slice(0, fixed.length);
  // run(): input already in place (host tensor / bound host buffer), output readable on the host.
  runner.feedImage(fixed[0].img);
  const m = await measure(async () => { await runner.run(); }, timing);
  row.run = stats(m.total);
  if (runner.eng) {
    const parts = { upload_ms: [], prologue_ms: [], core_ms: [], readback_ms: [] };
    for (let i = 0; i < (quick ? 50 : 200); i++) { const t = runner.eng.runTimed(); for (const k of Object.keys(parts)) parts[k].push(t[k]); }
    row.stages_p50_ms = Object.fromEntries(Object.entries(parts).map(([k, xs]) => [k, stats(xs).p50_ms]));
  }
  // End to end: resized RGB bytes → input → run → float32 probability map on the host.
  const e2e = await measure(async () => { runner.feedImage(fixed[0].img); await runner.run(); runner.map(); }, timing);
  row.e2e = stats(e2e.total);
  // The whole pipeline on every image at PaddleOCR's resize (limit 960) for ~3 s: images/s.
  {
    const sizes = new Set(imgs.map((i) => JSON.stringify(targetSize(i.src.width, i.src.height, PPOCRV4_DET.resize))));
    if (sizes.size === 1 && v.kind === 'captured') {
      const { width, height } = JSON.parse([...sizes][0]);
      runner.close();
      const eng = CapturedEngine.create(model, { shape: [1, height, width], input: v.input, output: v.output, capture: v.capture && !cpuDry, providerOptions: v.providerOptions, ...(v.layout ? { layout: v.layout } : {}), ...(v.upload ? { upload: v.upload } : {}), provider: cpuDry ? 'cpu' : 'webgpu' });
      const t = performance.now(); let n = 0;
      while (performance.now() - t < (quick ? 1000 : 3000)) {
        for (const f of fs.readdirSync(imagesDir).filter((x) => /\.(jpe?g|png)$/i.test(x)).sort()) {
          const src = await decodeImage(path.join(imagesDir, f));
          eng.feed(io.imageFeed(v.input, await resizeRgb(src, width, height), spec));
          eng.run();
          dbPostprocess({ data: io.readProbability(eng.outputTensor(), v.output).data, width, height }, { srcWidth: src.width, srcHeight: src.height });
          n++;
        }
      }
      row.pipeline = { shape: [height, width], images_per_s: round((n * 1000) / (performance.now() - t), 1) };
      eng.dispose();
      runner = null;
    }
  }
  if (runner) await runner.close();
  log(`${name.padEnd(24)} run p50 ${row.run.p50_ms.toFixed(2).padStart(7)} ms  e2e p50 ${row.e2e.p50_ms.toFixed(2).padStart(7)} ms  boxes identical ${row.boxes_identical}  ${row.stages_p50_ms ? JSON.stringify(row.stages_p50_ms) : ''}${row.pipeline ? ` pipeline ${row.pipeline.images_per_s} img/s` : ''}`);
  return row;
}

async function main() {
  const only = flag('variant', '');
  if (only) { console.log(JSON.stringify(await child(only))); return; }
  const names = flag('only', '') ? ['cpu-fp32', ...flag('only').split(',').filter((n) => n !== 'cpu-fp32')] : Object.keys(VARIANTS);
  const environment = { date: new Date().toISOString(), node: process.version, ort: require('onnxruntime-node/package.json').version, cpu: os.cpus()[0]?.model, cores: os.cpus().length, gpu: process.env.GPU_NAME ?? 'unknown' };
  const rows = [];
  for (const name of names) {
    const r = spawnSync(process.execPath, [__filename, ...args, '--variant', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000, maxBuffer: 64 << 20 });
    const last = (r.stdout || '').trim().split('\n').pop();
    try { rows.push(JSON.parse(last)); } catch { rows.push({ variant: name, error: `child exited ${r.status ?? r.signal}` }); log(`${name}: FAILED (exit ${r.status ?? r.signal})`); }
  }
  const plain = rows.find((r) => r.variant === 'threegraph-uncaptured');
  for (const r of rows) if (plain?.output_hashes && r.output_hashes && r.output === plain.output && r.input === plain.input) r.bytes_identical_to_uncaptured = r.output_hashes.every((h, i) => h === plain.output_hashes[i]);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify({ environment, shape: [1, 3, H, W], timing, rows }, null, 1));
  log(`wrote ${outFile}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
