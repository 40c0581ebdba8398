/**
 * Profile design from a shape distribution.
 *
 * - `designProfile`: one min/opt/max profile covering every shape (images run at their exact shape);
 *   `opt` is the most frequent shape or the median-area one, as asked.
 * - `designBuckets`: k fixed shapes (buckets); each image is padded to the smallest bucket that holds
 *   it. Bucket shapes are chosen to minimise padded pixels — exhaustively when the candidate set is
 *   small, else greedily with Lloyd-style refinement and single swaps. An optimal bucket is always
 *   some (height of one shape, width of one shape), so those pairs are the candidates.
 */
import { OptionError, integerIn, numberIn, oneOf, withDefaults } from '../core';
import type { Profile, ShapeCount } from './types';

export interface DesignOptions {
  /** Name of the image input. @default 'x' */
  input: string;
  /** Batch size written into the shapes. @default 1 */
  batch: number;
  /** Channels written into the shapes. @default 3 */
  channels: number;
  /** How the single profile's `opt` is chosen. @default 'most-frequent' */
  opt: 'most-frequent' | 'median-area';
}

export const DEFAULT_DESIGN_OPTIONS: DesignOptions = { input: 'x', batch: 1, channels: 3, opt: 'most-frequent' };

/** Exhaustive search is used up to this many candidate bucket sets. */
const EXHAUSTIVE_LIMIT = 200_000;

type HW = [number, number];

function checkDistribution(dist: readonly ShapeCount[]): void {
  if (!Array.isArray(dist) || dist.length === 0) {
    throw new OptionError('The shape distribution is empty', { fix: 'compute it with shapeDistribution(sizes, policy) over at least one image' });
  }
}

function full(o: DesignOptions, hw: HW): number[] {
  return [o.batch, o.channels, hw[0], hw[1]];
}

/** One profile covering every shape in `dist`. Does not modify `dist`. */
export function designProfile(dist: readonly ShapeCount[], options: Partial<DesignOptions> = {}): Profile {
  const o = withDefaults('design options', DEFAULT_DESIGN_OPTIONS, options);
  oneOf('opt', o.opt, ['most-frequent', 'median-area'] as const);
  checkDistribution(dist);
  const minHW: HW = [Math.min(...dist.map((s) => s.height)), Math.min(...dist.map((s) => s.width))];
  const maxHW: HW = [Math.max(...dist.map((s) => s.height)), Math.max(...dist.map((s) => s.width))];
  let opt: ShapeCount;
  if (o.opt === 'most-frequent') {
    opt = [...dist].sort((a, b) => b.count - a.count || a.height * a.width - b.height * b.width)[0];
  } else {
    const byArea = [...dist].sort((a, b) => a.height * a.width - b.height * b.width);
    const total = dist.reduce((a, s) => a + s.count, 0);
    let acc = 0;
    opt = byArea[byArea.length - 1];
    for (const s of byArea) {
      acc += s.count;
      if (acc * 2 >= total) {
        opt = s;
        break;
      }
    }
  }
  return {
    name: 'default',
    shapes: { [o.input]: { min: full(o, minHW), opt: full(o, [opt.height, opt.width]), max: full(o, maxHW) } },
    coverage: 1,
    waste: 0,
  };
}

/** Padded pixels of `dist` over `buckets`, and each shape's bucket index (-1 when none holds it). */
export function bucketCost(dist: readonly ShapeCount[], buckets: readonly HW[]): { padded: number; computed: number; assign: number[] } {
  let padded = 0;
  let computed = 0;
  const assign = dist.map((s) => {
    let best = -1;
    for (let i = 0; i < buckets.length; i++) {
      const [h, w] = buckets[i];
      if (h >= s.height && w >= s.width && (best < 0 || h * w < buckets[best][0] * buckets[best][1])) best = i;
    }
    if (best < 0) {
      padded = Infinity;
      return -1;
    }
    const area = buckets[best][0] * buckets[best][1];
    padded += s.count * (area - s.height * s.width);
    computed += s.count * area;
    return best;
  });
  return { padded, computed, assign };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 0; i < k; i++) r = (r * (n - i)) / (i + 1);
  return r;
}

function exhaustive(dist: readonly ShapeCount[], cands: HW[], k: number): HW[] {
  let best: HW[] = [];
  let bestCost = Infinity;
  const pick: HW[] = [];
  const rec = (start: number) => {
    if (pick.length === k) {
      const c = bucketCost(dist, pick).padded;
      if (c < bestCost) (bestCost = c), (best = [...pick]);
      return;
    }
    for (let i = start; i <= cands.length - (k - pick.length); i++) {
      pick.push(cands[i]);
      rec(i + 1);
      pick.pop();
    }
  };
  rec(0);
  return best;
}

function heuristic(dist: readonly ShapeCount[], cands: HW[], k: number): HW[] {
  const maxHW: HW = [Math.max(...dist.map((s) => s.height)), Math.max(...dist.map((s) => s.width))];
  let buckets: HW[] = [maxHW];
  while (buckets.length < k) {
    let best: HW | undefined;
    let bestCost = Infinity;
    for (const c of cands) {
      const cost = bucketCost(dist, [...buckets, c]).padded;
      if (cost < bestCost) (bestCost = cost), (best = c);
    }
    if (!best) break;
    buckets.push(best);
  }
  let cost = bucketCost(dist, buckets).padded;
  for (let round = 0; round < 50; round++) {
    // Lloyd step: each bucket shrinks to the max of the shapes it holds.
    const { assign } = bucketCost(dist, buckets);
    const shrunk = buckets.map((_, i) => {
      const members = dist.filter((_, j) => assign[j] === i);
      return members.length ? ([Math.max(...members.map((s) => s.height)), Math.max(...members.map((s) => s.width))] as HW) : undefined;
    }).filter((b): b is HW => b !== undefined);
    let improved = false;
    const shrunkCost = bucketCost(dist, shrunk).padded;
    if (shrunkCost < cost) (buckets = shrunk), (cost = shrunkCost), (improved = true);
    // Single swaps.
    for (let i = 0; i < buckets.length; i++) {
      for (const c of cands) {
        const trial = buckets.map((b, j) => (j === i ? c : b));
        const tc = bucketCost(dist, trial).padded;
        if (tc < cost) (buckets = trial), (cost = tc), (improved = true);
      }
    }
    if (!improved) break;
  }
  return buckets;
}

/** Choose bucket count `k`, or the smallest k whose padding waste is at most `maxWaste` (0..1). */
export type BucketTarget = { k: number } | { maxWaste: number };

/**
 * k bucket profiles minimising padded pixels (images padded to their bucket's shape), smallest
 * first, each with coverage and waste. Does not modify `dist`.
 */
export function designBuckets(dist: readonly ShapeCount[], target: BucketTarget, options: Partial<DesignOptions> = {}): Profile[] {
  const o = withDefaults('design options', DEFAULT_DESIGN_OPTIONS, options);
  checkDistribution(dist);
  const distinct = dist.length;
  const hs = [...new Set(dist.map((s) => s.height))];
  const ws = [...new Set(dist.map((s) => s.width))];
  const cands: HW[] = hs.flatMap((h) => ws.map((w) => [h, w] as HW)).filter(([h, w]) => dist.some((s) => s.height <= h && s.width <= w));
  const solve = (k: number): HW[] => {
    const kk = Math.min(k, distinct);
    if (kk === distinct) return dist.map((s) => [s.height, s.width] as HW);
    return binomial(cands.length, kk) <= EXHAUSTIVE_LIMIT ? exhaustive(dist, cands, kk) : heuristic(dist, cands, kk);
  };
  let buckets: HW[];
  if ('k' in target) {
    integerIn('k', target.k, 1, 1000);
    buckets = solve(target.k);
  } else if ('maxWaste' in target) {
    numberIn('maxWaste', target.maxWaste, 0, 1);
    buckets = solve(1);
    for (let k = 2; k <= distinct; k++) {
      const c = bucketCost(dist, buckets);
      if (c.padded / c.computed <= target.maxWaste) break;
      buckets = solve(k);
    }
  } else {
    throw new OptionError('designBuckets needs { k } or { maxWaste }', { fix: 'pass { k: 3 } for three buckets or { maxWaste: 0.1 } for at most 10% padded pixels' });
  }
  const { assign } = bucketCost(dist, buckets);
  const total = dist.reduce((a, s) => a + s.count, 0);
  const order = buckets.map((b, i) => i).sort((a, b) => buckets[a][0] * buckets[a][1] - buckets[b][0] * buckets[b][1]);
  return order
    .map((i, rank) => {
      const members = dist.filter((_, j) => assign[j] === i);
      const [h, w] = buckets[i];
      const images = members.reduce((a, s) => a + s.count, 0);
      const padded = members.reduce((a, s) => a + s.count * (h * w - s.height * s.width), 0);
      const minHW: HW = members.length ? [Math.min(...members.map((s) => s.height)), Math.min(...members.map((s) => s.width))] : [h, w];
      return {
        name: `bucket-${rank + 1}`,
        shapes: { [o.input]: { min: full(o, minHW), opt: full(o, [h, w]), max: full(o, [h, w]) } },
        coverage: images / total,
        waste: images ? padded / (images * h * w) : 0,
      };
    })
    .filter((p) => p.coverage > 0);
}
