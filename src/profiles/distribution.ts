/** The distribution of input tensor shapes a model will see on a dataset, under its resize policy. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { InputError, errorText, type ImageSize } from '../core';
import { targetSize } from '../image';
import type { ResizePolicy } from '../models';
import type { ShapeCount } from './types';

const IMAGE_EXT = /\.(jpe?g|png|webp|tiff?|bmp|gif)$/i;

/**
 * Tensor shapes for `sizes` after resizing by `policy` (limit side, rounding to multiples), counted
 * and sorted by count (then by area). Does not modify `sizes`.
 */
export function shapeDistribution(sizes: readonly ImageSize[], policy: ResizePolicy): ShapeCount[] {
  const counts = new Map<string, ShapeCount>();
  for (const s of sizes) {
    const t = targetSize(s.width, s.height, policy);
    const key = `${t.height}x${t.width}`;
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { height: t.height, width: t.width, count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.height * a.width - b.height * b.width);
}

/**
 * Sizes (after EXIF orientation) of the images in `dir` (or `dir/images`), read from headers only.
 * Unreadable files are listed in `errors`, not thrown.
 */
export async function imageSizes(dir: string): Promise<{ sizes: (ImageSize & { file: string })[]; errors: { file: string; error: string }[] }> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new InputError(`Dataset directory not found: ${dir}`, { subject: dir, fix: 'pass --data DIR, a folder of images or a dataset folder with images/' });
  }
  const root = fs.existsSync(path.join(dir, 'images')) ? path.join(dir, 'images') : dir;
  const files = fs.readdirSync(root).filter((f) => IMAGE_EXT.test(f)).sort(new Intl.Collator('en', { numeric: true }).compare);
  if (files.length === 0) throw new InputError(`No images in ${root}`, { subject: root, fix: 'point --data at a folder with JPEG/PNG images' });
  const sizes: (ImageSize & { file: string })[] = [];
  const errors: { file: string; error: string }[] = [];
  for (const f of files) {
    const file = path.join(root, f);
    try {
      const m = await sharp(file).metadata();
      const width = m.autoOrient?.width ?? m.width ?? 0;
      const height = m.autoOrient?.height ?? m.height ?? 0;
      if (!width || !height) throw new Error('no size in the header');
      sizes.push({ file, width, height });
    } catch (err) {
      errors.push({ file, error: errorText(err) });
    }
  }
  return { sizes, errors };
}
