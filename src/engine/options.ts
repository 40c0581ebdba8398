/**
 * The public contract of engine builds: variants, build options with their defaults, and the
 * manifest every engine carries. The implementation is in `build.ts` (orchestration), `cache.ts`
 * (atomic, locked cache entries), `int8.ts` / `fp16.ts` (converters) and `check.ts` (numerics).
 */
import type { Profile, ProfileFile } from '../profiles';
import type { ConcreteProvider } from '../session';
import type { CalibrationMethod } from './calibrate';
import { DEFAULT_FP16_BLOCK_OPS } from './fp16';

/**
 * `fp32`            the unmodified reference model (nothing is built; same manifest shape)
 * `fp32-optimized`  detbench's dispatch rewrites (src/engine/fuse.ts) and onnxruntime's graph optimisations applied
 *                   offline, the optimised model saved
 * `fp16`            float16 graph with float32 inputs/outputs and a block list, for GPU providers
 * `int8`            static QDQ int8 (per-channel weights, calibrated uint8 activations) for the CPU provider
 * `webgpu`          the model prepared for a WebGPU session (the same rewrites, portable optimisations, NHWC layout)
 */
export const VARIANTS = ['fp32', 'fp32-optimized', 'fp16', 'int8', 'webgpu'] as const;
export type Variant = (typeof VARIANTS)[number];

/** Provider each variant is built for when `provider` is not given. */
export const VARIANT_PROVIDER: Record<Variant, ConcreteProvider> = {
  fp32: 'cpu',
  'fp32-optimized': 'cpu',
  fp16: 'webgpu',
  int8: 'cpu',
  webgpu: 'webgpu',
};

export interface BuildOptions {
  /** Which engine to build. Required. */
  variant: Variant;
  /** Registry name or .onnx path of the source model. @default 'ppocrv4-det' */
  model: string;
  /** int8: directory of calibration images (a dataset dir with `images/`, or images directly). @default the default dataset */
  calibration: string | undefined;
  /** int8: number of calibration images (the first N in name order). @default 10 */
  calibrationSize: number;
  /**
   * int8: how activation ranges are chosen. Percentile: calibrated on the default synthetic dataset, minmax ranges
   * are 2-3.4x wider than the 99.99th percentile (rare bright outliers) and the coarser step erases text under
   * 16 px (HMean -4.5 points vs fp32 on its 200 images); percentile gives -0.3. @default 'percentile'
   */
  calibrationMethod: CalibrationMethod;
  /** int8 `percentile` method: percentile kept per tail. @default 99.99 */
  calibrationPercentile: number;
  /** int8: longest side calibration images are resized to; undefined = the model's resize policy. @default undefined */
  calibrationSide: number | undefined;
  /** int8: op types or node names kept float. @default ['ConvTranspose', 'Sigmoid'] */
  int8Exclude: string[];
  /** fp16: op types or node names kept float32 (graph-output writers always are). @default DEFAULT_FP16_BLOCK_OPS */
  fp16Block: string[];
  /** Provider the engine is meant for; recorded in the manifest. @default VARIANT_PROVIDER[variant] */
  provider: ConcreteProvider | undefined;
  /** CPU threads for build-time runs (optimisation, calibration). 0 = all cores. @default 0 */
  threads: number;
  /** Rebuild even when a valid cache entry exists. @default false */
  force: boolean;
  /** Cache directory. @default `${cacheRoot()}/engines` */
  cacheDir: string | undefined;
  /** The shape profile(s) the engine serves, recorded in the manifest and the key. @default undefined */
  profile: Profile | ProfileFile | undefined;
  /** Called as the build advances (stage name, done, total). @default undefined */
  onProgress: ((stage: string, done: number, total: number) => void) | undefined;
}

export const DEFAULT_BUILD_OPTIONS: Omit<BuildOptions, 'variant'> = {
  model: 'ppocrv4-det',
  calibration: undefined,
  calibrationSize: 10,
  calibrationMethod: 'percentile',
  calibrationPercentile: 99.99,
  calibrationSide: undefined,
  int8Exclude: ['ConvTranspose', 'Sigmoid'],
  fp16Block: [...DEFAULT_FP16_BLOCK_OPS],
  provider: undefined,
  threads: 0,
  force: false,
  cacheDir: undefined,
  profile: undefined,
  onProgress: undefined,
};

/** One file of an engine, verified on every cache hit. */
export interface EngineFile {
  name: string;
  bytes: number;
  sha256: string;
}

/** Everything an engine is keyed by, plus what the build measured. */
export interface EngineManifest {
  schema: 1;
  /** sha256 over `variant`, `source.sha256`, `provider`, `ortVersion`, `builderVersion`, `buildOptions` and `profile`. */
  key: string;
  variant: Variant;
  /** The source model: registry name, file and content hash. */
  source: { model: string; path: string; sha256: string };
  provider: ConcreteProvider;
  precision: 'fp32' | 'fp16' | 'int8';
  /** Shape profile the engine was built for (null when none was given). */
  profile: Profile | ProfileFile | null;
  /** onnxruntime-node version that built (and must run) the engine. */
  ortVersion: string;
  /** Version of detbench's converters that wrote the artifact. */
  builderVersion: number;
  /** The options that change the artifact, normalised (calibration file hashes included). */
  buildOptions: Record<string, unknown>;
  /** Session options a runner should use with this engine. */
  session: Record<string, unknown>;
  builtAt: string;
  buildMs: number;
  sizeBytes: number;
  files: EngineFile[];
  /** Converter reports (folds, quantized nodes, casts, …). */
  details: Record<string, unknown>;
}

/** A ready engine: its manifest, the model file to run, and whether the cache supplied it. */
export type Engine = EngineManifest & { modelPath: string; cacheHit: boolean; rebuiltBecause?: string };
