/**
 * Stage 3, engine build: each variant built (or taken from the cache, with the reason when it was
 * rebuilt) and checked numerically against the fp32 reference on real images before anyone trusts
 * its detections.
 */
import { defaultLogger, type Logger } from '../core';
import { VARIANT_PROVIDER, buildEngine, numericalCheck, type Engine, type NumericalReport, type Variant } from '../engine';
import type { ConcreteProvider } from '../session';

export interface BuiltEngine {
  engine: Engine;
  check?: NumericalReport;
}

export interface EngineRow {
  variant: string;
  provider: string;
  precision: string;
  cache: string;
  build_s: number;
  size_MiB: number;
  max_abs_error: number | null;
  flip_rate: number | null;
  checked_on: string;
}

export interface BuildStageOptions {
  model: string;
  provider: ConcreteProvider;
  /** Calibration images folder (int8). */
  calibration: string | undefined;
  /** Images for the numerical check (a few are enough). */
  checkImages: string[];
  /** CPU threads, 0 = all. */
  threads: number;
}

/** Builds (or reuses) every variant and runs the numerical check on those that are not the reference. */
export async function buildVariants(variants: readonly Variant[], o: BuildStageOptions, logger: Logger = defaultLogger(), onStep?: (label: string) => void): Promise<BuiltEngine[]> {
  const out: BuiltEngine[] = [];
  for (const variant of variants) {
    onStep?.(`building ${variant}`);
    // The reference runs where the story runs; CPU-only variants stay on CPU; GPU variants go to the
    // chosen GPU provider, or run on the CPU when the story does (loadable there, but not fast).
    const natural = VARIANT_PROVIDER[variant];
    const provider: ConcreteProvider = variant === 'fp32' ? o.provider : natural === 'cpu' ? 'cpu' : o.provider;
    if (natural !== 'cpu' && provider === 'cpu') {
      logger.warn(`${variant} is an engine for GPU providers; on the CPU provider onnxruntime runs most of it in float32 behind Casts, so its latency here says little`);
    }
    const engine = await buildEngine({ variant, model: o.model, provider, calibration: o.calibration, threads: o.threads }, logger);
    if (engine.rebuiltBecause) logger.info(`engine ${variant} rebuilt: ${engine.rebuiltBecause}`);
    let check: NumericalReport | undefined;
    if (variant !== 'fp32' && o.checkImages.length) {
      onStep?.(`checking ${variant}`);
      check = await numericalCheck(engine, o.checkImages, { threads: o.threads }, logger);
    }
    out.push({ engine, check });
  }
  return out;
}

/** One row per engine for the build table. */
export function engineTable(built: readonly BuiltEngine[]): EngineRow[] {
  return built.map(({ engine, check }) => {
    const worst = check?.outputs.reduce((a, b) => (b.maxAbs > a.maxAbs ? b : a), check.outputs[0]);
    return {
      variant: engine.variant,
      provider: engine.provider,
      precision: engine.precision,
      cache: engine.variant === 'fp32' ? 'source model' : engine.cacheHit ? 'hit' : engine.rebuiltBecause ? `rebuilt: ${engine.rebuiltBecause}` : 'built',
      build_s: engine.buildMs / 1000,
      size_MiB: engine.sizeBytes / 2 ** 20,
      max_abs_error: worst ? worst.maxAbs : null,
      flip_rate: worst ? worst.flipRate : null,
      checked_on: check ? `${check.images} image(s), ${check.ranOn}` : '',
    };
  });
}
