/**
 * The embedded default dataset: the `default` preset (200 images, seed 1) generated on first use
 * into the cache, then reused. See data/README.md for why it is generated rather than committed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheRoot, defaultLogger, withDefaults, type Logger } from '../core';
import { loadDataset } from './load';
import { generateSynth, type SynthManifest } from './synth/generate';
import { SYNTH_VERSION } from './synth/presets';
import type { Dataset } from './types';

/** Seed and preset of the embedded default dataset. */
export const DEFAULT_DATASET = { preset: 'default', seed: 1, count: 200 } as const;

export interface DefaultDatasetOptions {
  /** Progress bar on stderr while generating (only when stderr is a terminal; otherwise a line per 50 images). Default true. */
  progress: boolean;
  /** Where progress lines and font warnings go. Default: the process-wide default logger. */
  logger: Logger | undefined;
}

export const DEFAULT_DEFAULT_DATASET_OPTIONS: DefaultDatasetOptions = { progress: true, logger: undefined };

/** Folder of the cached default dataset for this generator version. */
export function defaultDatasetDir(): string {
  const { preset, seed } = DEFAULT_DATASET;
  return path.join(cacheRoot(), 'datasets', `synth-${preset}-v${SYNTH_VERSION}-seed${seed}`);
}

function complete(dir: string): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as SynthManifest;
    return m.version === SYNTH_VERSION && m.count === DEFAULT_DATASET.count;
  } catch {
    return false;
  }
}

/** The default dataset, generating it (about 30-60 s on two cores) the first time. */
export async function defaultDataset(options?: Partial<DefaultDatasetOptions>): Promise<Dataset> {
  const o = withDefaults('defaultDataset options', DEFAULT_DEFAULT_DATASET_OPTIONS, options);
  const logger = o.logger ?? defaultLogger();
  const dir = defaultDatasetDir();
  if (!complete(dir)) {
    // Generate beside the target and rename, so an interrupted run never leaves a half set that looks complete.
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    logger.info(`Generating the default dataset (${DEFAULT_DATASET.count} images) into ${dir} ...`);
    let bar: { start(total: number, v: number): void; update(v: number): void; stop(): void } | undefined;
    if (o.progress && process.stderr.isTTY) {
      const { SingleBar, Presets } = require('cli-progress') as typeof import('cli-progress');
      bar = new SingleBar({ stream: process.stderr, clearOnComplete: true, format: 'synth [{bar}] {value}/{total} images' }, Presets.shades_classic);
      bar.start(DEFAULT_DATASET.count, 0);
    }
    try {
      await generateSynth({
        out: tmp,
        preset: DEFAULT_DATASET.preset,
        seed: DEFAULT_DATASET.seed,
        count: DEFAULT_DATASET.count,
        logger,
        onProgress: (done, total) => {
          if (bar) bar.update(done);
          else if (o.progress && (done % 50 === 0 || done === total)) logger.info(`synth: ${done}/${total} images`);
        },
      });
    } catch (err) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw err;
    } finally {
      bar?.stop();
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  return loadDataset(dir, { format: 'icdar2015' });
}
