/**
 * The Pareto front of accuracy against latency: the engine variants that no other variant beats on
 * both at once (at least as accurate and at least as fast, strictly better on one). Everything off
 * the front is a variant nobody should ship.
 */
import { OptionError } from '../core';

export interface ParetoPoint {
  name: string;
  /** Higher is better (e.g. HMean). */
  accuracy: number;
  /** Lower is better, milliseconds. */
  latencyMs: number;
}

export type ParetoMarked<T extends ParetoPoint> = T & { onFront: boolean };

/** True when `q` dominates `p`. */
export function dominates(q: ParetoPoint, p: ParetoPoint): boolean {
  return q.accuracy >= p.accuracy && q.latencyMs <= p.latencyMs && (q.accuracy > p.accuracy || q.latencyMs < p.latencyMs);
}

/**
 * Marks each point with `onFront`, keeping the input order. Pure: returns copies. Points with equal
 * accuracy and latency are all on the front (neither dominates the other).
 */
export function paretoFront<T extends ParetoPoint>(points: readonly T[]): ParetoMarked<T>[] {
  points.forEach((p, i) => {
    for (const k of ['accuracy', 'latencyMs'] as const) {
      if (typeof p?.[k] !== 'number' || !Number.isFinite(p[k])) {
        throw new OptionError(`Pareto point ${JSON.stringify(p?.name ?? i)} has ${k} ${JSON.stringify(p?.[k])}, expected a finite number`, {
          subject: String(p?.name ?? i),
          fix: 'leave out variants that were not measured, or measure them first',
        });
      }
    }
  });
  return points.map((p) => ({ ...p, onFront: !points.some((q) => q !== p && dominates(q, p)) }));
}
