/**
 * buildEngine: the one entry point that turns a source model into a cached engine.
 *
 *   1. validate options, resolve the model, hash it
 *   2. normalise the options that change the artifact and compute the cache key
 *   3. cache hit → return it; stale entry → say why and rebuild
 *   4. lock the slot, build into a temp dir, check the result loads in onnxruntime,
 *      write the manifest last, rename into place
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  ModelError, OptionError, cacheRoot, defaultLogger, errorText, integerIn, numberIn, oneOf, sha256, sha256File,
  withDefaults, writeFileAtomic, writeJsonAtomic, type Logger,
} from '../core';
import { resolveModel } from '../models';
import { loadOnnx, saveOnnx } from '../onnx/model';
import { PROVIDERS, type ConcreteProvider } from '../session';
import { acquireLock, publish, readEntry, sweepTemps, tempDir, MANIFEST_FILE } from './cache';
import { CALIBRATION_METHODS } from './calibrate';
import { convertToFp16 } from './fp16';
import { fuseForDispatch } from './fuse';
import { buildInt8, calibrationFingerprint, calibrationImages } from './int8';
import {
  DEFAULT_BUILD_OPTIONS, VARIANTS, VARIANT_PROVIDER, type BuildOptions, type Engine, type EngineManifest, type Variant,
} from './options';

export const ORT_VERSION: string = (require('onnxruntime-node/package.json') as { version: string }).version;

const MODEL_FILE = 'model.onnx';

/** Version of detbench's converters; bumped whenever a change alters the artifacts they write. */
export const BUILDER_VERSION = 2;

/**
 * The images used for calibration when none are given: the embedded default dataset (generated on
 * first use; it is what the story and the notebooks score), else the shared IC15 sample when the
 * generator cannot run (no fonts).
 */
export async function defaultCalibrationDir(logger: Logger = defaultLogger()): Promise<string | undefined> {
  try {
    const { defaultDataset } = await import('../data');
    const ds = await defaultDataset({ logger });
    if (ds.items.length > 0) return path.dirname(ds.items[0].imagePath);
  } catch (err) {
    logger.warn(`int8 calibration: the default dataset is not available (${errorText(err).split('\n')[0]}); trying the shared IC15 sample`);
  }
  let dir = __dirname;
  for (let i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.resolve(dir, '..', 'shared', 'data', 'ic15_train_mmocr10', 'images');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

function precisionOf(variant: Variant): EngineManifest['precision'] {
  return variant === 'fp16' ? 'fp16' : variant === 'int8' ? 'int8' : 'fp32';
}

/** Session options a runner should use with each variant. */
function sessionFor(variant: Variant, provider: ConcreteProvider): Record<string, unknown> {
  if (provider === 'webgpu') return { provider, graphOptimizationLevel: 'all', webgpuLayout: 'NHWC' };
  return { provider, graphOptimizationLevel: 'all', ...(variant === 'int8' ? { threads: 0 } : {}) };
}

/** Why an existing entry differs from what is asked, in words (first difference found). */
function staleReason(old: EngineManifest, want: Omit<EngineManifest, 'builtAt' | 'buildMs' | 'sizeBytes' | 'files' | 'details'>): string {
  if (old.source.sha256 !== want.source.sha256) return `the source model changed (sha256 ${old.source.sha256.slice(0, 12)} → ${want.source.sha256.slice(0, 12)})`;
  if (old.ortVersion !== want.ortVersion) return `onnxruntime-node changed (${old.ortVersion} → ${want.ortVersion})`;
  if (old.builderVersion !== want.builderVersion) return `detbench's converters changed (builder ${old.builderVersion ?? 1} → ${want.builderVersion})`;
  if (old.provider !== want.provider) return `the provider changed (${old.provider} → ${want.provider})`;
  const keys = new Set([...Object.keys(old.buildOptions ?? {}), ...Object.keys(want.buildOptions)]);
  const changed = [...keys].filter((k) => JSON.stringify(old.buildOptions?.[k]) !== JSON.stringify(want.buildOptions[k]));
  if (changed.length > 0) return `build options changed (${changed.join(', ')})`;
  if (JSON.stringify(old.profile ?? null) !== JSON.stringify(want.profile ?? null)) return 'the shape profile changed';
  return 'the cache key changed';
}

function validate(options: Partial<BuildOptions> & { variant: Variant }): BuildOptions {
  const o = withDefaults('build options', { ...DEFAULT_BUILD_OPTIONS, variant: 'fp32' as Variant }, options);
  oneOf('variant', o.variant, VARIANTS);
  oneOf('calibrationMethod', o.calibrationMethod, CALIBRATION_METHODS);
  integerIn('calibrationSize', o.calibrationSize, 1, 100_000);
  numberIn('calibrationPercentile', o.calibrationPercentile, 50, 100);
  if (o.calibrationSide !== undefined) integerIn('calibrationSide', o.calibrationSide, 32, 8192);
  integerIn('threads', o.threads, 0, 1024);
  if (o.provider !== undefined) oneOf('provider', o.provider, PROVIDERS.filter((p) => p !== 'auto'));
  return o;
}

/**
 * Builds (or reuses from the cache) an engine of `options.variant` for `options.model`.
 * See {@link BuildOptions} for every option and its default.
 */
export async function buildEngine(options: Partial<BuildOptions> & { variant: Variant }, logger: Logger = defaultLogger()): Promise<Engine> {
  const o = validate(options);
  const spec = resolveModel(o.model);
  const srcPath = spec.path();
  const srcHash = sha256File(srcPath);
  const provider = o.provider ?? VARIANT_PROVIDER[o.variant];

  let buildOptions: Record<string, unknown> = {};
  let images: string[] = [];
  if (o.variant === 'int8') {
    const dir = o.calibration ?? (await defaultCalibrationDir(logger));
    if (!dir) {
      throw new OptionError('int8 needs calibration images and no default dataset was found', {
        subject: 'calibration', fix: 'pass --calibration DIR (a folder of images or a dataset dir with images/)',
      });
    }
    images = calibrationImages(dir, o.calibrationSize);
    buildOptions = {
      format: 'QDQ', weights: 'int8 per-channel symmetric', activations: 'uint8 asymmetric',
      calibration: {
        method: o.calibrationMethod,
        ...(o.calibrationMethod === 'percentile' ? { percentile: o.calibrationPercentile } : {}),
        side: o.calibrationSide ?? null,
        images: calibrationFingerprint(images),
      },
      exclude: o.int8Exclude,
    };
  } else if (o.variant === 'fp16') {
    buildOptions = { block: o.fp16Block, io: 'float32' };
  } else if (o.variant === 'fp32-optimized') {
    buildOptions = { rewrites: 'dispatch', graphOptimizationLevel: 'extended' };
  } else if (o.variant === 'webgpu') {
    buildOptions = { rewrites: 'dispatch', graphOptimizationLevel: 'basic' };
  }
  const want = {
    schema: 1 as const,
    key: '',
    variant: o.variant,
    source: { model: spec.name, path: srcPath, sha256: srcHash },
    provider,
    precision: precisionOf(o.variant),
    profile: o.profile ?? null,
    ortVersion: ORT_VERSION,
    builderVersion: BUILDER_VERSION,
    buildOptions,
    session: sessionFor(o.variant, provider),
  };
  want.key = sha256(JSON.stringify([want.variant, srcHash, provider, ORT_VERSION, BUILDER_VERSION, buildOptions, want.profile]));

  if (o.variant === 'fp32') {
    const bytes = fs.statSync(srcPath).size;
    return {
      ...want, builtAt: new Date(fs.statSync(srcPath).mtimeMs).toISOString(), buildMs: 0, sizeBytes: bytes,
      files: [{ name: path.basename(srcPath), bytes, sha256: srcHash }], details: {}, modelPath: srcPath, cacheHit: false,
    };
  }

  const cacheDir = path.resolve(o.cacheDir ?? path.join(cacheRoot(), 'engines'));
  // One slot per key, so engines that differ only in options (int8 minmax vs percentile) coexist.
  const family = `${o.variant}-${spec.name}-${provider}`.replace(/[^A-Za-z0-9._-]/g, '_');
  const slot = `${family}-${want.key.slice(0, 12)}`;
  const slotDir = path.join(cacheDir, slot);
  const hit = (m: EngineManifest): Engine => ({ ...m, modelPath: path.join(slotDir, MODEL_FILE), cacheHit: true });

  let reason: string | undefined = o.force ? 'a rebuild was forced' : undefined;
  if (!o.force) {
    const entry = readEntry(slotDir);
    if ('manifest' in entry && entry.manifest.key === want.key) {
      logger.info(`engine ${o.variant}: cache hit (${slotDir})`);
      return hit(entry.manifest);
    }
    if ('manifest' in entry) reason = staleReason(entry.manifest, want);
    else if (entry.problem !== 'no cached engine') reason = entry.problem;
    else {
      // No entry for this key: say how the newest engine of the same family differs.
      const newest = newestOfFamily(cacheDir, family);
      reason = newest ? staleReason(newest, want) : entry.problem;
    }
  }
  const lock = await acquireLock(slotDir, undefined, (pid) => logger.info(`engine ${o.variant}: waiting for process ${pid}, which is building the same engine`));
  try {
    if (!o.force) {
      const entry = readEntry(slotDir);
      if ('manifest' in entry && entry.manifest.key === want.key) {
        logger.info(`engine ${o.variant}: built meanwhile by another process, reusing it (${slotDir})`);
        return hit(entry.manifest);
      }
    }
    if (reason !== 'no cached engine') logger.info(`engine ${o.variant}: rebuilding because ${reason}`);
    sweepTemps(cacheDir);
    const tmp = tempDir(cacheDir, slot);
    try {
      const t0 = performance.now();
      const details = await buildInto(tmp, o, srcPath, spec, images);
      const buildMs = Math.round(performance.now() - t0);
      await loaderCheck(path.join(tmp, MODEL_FILE), o.variant);
      const bytes = fs.statSync(path.join(tmp, MODEL_FILE)).size;
      const manifest: EngineManifest = {
        ...want, builtAt: new Date().toISOString(), buildMs, sizeBytes: bytes,
        files: [{ name: MODEL_FILE, bytes, sha256: sha256File(path.join(tmp, MODEL_FILE)) }], details,
      };
      // Test seam: simulate a build killed after its files are written but before it is published.
      if (process.env.DETBENCH_TEST_KILL_BEFORE_PUBLISH === '1') process.kill(process.pid, 'SIGKILL');
      writeJsonAtomic(path.join(tmp, MANIFEST_FILE), manifest);
      if (publish(tmp, slotDir)) {
        dropUnusable(cacheDir, family, want);
      } else {
        const entry = readEntry(slotDir);
        if ('manifest' in entry && entry.manifest.key === want.key) return hit(entry.manifest);
        throw new ModelError(`Could not publish engine into ${slotDir}`, { fix: 'retry the build; if it persists delete that directory' });
      }
      return { ...manifest, modelPath: path.join(slotDir, MODEL_FILE), cacheHit: false, ...(reason && reason !== 'no cached engine' ? { rebuiltBecause: reason } : {}) };
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } finally {
    lock.release();
  }
}

/** Valid manifests of the other slots of a family (same variant, model, provider), newest first. */
function familyEntries(cacheDir: string, family: string): { dir: string; manifest: EngineManifest }[] {
  if (!fs.existsSync(cacheDir)) return [];
  const out: { dir: string; manifest: EngineManifest }[] = [];
  for (const name of fs.readdirSync(cacheDir)) {
    if (!name.startsWith(`${family}-`) || name.endsWith('.lock')) continue;
    const dir = path.join(cacheDir, name);
    const entry = readEntry(dir);
    if ('manifest' in entry) out.push({ dir, manifest: entry.manifest });
  }
  return out.sort((a, b) => b.manifest.builtAt.localeCompare(a.manifest.builtAt));
}

function newestOfFamily(cacheDir: string, family: string): EngineManifest | undefined {
  return familyEntries(cacheDir, family)[0]?.manifest;
}

/** Removes engines of the family that can never be used again: built by another onnxruntime version. */
function dropUnusable(cacheDir: string, family: string, want: { ortVersion: string }): void {
  for (const { dir, manifest } of familyEntries(cacheDir, family)) {
    if (manifest.ortVersion !== want.ortVersion) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function buildInto(tmp: string, o: BuildOptions, srcPath: string, spec: ReturnType<typeof resolveModel>, images: string[]): Promise<Record<string, unknown>> {
  const out = path.join(tmp, MODEL_FILE);
  switch (o.variant) {
    case 'fp32-optimized':
    case 'webgpu': {
      // detbench's rewrites first (exact up to rounding; they halve the node count of paddle2onnx exports),
      // then onnxruntime's own: 'extended' and 'basic' are portable, 'all' adds CPU-specific NCHWc layouts.
      const model = loadOnnx(srcPath);
      const rewrites = fuseForDispatch(model);
      const level = o.variant === 'webgpu' ? 'basic' : 'extended';
      const s = await ort.InferenceSession.create(saveOnnx(model), {
        graphOptimizationLevel: level, optimizedModelFilePath: out,
        ...(o.threads > 0 ? { intraOpNumThreads: o.threads } : {}),
      });
      await s.release();
      const nodes = loadOnnx(out).graph!.node!.filter((n) => n.opType !== 'Constant').length;
      return { graphOptimizationLevel: level, rewrites, sourceNodes: rewrites.nodesBefore, nodes };
    }
    case 'fp16': {
      const model = loadOnnx(srcPath);
      const report = convertToFp16(model, o.fp16Block);
      writeFileAtomic(out, saveOnnx(model));
      return { ...report };
    }
    case 'int8': {
      const { bytes, details } = await buildInt8({
        source: loadOnnx(srcPath), spec, images, side: o.calibrationSide, exclude: o.int8Exclude,
        settings: { method: o.calibrationMethod, percentile: o.calibrationPercentile, bins: 2048, threads: o.threads },
        onProgress: o.onProgress,
      });
      writeFileAtomic(out, bytes);
      return details;
    }
    default:
      throw new OptionError(`Variant ${o.variant} has no build step`);
  }
}

/** Every built model must load in onnxruntime; the CPU provider is the loader available everywhere. */
async function loaderCheck(file: string, variant: Variant): Promise<void> {
  try {
    const s = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'all' });
    await s.release();
  } catch (err) {
    throw new ModelError(`The ${variant} engine does not load in onnxruntime: ${errorText(err).split('\n')[0]}`, {
      subject: file, fix: 'report this model and variant; build another variant meanwhile', cause: err,
    });
  }
}
