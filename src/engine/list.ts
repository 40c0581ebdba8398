/** What the engine cache holds: each slot with its manifest, or why it is not usable. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheRoot } from '../core';
import { readEntry } from './cache';
import type { Engine } from './options';

export interface CachedEngine {
  slot: string;
  dir: string;
  /** The engine when its entry is valid. */
  engine?: Engine;
  /** Why the entry is not usable (interrupted build, corrupted file, …). */
  problem?: string;
}

/** Lists the engine cache (default `${cacheRoot()}/engines`), valid entries and broken ones. */
export function listEngines(options: { cacheDir?: string } = {}): CachedEngine[] {
  const dir = path.resolve(options.cacheDir ?? path.join(cacheRoot(), 'engines'));
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => {
      const slotDir = path.join(dir, e.name);
      const entry = readEntry(slotDir);
      return 'manifest' in entry
        ? { slot: e.name, dir: slotDir, engine: { ...entry.manifest, modelPath: path.join(slotDir, entry.manifest.files[0]?.name ?? 'model.onnx'), cacheHit: true } }
        : { slot: e.name, dir: slotDir, problem: entry.problem };
    });
}
