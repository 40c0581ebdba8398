/**
 * Paired bootstrap confidence interval on the HMean difference between two detectors scored on the
 * same images. Images are resampled with replacement (the same draw for both detectors, which is
 * what "paired" means), and the overall HMean is recomputed from the summed counts of each draw,
 * exactly as the metric computes it over the whole set — not as a mean of per-image HMeans.
 */
import { OptionError, integerIn, numberIn, withDefaults } from '../core';

/**
 * The counts behind one image's precision and recall: P = precisionNum / precisionDen,
 * R = recallNum / recallDen (matched vs total boxes for the IoU protocol; for CLEval, true-positive
 * characters minus the granularity penalty vs total characters).
 */
export interface PrCounts {
  recallNum: number;
  recallDen: number;
  precisionNum: number;
  precisionDen: number;
}

export interface BootstrapOptions {
  /** Number of resamples. @default 2000 */
  iterations: number;
  /** Confidence level of the interval. @default 0.95 */
  confidence: number;
  /** Seed of the resampling PRNG, so the interval is reproducible. @default 1 */
  seed: number;
}

export const DEFAULT_BOOTSTRAP_OPTIONS: BootstrapOptions = { iterations: 2000, confidence: 0.95, seed: 1 };

export interface BootstrapResult {
  /** Overall HMean of the reference and the candidate on all images. */
  reference: number;
  candidate: number;
  /** candidate − reference (HMean as a fraction; × 100 for points). */
  difference: number;
  /** Percentile interval of the resampled differences. */
  lower: number;
  upper: number;
  confidence: number;
  iterations: number;
  images: number;
  /** True when the interval excludes zero. */
  significant: boolean;
  /** One plain sentence, e.g. "no significant change at 95%". */
  verdict: string;
}

/**
 * Overall HMean from summed counts. Numerators are floored at 0 on the totals, as CLEval floors
 * "true positives minus granularity penalty". An empty denominator counts as perfect (nothing to
 * find, or nothing claimed), except precision with no detections while text exists, which is 0.
 */
export function hmeanOfCounts(c: PrCounts): number {
  const recall = c.recallDen > 0 ? Math.max(0, c.recallNum) / c.recallDen : 1;
  const precision = c.precisionDen > 0 ? Math.max(0, c.precisionNum) / c.precisionDen : c.recallDen > 0 ? 0 : 1;
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** mulberry32: a small, fast, seedable PRNG; Math.random cannot be seeded. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Linear-interpolation quantile of sorted values (q in [0, 1]). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function checkCounts(name: string, counts: PrCounts[]): void {
  counts.forEach((c, i) => {
    for (const k of ['recallNum', 'recallDen', 'precisionNum', 'precisionDen'] as const) {
      // Numerators may dip below 0 per image (CLEval subtracts granularity penalties); totals are floored.
      if (typeof c?.[k] !== 'number' || !Number.isFinite(c[k]) || (k.endsWith('Den') && c[k] < 0)) {
        throw new OptionError(`${name}[${i}].${k} must be a finite number${k.endsWith('Den') ? ' >= 0' : ''} but is ${JSON.stringify(c?.[k])}`, {
          subject: `${name}[${i}]`,
          fix: 'pass the per-image counts the metric reports (matched and total boxes or characters)',
        });
      }
    }
  });
}

function sumInto(acc: PrCounts, c: PrCounts): void {
  acc.recallNum += c.recallNum;
  acc.recallDen += c.recallDen;
  acc.precisionNum += c.precisionNum;
  acc.precisionDen += c.precisionDen;
}

const zero = (): PrCounts => ({ recallNum: 0, recallDen: 0, precisionNum: 0, precisionDen: 0 });

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** The verdict sentence for an interval on (candidate − reference). */
export function verdictOf(lower: number, upper: number, confidence: number): string {
  const at = `at ${percent(confidence)}`;
  const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;
  const ci = `(CI ${pts(lower)} to ${pts(upper)} HMean points)`;
  if (lower <= 0 && upper >= 0) return `no significant change ${at} ${ci}`;
  return upper < 0 ? `significant drop ${at} ${ci}` : `significant gain ${at} ${ci}`;
}

/**
 * Paired bootstrap of the overall HMean difference (candidate − reference). `reference[i]` and
 * `candidate[i]` must be the same image. Pure: the inputs are not modified.
 */
export function pairedBootstrapHmean(
  reference: PrCounts[],
  candidate: PrCounts[],
  options: Partial<BootstrapOptions> = {},
): BootstrapResult {
  const o = withDefaults('bootstrap options', DEFAULT_BOOTSTRAP_OPTIONS, options);
  integerIn('bootstrap options.iterations', o.iterations, 100, 1_000_000);
  numberIn('bootstrap options.confidence', o.confidence, 0.5, 0.999);
  if (reference.length !== candidate.length) {
    throw new OptionError(
      `Paired bootstrap needs the same images for both detectors, but reference has ${reference.length} and candidate ${candidate.length}`,
      { fix: 'score both detectors on the same image list, in the same order' },
    );
  }
  if (reference.length === 0) {
    throw new OptionError('Paired bootstrap needs at least one image, but got none', { fix: 'pass per-image counts for a non-empty dataset' });
  }
  checkCounts('reference', reference);
  checkCounts('candidate', candidate);
  const n = reference.length;
  const totalA = zero();
  const totalB = zero();
  for (let i = 0; i < n; i++) {
    sumInto(totalA, reference[i]);
    sumInto(totalB, candidate[i]);
  }
  const ref = hmeanOfCounts(totalA);
  const cand = hmeanOfCounts(totalB);
  const rand = seededRandom(o.seed);
  const diffs = new Float64Array(o.iterations);
  for (let it = 0; it < o.iterations; it++) {
    const a = zero();
    const b = zero();
    for (let k = 0; k < n; k++) {
      const i = Math.floor(rand() * n);
      sumInto(a, reference[i]);
      sumInto(b, candidate[i]);
    }
    diffs[it] = hmeanOfCounts(b) - hmeanOfCounts(a);
  }
  diffs.sort();
  const alpha = (1 - o.confidence) / 2;
  const lower = quantileSorted(diffs, alpha);
  const upper = quantileSorted(diffs, 1 - alpha);
  return {
    reference: ref,
    candidate: cand,
    difference: cand - ref,
    lower,
    upper,
    confidence: o.confidence,
    iterations: o.iterations,
    images: n,
    significant: lower > 0 || upper < 0,
    verdict: verdictOf(lower, upper, o.confidence),
  };
}
