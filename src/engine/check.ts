/**
 * Numerical check of an engine against the fp32 reference on real images: per output, the largest
 * absolute difference, that difference relative to the reference's range, the mean absolute
 * difference, and the share of pixels that land on the other side of the binarisation threshold
 * (what actually changes boxes).
 */
import * as ort from 'onnxruntime-node';
import { defaultLogger, errorText, integerIn, numberIn, oneOf, withDefaults, type Logger } from '../core';
import { decodeImage, toTensor } from '../image';
import { resolveModel, type ModelSpec, type ResizePolicy } from '../models';
import { loadOnnx, saveOnnx } from '../onnx/model';
import { emulateFp16 } from './fp16';
import type { EngineManifest } from './options';

export interface NumericalCheckOptions {
  /** Longest image side (resize policy `max`); undefined = the model's policy. @default undefined */
  side: number | undefined;
  /** Probability threshold whose crossings are counted (DB's binarisation threshold). @default 0.3 */
  threshold: number;
  /** CPU threads, 0 = all cores. @default 0 */
  threads: number;
  /**
   * fp16 engines: `emulate` runs a float32 twin with half weights and every activation rounded to
   * half (what a GPU computes); `engine` runs the fp16 file on the CPU provider, which loads it but
   * falls back to float32 kernels behind inserted Casts for most ops (so it mostly measures weight
   * rounding). @default 'emulate'
   */
  fp16: 'emulate' | 'engine';
}

export const DEFAULT_NUMERICAL_CHECK_OPTIONS: NumericalCheckOptions = { side: undefined, threshold: 0.3, threads: 0, fp16: 'emulate' };

export interface OutputError {
  name: string;
  maxAbs: number;
  /** maxAbs divided by the largest |reference| value of that output. */
  maxRel: number;
  meanAbs: number;
  /** Share of elements on the other side of `threshold` than in the reference. */
  flipRate: number;
}

export interface NumericalReport {
  variant: string;
  images: number;
  /** Where the engine ran: 'cpu', or 'cpu (fp16 emulated)' for an fp16 engine checked through its float32 twin. */
  ranOn: string;
  outputs: OutputError[];
  perImage: { image: string; shape: number[]; maxAbs: number }[];
}

/** The registered spec of an engine's source (its preprocessing), else the default's for its file. */
function modelSpecOf(source: EngineManifest['source']): ModelSpec {
  try {
    return resolveModel(source.model);
  } catch {
    return resolveModel(source.path);
  }
}

/** Runs `engine` and its fp32 source on `images` and compares every output. */
export async function numericalCheck(
  engine: Pick<EngineManifest, 'variant' | 'source'> & Partial<Pick<EngineManifest, 'buildOptions'>> & { modelPath: string },
  images: string[],
  options: Partial<NumericalCheckOptions> = {},
  logger: Logger = defaultLogger(),
): Promise<NumericalReport> {
  const o = withDefaults('numerical check options', DEFAULT_NUMERICAL_CHECK_OPTIONS, options);
  numberIn('threshold', o.threshold, 0, 1);
  oneOf('fp16', o.fp16, ['emulate', 'engine'] as const);
  integerIn('threads', o.threads, 0, 1024);
  const spec = modelSpecOf(engine.source);
  const policy: ResizePolicy = o.side ? { ...spec.resize, limitType: 'max', limitSideLen: o.side } : spec.resize;
  const sessionOptions: ort.InferenceSession.SessionOptions = o.threads > 0 ? { intraOpNumThreads: o.threads, interOpNumThreads: 1 } : {};
  const reference = await ort.InferenceSession.create(engine.source.path, sessionOptions);
  let ranOn = 'cpu';
  let candidate: ort.InferenceSession;
  const emulate = async (): Promise<ort.InferenceSession> => {
    const m = loadOnnx(engine.source.path);
    const block = engine.buildOptions?.block;
    emulateFp16(m, Array.isArray(block) ? (block as string[]) : undefined);
    ranOn = 'cpu (fp16 emulated)';
    return ort.InferenceSession.create(saveOnnx(m), sessionOptions);
  };
  if (engine.variant === 'fp16' && o.fp16 === 'emulate') {
    candidate = await emulate();
  } else {
    try {
      candidate = await ort.InferenceSession.create(engine.modelPath, sessionOptions);
    } catch (err) {
      if (engine.variant !== 'fp16') throw err;
      logger.warn(`fp16 engine does not load on this CPU (${errorText(err).split('\n')[0]}); checking its float32 emulation`);
      candidate = await emulate();
    }
  }
  const acc = new Map<string, { maxAbs: number; refMax: number; sumAbs: number; n: number; flips: number }>();
  const perImage: NumericalReport['perImage'] = [];
  try {
    for (const image of images) {
      const t = await toTensor(await decodeImage(image), spec.input, policy);
      const feed = { [reference.inputNames[0]]: new ort.Tensor('float32', t.data, t.dims) };
      const a = await reference.run(feed);
      const b = await candidate.run({ [candidate.inputNames[0]]: feed[reference.inputNames[0]] });
      let imageMax = 0;
      for (const name of reference.outputNames) {
        const x = a[name].data as Float32Array;
        const y = b[name].data as Float32Array;
        const s = acc.get(name) ?? { maxAbs: 0, refMax: 0, sumAbs: 0, n: 0, flips: 0 };
        for (let i = 0; i < x.length; i++) {
          const d = Math.abs(x[i] - y[i]);
          if (d > s.maxAbs) s.maxAbs = d;
          if (Math.abs(x[i]) > s.refMax) s.refMax = Math.abs(x[i]);
          s.sumAbs += d;
          if (x[i] > o.threshold !== y[i] > o.threshold) s.flips++;
          if (d > imageMax) imageMax = d;
        }
        s.n += x.length;
        acc.set(name, s);
      }
      perImage.push({ image, shape: [...t.dims], maxAbs: imageMax });
    }
  } finally {
    await reference.release();
    await candidate.release();
  }
  return {
    variant: engine.variant,
    images: images.length,
    ranOn,
    outputs: [...acc].map(([name, s]) => ({
      name, maxAbs: s.maxAbs, maxRel: s.refMax > 0 ? s.maxAbs / s.refMax : 0, meanAbs: s.sumAbs / Math.max(1, s.n), flipRate: s.flips / Math.max(1, s.n),
    })),
    perImage,
  };
}
