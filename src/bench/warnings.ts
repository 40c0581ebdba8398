/**
 * When a figure cannot be trusted, say so next to it (as trtexec does), in words a reader can act on.
 */
import type { LatencyStats } from './stats';

export interface TrustLimits {
  /** Warn when std / mean exceeds this. @default 0.1 */
  maxCov: number;
  /** Warn when fewer timed iterations than this. @default 10 */
  minIterations: number;
  /** Warn when the first warm-up call took more than this multiple of the median (compilation, allocation). @default 3 */
  firstRunFactor: number;
}

export const DEFAULT_TRUST_LIMITS: TrustLimits = { maxCov: 0.1, minIterations: 10, firstRunFactor: 3 };

/**
 * Warnings for one row. `warmup` are the warm-up calls' times; when there were none, the first timed
 * call is suspected of including first-run compilation.
 */
export function trustWarnings(
  label: string, stats: LatencyStats, warmup: readonly number[], limits: TrustLimits = DEFAULT_TRUST_LIMITS,
): string[] {
  const out: string[] = [];
  if (stats.cov > limits.maxCov) {
    out.push(`${label}: coefficient of variation ${(stats.cov * 100).toFixed(1)}% > ${(limits.maxCov * 100).toFixed(0)}%: the figures are unstable (other load, thermal or clock changes); run longer or on an idle machine`);
  }
  if (stats.n < limits.minIterations) {
    out.push(`${label}: only ${stats.n} timed iterations (< ${limits.minIterations}): percentiles are not meaningful; raise --iterations or --duration`);
  }
  if (warmup.length === 0 && stats.n > 1 && stats.max > limits.firstRunFactor * stats.median) {
    out.push(`${label}: no warm-up and the slowest run is ${(stats.max / stats.median).toFixed(1)}x the median: first-run compilation is probably included`);
  }
  return out;
}
