/**
 * The difference of two probability maps as a PNG heatmap: blue where the engine is lower than the
 * reference, red where higher, white where they agree. One fixed colour scale (`range`) makes
 * heatmaps of different images comparable; the caption states it.
 */
import { ShapeError } from '../core';
import type { ProbMap } from '../postprocess';

export interface HeatmapResult {
  png: Buffer;
  /** Largest |engine − reference| over the map. */
  maxAbs: number;
  /** Mean |engine − reference|. */
  meanAbs: number;
  /** Difference at full colour saturation. */
  range: number;
  caption: string;
}

/** The 99.5th percentile of |b − a|. */
function robustMax(a: Float32Array, b: Float32Array, n: number): number {
  const abs = new Float32Array(n);
  for (let i = 0; i < n; i++) abs[i] = Math.abs(b[i] - a[i]);
  abs.sort();
  return n ? abs[Math.min(n - 1, Math.floor(0.995 * n))] : 0;
}

/**
 * Renders `candidate − reference`. `range` defaults to the 99.5th percentile of |difference| (at
 * least 0.01): a few saturated pixels at threshold crossings would otherwise wash out the rest.
 */
export async function probDiffHeatmap(reference: ProbMap, candidate: ProbMap, range?: number): Promise<HeatmapResult> {
  if (reference.width !== candidate.width || reference.height !== candidate.height) {
    throw new ShapeError(
      `Probability maps differ in size: reference ${reference.width}x${reference.height}, candidate ${candidate.width}x${candidate.height}`,
      { fix: 'run both engines on the same input shape (same resize policy) before comparing their maps' },
    );
  }
  const n = reference.width * reference.height;
  let maxAbs = 0;
  let sumAbs = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(candidate.data[i] - reference.data[i]);
    if (d > maxAbs) maxAbs = d;
    sumAbs += d;
  }
  const r = range ?? Math.max(robustMax(reference.data, candidate.data, n), 0.01);
  const rgb = Buffer.alloc(n * 3);
  for (let i = 0; i < n; i++) {
    const t = Math.max(-1, Math.min(1, (candidate.data[i] - reference.data[i]) / r));
    const fade = Math.round(255 * (1 - Math.abs(t)));
    // Red (255, fade, fade) for t > 0, blue (fade, fade, 255) for t < 0.
    rgb[i * 3] = t >= 0 ? 255 : fade;
    rgb[i * 3 + 1] = fade;
    rgb[i * 3 + 2] = t <= 0 ? 255 : fade;
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const sharp = require('sharp') as typeof import('sharp');
  const png = await sharp(rgb, { raw: { width: reference.width, height: reference.height, channels: 3 } }).png().toBuffer();
  const meanAbs = n ? sumAbs / n : 0;
  const caption = `engine − reference probability: red = engine higher, blue = lower, full colour at ±${r.toPrecision(2)} (max |diff| ${maxAbs.toPrecision(3)}, mean ${meanAbs.toExponential(2)})`;
  return { png, maxAbs, meanAbs, range: r, caption };
}
