/**
 * Ways to turn an image into a tensor that an engine's profile accepts, each with the inverse
 * mapping of boxes (tensor pixels → original image pixels):
 *
 *   dynamic   the model's own resize policy, exact shape per image
 *   bucketed  the policy's shape, padded (right/bottom) to the smallest profile shape that holds it
 *   fixed     one shape for every image: letterbox (keep aspect, pad) or resize (stretch)
 *
 * Post-process the probability map in tensor coordinates (srcWidth/srcHeight = tensor width/height),
 * then call `unmap` on each box.
 */
import { OptionError, ShapeError, type DetBox } from '../core';
import { normalizeInto, resizeRgb, targetSize, type ImageTensor, type RgbImage } from '../image';
import type { ModelSpec } from '../models';
import { validateShape } from './validate';
import type { Profile } from './types';

export interface StrategySpec {
  /** The model whose input normalisation and resize policy apply. */
  model: ModelSpec;
  /** bucketed: the bucket profiles. */
  profiles?: readonly Profile[];
  /** bucketed: pad to each profile's `opt` or `max` shape. @default 'opt' */
  padTo?: 'opt' | 'max';
  /** fixed: the one tensor size and how images are fitted into it. */
  fixed?: { width: number; height: number; mode: 'letterbox' | 'resize' };
  /** Pixel value (0..255) used for padding before normalisation. @default 0 */
  padValue?: number;
}

export interface Prepared {
  tensor: ImageTensor;
  /** Maps a box from tensor pixels to original-image pixels (clamped to the image). */
  unmap(box: DetBox): DetBox;
}

export type Strategy = (img: RgbImage, spec: StrategySpec) => Promise<Prepared>;

async function place(img: RgbImage, spec: StrategySpec, content: { width: number; height: number }, tensorW: number, tensorH: number): Promise<Prepared> {
  const resized = await resizeRgb(img, content.width, content.height);
  const data = new Float32Array(3 * tensorW * tensorH);
  normalizeInto(resized, spec.model.input, data, tensorW, tensorH, spec.padValue ?? 0);
  const sx = img.width / content.width;
  const sy = img.height / content.height;
  const tensor: ImageTensor = {
    data, dims: [1, 3, tensorH, tensorW], srcWidth: img.width, srcHeight: img.height, contentWidth: content.width, contentHeight: content.height,
  };
  const unmap = (box: DetBox): DetBox => ({
    score: box.score,
    points: box.points.map(([x, y]) => [Math.min(img.width, Math.max(0, x * sx)), Math.min(img.height, Math.max(0, y * sy))]),
  });
  return { tensor, unmap };
}

/** Exact shape per image under the model's resize policy. */
export const dynamic: Strategy = async (img, spec) => {
  const size = targetSize(img.width, img.height, spec.model.resize);
  return place(img, spec, size, size.width, size.height);
};

/** An input size (height × width) that images are padded to. */
export interface BucketShape {
  height: number;
  width: number;
}

/** The smallest (by area) of `buckets` that holds `size`, or undefined when none does. */
export function smallestBucket(size: BucketShape, buckets: readonly BucketShape[]): BucketShape | undefined {
  return buckets
    .filter((b) => b.height >= size.height && b.width >= size.width)
    .reduce<BucketShape | undefined>((best, b) => (!best || b.height * b.width < best.height * best.width ? b : best), undefined);
}

/** The `opt` (or `max`) shapes of a profile file's profiles for `input`, as bucket shapes, deduplicated. */
export function bucketShapes(profiles: readonly Profile[], input: string, padTo: 'opt' | 'max' = 'opt'): BucketShape[] {
  const seen = new Map<string, BucketShape>();
  for (const p of profiles) {
    const s = p.shapes[input]?.[padTo];
    if (Array.isArray(s) && s.length === 4) seen.set(`${s[2]}x${s[3]}`, { height: s[2], width: s[3] });
  }
  return [...seen.values()];
}

/** The policy's shape padded to the smallest bucket that holds it; a ShapeError when none does. */
export const bucketed: Strategy = async (img, spec) => {
  const profiles = spec.profiles ?? [];
  if (profiles.length === 0) throw new OptionError('The bucketed strategy needs profiles', { fix: 'pass profiles from designBuckets() or loadProfile()' });
  const size = targetSize(img.width, img.height, spec.model.resize);
  const input = spec.model.input.name;
  const which = spec.padTo ?? 'opt';
  const fit = smallestBucket(size, bucketShapes(profiles, input, which));
  if (!fit) {
    validateShape([1, 3, size.height, size.width], profiles, input); // throws with the bound and the fix
    throw new ShapeError(`No profile ${which} shape holds ${size.height}x${size.width}`, { fix: `pad to 'max' instead (padTo: 'max')` });
  }
  return place(img, spec, size, fit.width, fit.height);
};

/** One shape for all images: letterbox keeps the aspect ratio and pads, resize stretches. */
export const fixed: Strategy = async (img, spec) => {
  const f = spec.fixed;
  if (!f) throw new OptionError('The fixed strategy needs fixed: { width, height, mode }', { fix: "pass e.g. { width: 1280, height: 736, mode: 'letterbox' }" });
  if (f.mode === 'resize') return place(img, spec, { width: f.width, height: f.height }, f.width, f.height);
  const scale = Math.min(f.width / img.width, f.height / img.height);
  const content = { width: Math.max(1, Math.min(f.width, Math.round(img.width * scale))), height: Math.max(1, Math.min(f.height, Math.round(img.height * scale))) };
  return place(img, spec, content, f.width, f.height);
};

/** The strategies by name. */
export const STRATEGIES: Readonly<Record<'dynamic' | 'bucketed' | 'fixed', Strategy>> = { dynamic, bucketed, fixed };
