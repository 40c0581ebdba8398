/** Per-image differences between two scorings of the same GT (e.g. reference model vs an engine). */
import { InputError } from '../core';
import type { ClevalResult } from './cleval';

export interface ImageDelta {
  name: string;
  /** Detection hmean under `a` and `b`, and `b - a`. */
  hmeanA: number;
  hmeanB: number;
  delta: number;
  /** Character true positives (detection) under each, for a count-level view. */
  tpA: number;
  tpB: number;
}

/**
 * One row per image of `a`, sorted by the largest change first (then by name), so a notebook can
 * show where two engines disagree. Both results must cover the same images.
 */
export function perImageDelta(a: ClevalResult, b: ClevalResult, metric: 'det' | 'e2e' = 'det'): ImageDelta[] {
  const rows: ImageDelta[] = [];
  for (const [name, ra] of Object.entries(a.perImage)) {
    const rb = b.perImage[name];
    if (!rb) throw new InputError(`Image ${JSON.stringify(name)} is scored in the first result but not the second`, { subject: name });
    const sa = ra[metric], sb = rb[metric];
    if (!sa || !sb) {
      throw new InputError(`perImageDelta(…, "${metric}") needs both results scored with e2e`, { subject: metric, fix: 'evaluate with { e2e: true }' });
    }
    rows.push({ name, hmeanA: sa.hmean, hmeanB: sb.hmean, delta: sb.hmean - sa.hmean, tpA: sa.numCharTpRecall, tpB: sb.numCharTpRecall });
  }
  return rows.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}
