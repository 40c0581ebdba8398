/**
 * The timing loop, in trtexec's manner: warm up for at least `warmupMs` and `warmupIterations`,
 * then time until both `durationMs` and `iterations` are reached (or `maxIterations`). Each call of
 * the timed function may report its own per-stage times; they are collected alongside the total.
 */
import { integerIn, numberIn, withDefaults } from '../core';

export interface MeasureOptions {
  /** Warm up for at least this many milliseconds. @default 200 */
  warmupMs: number;
  /** ... and at least this many calls. @default 3 */
  warmupIterations: number;
  /** Time for at least this many milliseconds. @default 3000 */
  durationMs: number;
  /** ... and at least this many calls. @default 10 */
  iterations: number;
  /** Stop after this many timed calls even if `durationMs` has not passed. @default 100000 */
  maxIterations: number;
}

export const DEFAULT_MEASURE_OPTIONS: MeasureOptions = {
  warmupMs: 200,
  warmupIterations: 3,
  durationMs: 3000,
  iterations: 10,
  maxIterations: 100_000,
};

/** What one call of the timed function may return: its own stage times in milliseconds. */
export type StageTimes = Record<string, number> | void;

export interface Measurement {
  /** Wall time of each timed call, ms. */
  total: number[];
  /** Per-stage samples, one per timed call, for the stages the function reported. */
  stages: Record<string, number[]>;
  /** Wall time of each warm-up call, ms; the first one includes compilation and allocation. */
  warmup: number[];
  /** Wall time of the whole timed phase, ms (throughput = total.length / this). */
  elapsedMs: number;
}

/**
 * Times `fn` (awaited) with warm-up. `onTick` is called after each timed call (for a progress bar).
 */
export async function measure(
  fn: (iteration: number) => Promise<StageTimes> | StageTimes,
  options: Partial<MeasureOptions> = {},
  onTick?: (done: number, elapsedMs: number) => void,
): Promise<Measurement> {
  const o = withDefaults('measure options', DEFAULT_MEASURE_OPTIONS, options);
  numberIn('warmupMs', o.warmupMs, 0);
  integerIn('warmupIterations', o.warmupIterations, 0);
  numberIn('durationMs', o.durationMs, 0);
  integerIn('iterations', o.iterations, 1);
  integerIn('maxIterations', o.maxIterations, o.iterations);
  const warmup: number[] = [];
  const w0 = performance.now();
  while (warmup.length < o.warmupIterations || performance.now() - w0 < o.warmupMs) {
    const t = performance.now();
    await fn(-1 - warmup.length);
    warmup.push(performance.now() - t);
    if (warmup.length >= 10_000) break;
  }
  const total: number[] = [];
  const stages: Record<string, number[]> = {};
  const t0 = performance.now();
  while ((total.length < o.iterations || performance.now() - t0 < o.durationMs) && total.length < o.maxIterations) {
    const t = performance.now();
    const s = await fn(total.length);
    total.push(performance.now() - t);
    if (s) for (const [k, v] of Object.entries(s)) (stages[k] ??= []).push(v);
    onTick?.(total.length, performance.now() - t0);
  }
  return { total, stages, warmup, elapsedMs: performance.now() - t0 };
}
