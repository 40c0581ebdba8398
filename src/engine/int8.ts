/**
 * The int8 build: fold → plan → calibrate on real images → QDQ rewrite.
 *
 *   float model ──fold──▶ Conv-only blocks ──plan──▶ tensors to quantize
 *        │                                               │
 *        └──────── run on calibration images ◀───────────┘ (extra outputs) ──▶ ranges ──QDQ──▶ int8 model
 *
 * Kept float on purpose: ConvTranspose (no integer kernel in onnxruntime; rewriting it as a 1x1 Conv +
 * DepthToSpace was exact but slower, DepthToSpace costing more than the ConvTranspose it replaced)
 * and the final Sigmoid (its input is the logit map that post-processing thresholds).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { InputError, sha256File } from '../core';
import { decodeImage, toTensor } from '../image';
import type { ModelSpec, ResizePolicy } from '../models';
import { onnx, saveOnnx } from '../onnx/model';
import { collectRanges, type CalibrationSettings } from './calibrate';
import { foldForQuantization } from './fold';
import { constantsToInitializers } from './graph-edit';
import { applyQdq, planQdq } from './qdq';

const IMAGE_EXT = /\.(jpe?g|png|webp|tiff?|bmp|gif)$/i;

/** Image files of a calibration directory (`dir/images/` when present), in natural name order. */
export function calibrationImages(dir: string, size: number): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new InputError(`Calibration directory not found: ${dir}`, { subject: dir, fix: 'pass --calibration DIR with images (or a dataset dir holding images/)' });
  }
  const root = fs.existsSync(path.join(dir, 'images')) ? path.join(dir, 'images') : dir;
  const collator = new Intl.Collator('en', { numeric: true });
  const files = fs.readdirSync(root).filter((f) => IMAGE_EXT.test(f)).sort(collator.compare);
  if (files.length === 0) {
    throw new InputError(`No images in calibration directory ${root}`, { subject: root, fix: 'put JPEG/PNG images there, or point --calibration at a dataset directory' });
  }
  return files.slice(0, size).map((f) => path.join(root, f));
}

/** What identifies a calibration set in the cache key: file names and content hashes. */
export function calibrationFingerprint(files: string[]): { name: string; sha256: string }[] {
  return files.map((f) => ({ name: path.basename(f), sha256: sha256File(f) }));
}

export interface Int8BuildInput {
  source: onnx.ModelProto;
  spec: ModelSpec;
  images: string[];
  settings: CalibrationSettings;
  /** Longest side for calibration images; undefined = the model's own policy. */
  side: number | undefined;
  exclude: string[];
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** Builds the int8 model; returns its bytes and a report for the manifest. */
export async function buildInt8(input: Int8BuildInput): Promise<{ bytes: Uint8Array; details: Record<string, unknown> }> {
  const model = input.source;
  constantsToInitializers(model);
  const folds = foldForQuantization(model);
  const plan = planQdq(model, input.exclude);
  const policy: ResizePolicy = input.side ? { ...input.spec.resize, limitType: 'max', limitSideLen: input.side } : input.spec.resize;
  const feeds: Record<string, ort.Tensor>[] = [];
  for (let i = 0; i < input.images.length; i++) {
    const t = await toTensor(await decodeImage(input.images[i]), input.spec.input, policy);
    feeds.push({ [input.spec.input.name]: new ort.Tensor('float32', t.data, t.dims) });
    input.onProgress?.('decode calibration images', i + 1, input.images.length);
  }
  const t0 = performance.now();
  const ranges = await collectRanges(model, plan.tensors, feeds, input.settings, (pass, done, total) =>
    input.onProgress?.(`calibrate (pass ${pass})`, done, total),
  );
  const calibrationMs = performance.now() - t0;
  const qdq = applyQdq(model, plan, ranges);
  return {
    bytes: saveOnnx(model),
    details: {
      folds,
      ...qdq,
      calibrationImages: input.images.length,
      calibrationShapes: [...new Set(feeds.map((f) => Object.values(f)[0].dims.join('x')))],
      calibrationMs: Math.round(calibrationMs),
    },
  };
}
