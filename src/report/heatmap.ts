/**
 * The difference of two probability maps as a PNG heatmap: blue where the engine is lower than the
 * reference, red where higher, white where they agree. One fixed colour scale (`range`) makes
 * heatmaps of different images comparable; the caption states it.
 */
import { ShapeError, withDefaults } from '../core';
import type { ProbMap } from '../postprocess';

export interface HeatmapOptions {
  /** Difference at full colour; undefined = the 99.5th percentile of |difference| (at least 0.01). @default undefined */
  range: number | undefined;
  /** The image under the map (RGB, any size; resized to the map), drawn faded for context. @default undefined */
  background: { data: Uint8Array; width: number; height: number } | undefined;
}

export const DEFAULT_HEATMAP_OPTIONS: HeatmapOptions = { range: undefined, background: undefined };

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
export async function probDiffHeatmap(reference: ProbMap, candidate: ProbMap, options: Partial<HeatmapOptions> = {}): Promise<HeatmapResult> {
  const o = withDefaults('heatmap options', DEFAULT_HEATMAP_OPTIONS, options);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const sharp = require('sharp') as typeof import('sharp');
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
  const r = o.range ?? Math.max(robustMax(reference.data, candidate.data, n), 0.01);
  // Base: white, or the image as faded grey (70% white) so text positions are visible under the colour.
  const base = new Uint8Array(n).fill(255);
  if (o.background) {
    const bg = o.background;
    const grey = await sharp(Buffer.from(bg.data.buffer, bg.data.byteOffset, bg.data.byteLength), { raw: { width: bg.width, height: bg.height, channels: 3 } })
      .resize(reference.width, reference.height, { fit: 'fill' })
      .greyscale()
      .extractChannel(0)
      .raw()
      .toBuffer();
    for (let i = 0; i < n; i++) base[i] = Math.round(178.5 + 0.3 * grey[i]);
  }
  const rgb = Buffer.alloc(n * 3);
  for (let i = 0; i < n; i++) {
    const t = Math.max(-1, Math.min(1, (candidate.data[i] - reference.data[i]) / r));
    const a = Math.abs(t);
    const keep = Math.round(base[i] * (1 - a));
    // Blend towards red (t > 0) or blue (t < 0) by |t|.
    rgb[i * 3] = t > 0 ? keep + Math.round(255 * a) : keep;
    rgb[i * 3 + 1] = keep;
    rgb[i * 3 + 2] = t < 0 ? keep + Math.round(255 * a) : keep;
  }
  const png = await sharp(rgb, { raw: { width: reference.width, height: reference.height, channels: 3 } }).png().toBuffer();
  const meanAbs = n ? sumAbs / n : 0;
  const caption = `engine − reference probability: red = engine higher, blue = lower, full colour at ±${r.toPrecision(2)} (max |diff| ${maxAbs.toPrecision(3)}, mean ${meanAbs.toExponential(2)})`;
  return { png, maxAbs, meanAbs, range: r, caption };
}
