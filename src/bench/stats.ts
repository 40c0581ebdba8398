/**
 * Summary statistics of latency samples, as trtexec reports them: min, mean, median, p90/p95/p99,
 * standard deviation, coefficient of variation and throughput.
 */
import { InputError } from '../core';
import { quantileSorted } from '../stats/bootstrap';

export interface LatencyStats {
  /** Number of timed samples. */
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p90: number;
  p95: number;
  p99: number;
  /** Sample standard deviation (n - 1). */
  std: number;
  /** Coefficient of variation, std / mean. */
  cov: number;
  /** Runs per second at the mean latency (1000 / mean for millisecond samples). */
  throughput: number;
}

/**
 * The q-th percentile (0..100) of sorted values, linearly interpolated between closest ranks
 * (numpy's default), so p50 of [1, 2] is 1.5.
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new InputError('percentile of no samples', { fix: 'time at least one iteration' });
  return quantileSorted(sorted, q / 100);
}

/** Statistics of millisecond samples. Does not modify `samples`. */
export function summarize(samples: readonly number[]): LatencyStats {
  if (samples.length === 0) throw new InputError('Cannot summarise zero samples', { fix: 'run at least one timed iteration' });
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  const std = Math.sqrt(variance);
  return {
    n,
    min: sorted[0],
    max: sorted[n - 1],
    mean,
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    std,
    cov: mean > 0 ? std / mean : 0,
    throughput: mean > 0 ? 1000 / mean : 0,
  };
}
