/**
 * Activation ranges for static quantization. The float model is run on calibration images with the
 * tensors of interest exposed as extra graph outputs; each tensor's range is then chosen by one of
 * three methods:
 *
 *   minmax      the observed min and max (no clipping; outliers widen the step)
 *   percentile  the value at `percentile` (and 100 - `percentile`) of the pooled histogram
 *   entropy     the clipping threshold minimising the KL divergence between the float histogram and
 *               its quantized version (TensorRT's calibration algorithm)
 */
import * as ort from 'onnxruntime-node';
import { onnx, saveOnnx } from '../onnx/model';

export const CALIBRATION_METHODS = ['minmax', 'percentile', 'entropy'] as const;
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number];

export interface CalibrationSettings {
  /** @default 'minmax' */
  method: CalibrationMethod;
  /** Percentile kept by the `percentile` method, per tail. @default 99.99 */
  percentile: number;
  /** Histogram bins for `percentile` and `entropy`. @default 2048 */
  bins: number;
  /** CPU threads for the calibration runs; 0 = all cores. @default 0 */
  threads: number;
}

export const DEFAULT_CALIBRATION_SETTINGS: CalibrationSettings = { method: 'minmax', percentile: 99.99, bins: 2048, threads: 0 };

/** [min, max] per tensor name; min <= 0 <= max always holds so that 0 is exactly representable. */
export type Ranges = Map<string, [number, number]>;

/** A model copy whose graph outputs also list `names`, for calibration runs. */
function withExtraOutputs(model: onnx.IModelProto, names: string[]): Uint8Array {
  const copy = onnx.ModelProto.decode(saveOnnx(model));
  const existing = new Set(copy.graph!.output!.map((o) => o.name));
  for (const name of names) if (!existing.has(name)) copy.graph!.output!.push(onnx.ValueInfoProto.create({ name }));
  return saveOnnx(copy);
}

function minMax(data: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Value at cumulative fraction `q` of a histogram over [lo, hi]. */
function quantile(hist: Float64Array, lo: number, hi: number, q: number): number {
  const total = hist.reduce((a, b) => a + b, 0);
  const width = (hi - lo) / hist.length;
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i];
    if (acc >= q * total) return lo + (i + 1) * width;
  }
  return hi;
}

/**
 * KL-divergence threshold over a histogram of |x| (bins over [0, maxAbs]) for `levels` quantized
 * levels. Candidate thresholds are tried every `stride` bins to keep the search fast.
 */
export function entropyThreshold(hist: Float64Array, maxAbs: number, levels: number, stride = 8): number {
  const n = hist.length;
  let best = n;
  let bestKl = Infinity;
  for (let i = levels; i <= n; i += stride) {
    const p = Array.from(hist.subarray(0, i));
    let outliers = 0;
    for (let j = i; j < n; j++) outliers += hist[j];
    p[i - 1] += outliers;
    // Quantize the first i bins into `levels` bins, then expand back over the non-empty source bins.
    const q = new Float64Array(i);
    const per = i / levels;
    for (let k = 0; k < levels; k++) {
      const start = Math.floor(k * per);
      const end = k === levels - 1 ? i : Math.floor((k + 1) * per);
      let sum = 0;
      let nonzero = 0;
      for (let j = start; j < end; j++) {
        sum += hist[j];
        if (hist[j] > 0) nonzero++;
      }
      for (let j = start; j < end; j++) if (hist[j] > 0) q[j] = sum / nonzero;
    }
    const pSum = p.reduce((a, b) => a + b, 0);
    const qSum = q.reduce((a, b) => a + b, 0);
    if (pSum === 0 || qSum === 0) continue;
    let kl = 0;
    for (let j = 0; j < i; j++) {
      if (p[j] === 0) continue;
      const pj = p[j] / pSum;
      const qj = q[j] / qSum;
      kl += qj > 0 ? pj * Math.log(pj / qj) : pj * 20; // an empty quantized bin under mass: heavy penalty
    }
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
  }
  return (best / n) * maxAbs;
}

/**
 * Runs the float `model` on each feed and returns a range per tensor in `names`.
 * `onImage` is called after each image of each pass (percentile and entropy take two passes).
 */
export async function collectRanges(
  model: onnx.IModelProto,
  names: string[],
  feeds: Record<string, ort.Tensor>[],
  settings: CalibrationSettings,
  onImage?: (pass: number, done: number, total: number) => void,
): Promise<Ranges> {
  const session = await ort.InferenceSession.create(withExtraOutputs(model, names), {
    graphOptimizationLevel: 'basic',
    ...(settings.threads > 0 ? { intraOpNumThreads: settings.threads, interOpNumThreads: 1 } : {}),
  });
  const observed = new Map<string, [number, number]>(names.map((n) => [n, [Infinity, -Infinity]]));
  try {
    for (let i = 0; i < feeds.length; i++) {
      const out = await session.run(feeds[i], names);
      for (const name of names) {
        const [lo, hi] = minMax(out[name].data as Float32Array);
        const r = observed.get(name)!;
        r[0] = Math.min(r[0], lo);
        r[1] = Math.max(r[1], hi);
      }
      onImage?.(1, i + 1, feeds.length);
    }
    const ranges: Ranges = new Map();
    if (settings.method === 'minmax') {
      for (const [name, [lo, hi]] of observed) ranges.set(name, [Math.min(lo, 0), Math.max(hi, 0)]);
      return ranges;
    }
    // Second pass: histograms, over [min, max] (percentile) or over [0, max |x|] (entropy).
    const hists = new Map(names.map((n) => [n, new Float64Array(settings.bins)]));
    for (let i = 0; i < feeds.length; i++) {
      const out = await session.run(feeds[i], names);
      for (const name of names) {
        const [lo, hi] = observed.get(name)!;
        const data = out[name].data as Float32Array;
        const h = hists.get(name)!;
        const bins = settings.bins;
        if (settings.method === 'percentile') {
          const k = hi > lo ? bins / (hi - lo) : 0;
          for (let j = 0; j < data.length; j++) h[Math.min(bins - 1, Math.floor((data[j] - lo) * k))]++;
        } else {
          const m = Math.max(Math.abs(lo), Math.abs(hi));
          const k = m > 0 ? bins / m : 0;
          for (let j = 0; j < data.length; j++) h[Math.min(bins - 1, Math.floor(Math.abs(data[j]) * k))]++;
        }
      }
      onImage?.(2, i + 1, feeds.length);
    }
    for (const [name, [lo, hi]] of observed) {
      const h = hists.get(name)!;
      let r: [number, number];
      if (settings.method === 'percentile') {
        const tail = 1 - settings.percentile / 100;
        r = [lo >= 0 ? lo : quantile(h, lo, hi, tail), quantile(h, lo, hi, 1 - tail)];
      } else {
        const m = Math.max(Math.abs(lo), Math.abs(hi));
        // A one-signed tensor uses all 256 uint8 levels on its side; a two-signed one about half.
        const t = entropyThreshold(h, m, lo >= 0 ? 256 : 128);
        r = [Math.max(lo, -t), Math.min(hi, t)];
      }
      ranges.set(name, [Math.min(r[0], 0), Math.max(r[1], 0)]);
    }
    return ranges;
  } finally {
    await session.release();
  }
}
