/** `detbench synth`: generate a labelled synthetic dataset in ICDAR 2015 layout. */
import type { Command } from 'commander';
import { OptionError } from '../core';
import { generateSynth, SYNTH_PRESET_NAMES, type SynthPresetName } from '../data';

function int(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw new OptionError(`Expected a non-negative integer for --${name} but received ${JSON.stringify(v)}`);
    return Number(v);
  };
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('generate a labelled synthetic scene-text dataset (images/, gt/, manifest.json)')
    .requiredOption('--out <dir>', 'output folder (must be empty unless --overwrite)')
    .option('--count <n>', 'number of images (default: the preset\'s count)', int('count'))
    .option('--seed <n>', 'seed; the same seed gives the same bytes', int('seed'), 1)
    .option('--preset <name>', `one of ${SYNTH_PRESET_NAMES.join(', ')}`, 'default')
    .option('--concurrency <n>', 'images rendered at once (default: CPUs + 1)', int('concurrency'))
    .option('--overwrite', 'write into a folder that already has files', false)
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (opts: { out: string; count?: number; seed: number; preset: string; concurrency?: number; overwrite: boolean; progress: boolean }) => {
      let bar: import('cli-progress').SingleBar | undefined;
      if (opts.progress && process.stderr.isTTY) {
        const { SingleBar, Presets } = require('cli-progress') as typeof import('cli-progress');
        bar = new SingleBar({ stream: process.stderr, clearOnComplete: true, format: 'synth [{bar}] {value}/{total} images' }, Presets.shades_classic);
      }
      const started = performance.now();
      try {
        const { out, manifest } = await generateSynth({
          out: opts.out,
          count: opts.count ?? 0,
          seed: opts.seed,
          preset: opts.preset as SynthPresetName,
          concurrency: opts.concurrency ?? 0,
          overwrite: opts.overwrite,
          onProgress: (done, total) => {
            if (bar && done === 1) bar.start(total, 0);
            bar?.update(done);
          },
        });
        bar?.stop();
        process.stderr.write(`synth: ${manifest.count} images in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${out}\n`);
        const { files: _files, ...summary } = manifest;
        process.stdout.write(`${JSON.stringify({ out, ...summary }, null, 2)}\n`);
      } finally {
        bar?.stop();
      }
    });
}
