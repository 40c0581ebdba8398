/**
 * Engine variants side by side on this machine: build time, size, numerical error against fp32,
 * detection agreement with fp32 (IoU protocol, fp32 boxes as ground truth), CLEval HMean against the
 * dataset's ground truth, and inference latency at 1x3x736x1280 with the same thread count.
 *
 * Latency runs are interleaved (fp32, int8, fp32, int8, …) so that load from other processes on a
 * shared machine hits every variant alike; the medians and their ratio are reported.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { silentLogger, type DetBox } from '../src/core';
import { buildEngine, emulateFp16, numericalCheck, type Engine, type NumericalReport, type Variant } from '../src/engine';
import { loadOnnx, saveOnnx } from '../src/onnx/model';
import { evaluateCleval, evaluateIou, detSample, readSubmission } from '../src/eval';
import { decodeImage } from '../src/image';
import { PPOCRV4_DET } from '../src/models';
import { Detector } from '../src/pipeline';
import { fixed } from '../src/profiles';

const IC15 = path.resolve(__dirname, '..', '..', 'shared', 'data', 'ic15_train_mmocr10');
/** Dataset scored (images/ + gt/); int8 is always calibrated on IC15, so another set is held out. */
const DATA = process.env.DETBENCH_ENGINE_DATA ? path.resolve(process.env.DETBENCH_ENGINE_DATA) : IC15;
const SHAPE = { width: 1280, height: 736 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function detectAll(engine: Engine, images: string[], threads: number): Promise<Map<string, DetBox[]>> {
  const det = await Detector.create({ modelFile: engine.modelPath, threads }, silentLogger);
  try {
    const out = new Map<string, DetBox[]>();
    for (const img of images) out.set(path.basename(img, path.extname(img)), (await det.detect(img)).boxes);
    return out;
  } finally {
    await det.dispose();
  }
}

export async function run(opts: { quick: boolean }): Promise<{ name: string; rows: Record<string, unknown>[]; notes?: string[] }> {
  const threads = Math.min(os.cpus().length, 2);
  const imageDir = path.join(DATA, 'images');
  if (!fs.existsSync(imageDir)) return { name: 'engine', rows: [], notes: [`skipped: ${imageDir} is missing`] };
  const collator = new Intl.Collator('en', { numeric: true });
  const images = fs.readdirSync(imageDir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort(collator.compare).map((f) => path.join(imageDir, f));
  const variants: { label: string; variant: Variant; options?: Record<string, unknown> }[] = [
    { label: 'fp32', variant: 'fp32' },
    { label: 'fp32-optimized', variant: 'fp32-optimized' },
    { label: 'fp16', variant: 'fp16' },
    { label: 'int8 (minmax)', variant: 'int8', options: { calibrationMethod: 'minmax' } },
    ...(opts.quick ? [] : [
      { label: 'int8 (percentile)', variant: 'int8' as Variant, options: { calibrationMethod: 'percentile' } },
      { label: 'int8 (entropy)', variant: 'int8' as Variant, options: { calibrationMethod: 'entropy' } },
    ]),
  ];
  const calibrationSize = opts.quick ? 4 : 10;
  const engines: Engine[] = [];
  for (const v of variants) {
    engines.push(await buildEngine({ variant: v.variant, calibration: IC15, calibrationSize, ...v.options }, silentLogger));
  }

  // Accuracy: fp32 detections are the reference; CLEval against the dataset's ground truth.
  const evalImages = opts.quick ? images.slice(0, 4) : images;
  const gt = readSubmission(path.join(DATA, 'gt')).filter((s) => evalImages.some((i) => path.basename(i, path.extname(i)) === s.name));
  const detections: Map<string, DetBox[]>[] = [];
  for (const e of engines) detections.push(await detectAll(e, evalImages, threads));
  // The CPU provider runs most fp16 ops in float32 behind Casts; the emulation rounds every activation
  // to half as a GPU would, so its detections are the better estimate of fp16 on WebGPU.
  const fp16 = engines.find((e) => e.variant === 'fp16');
  const emulatedFile = path.join(os.tmpdir(), `detbench-fp16-emulated-${process.pid}.onnx`);
  if (fp16) {
    const m = loadOnnx(fp16.source.path);
    emulateFp16(m, fp16.buildOptions.block as string[]);
    fs.writeFileSync(emulatedFile, saveOnnx(m));
    detections.push(await detectAll({ ...fp16, modelPath: emulatedFile }, evalImages, threads));
    fs.rmSync(emulatedFile, { force: true });
  }
  const samples = detections.map((d) => [...d].map(([name, boxes]) => detSample(name, boxes)));
  const refAsGt = samples[0].map((s) => ({ ...s, boxes: s.boxes.map((b) => ({ ...b, transcription: '' })) }));
  const cleval = samples.map((s) => evaluateCleval(gt, s).det.hmean);
  const iou = samples.map((s) => evaluateIou(refAsGt, s).det.hmean);
  const checks: NumericalReport[] = [];
  for (const e of engines) checks.push(await numericalCheck(e, evalImages.slice(0, opts.quick ? 2 : 4), { threads }, silentLogger));

  // Latency: a real image letterboxed into 1x3x736x1280, interleaved runs, same thread count.
  const prepared = await fixed(await decodeImage(images[0]), { model: PPOCRV4_DET, fixed: { ...SHAPE, mode: 'letterbox' } });
  const x = new ort.Tensor('float32', prepared.tensor.data, prepared.tensor.dims);
  const sessions: ort.InferenceSession[] = [];
  for (const e of engines) sessions.push(await ort.InferenceSession.create(e.modelPath, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' }));
  const times: number[][] = sessions.map(() => []);
  for (const s of sessions) for (let i = 0; i < 2; i++) await s.run({ [s.inputNames[0]]: x });
  const rounds = opts.quick ? 5 : 15;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < sessions.length; k++) {
      const t0 = performance.now();
      await sessions[k].run({ [sessions[k].inputNames[0]]: x });
      times[k].push(performance.now() - t0);
    }
  }
  for (const s of sessions) await s.release();
  const ref = median(times[0]);
  const rows: Record<string, unknown>[] = engines.map((e, k) => ({
    variant: variants[k].label,
    buildS: +(e.buildMs / 1000).toFixed(1),
    cached: e.cacheHit,
    sizeMB: +(e.sizeBytes / 1e6).toFixed(2),
    maxAbs: +checks[k].outputs[0].maxAbs.toFixed(4),
    meanAbs: +checks[k].outputs[0].meanAbs.toExponential(2),
    flipPct: +(checks[k].outputs[0].flipRate * 100).toFixed(3),
    iouHmeanVsFp32: +(iou[k] * 100).toFixed(2),
    clevalHmean: +(cleval[k] * 100).toFixed(2),
    clevalDeltaPts: +((cleval[k] - cleval[0]) * 100).toFixed(2),
    latencyMs: +median(times[k]).toFixed(1),
    speedup: +(ref / median(times[k])).toFixed(2),
  }));
  if (fp16) {
    const k = samples.length - 1;
    const base = rows.find((r) => r.variant === 'fp16')!;
    rows.push({
      ...base, variant: 'fp16 (half activations, emulated)', buildS: 0, cached: false, sizeMB: 0,
      iouHmeanVsFp32: +(iou[k] * 100).toFixed(2), clevalHmean: +(cleval[k] * 100).toFixed(2), clevalDeltaPts: +((cleval[k] - cleval[0]) * 100).toFixed(2),
      latencyMs: undefined, speedup: undefined,
    });
  }
  return {
    name: 'engine',
    rows,
    notes: [
      `latency: median of ${rounds} interleaved runs per variant at 1x3x${SHAPE.height}x${SHAPE.width}, ${threads} intra-op threads, onnxruntime-node CPU provider, load average ${os.loadavg()[0].toFixed(1)}`,
      `accuracy: ${evalImages.length} images of ${path.basename(DATA)} at the model's resize policy; int8 calibrated on the first ${calibrationSize} images of ${path.basename(IC15)}${DATA === IC15 ? ' (the same images: set DETBENCH_ENGINE_DATA to score a held-out set)' : ' (held out)'}`,
      'maxAbs / meanAbs / flipPct: probability-map differences vs fp32 (flip = other side of the 0.3 binarisation threshold); for fp16 measured on the half-activation emulation',
      'fp16 row: the fp16 file on the CPU provider (which runs most ops in float32 behind Casts); the emulated row rounds every activation to half, as a GPU computing in fp16 would',
      'iouHmeanVsFp32: ICDAR15 IoU protocol with the fp32 detections as ground truth (100 = identical boxes); clevalHmean: CLEval detection HMean against the dataset GT',
    ],
  };
}
