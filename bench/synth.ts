/**
 * Synthetic dataset generation speed: the 200-image default preset must take under 60 s on a
 * 2-core machine. Warm-up: one image first (fontconfig and sharp start-up), not counted.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../src/core';
import { generateSynth } from '../src/data';

export async function run(opts: { quick: boolean }): Promise<{ name: string; rows: Record<string, unknown>[]; notes?: string[] }> {
  const count = opts.quick ? 40 : 200;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'detbench-bench-synth-'));
  try {
    await generateSynth({ out: path.join(root, 'warmup'), count: 1, seed: 1, logger: silentLogger });
    const started = performance.now();
    const { manifest } = await generateSynth({ out: path.join(root, 'set'), count, seed: 1, preset: 'default', logger: silentLogger });
    const seconds = (performance.now() - started) / 1000;
    return {
      name: 'synth',
      rows: [
        {
          preset: 'default',
          images: count,
          seconds: Math.round(seconds * 10) / 10,
          imagesPerSecond: Math.round((count / seconds) * 10) / 10,
          projected200s: Math.round((seconds * 200) / count * 10) / 10,
          boxes: manifest.counts.boxes,
          cpus: os.availableParallelism(),
        },
      ],
      notes: ['target: 200 images in < 60 s on 2 cores (projected200s for --quick)'],
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
