import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { InputError, OptionError, integerIn, numberIn, oneOf } from '../core';
import { BENCH_PROVIDERS, benchJson, formatTable, runBench, writeBenchReports } from '../bench';
import { resolveModel } from '../models';
import { parseBuckets } from '../profiles';

interface BenchFlags {
  engines: string;
  ep: string;
  model: string;
  shapes: string;
  data?: string;
  images: string;
  buckets?: string;
  threads: string;
  warmup: string;
  duration: string;
  iterations: string;
  out: string;
  json?: boolean;
}

/** `1x3x736x1280,1x3x544x960` → [[1,3,736,1280], [1,3,544,960]]. */
export function parseShapes(text: string): number[][] {
  return text.split(',').filter(Boolean).map((s) => {
    const dims = s.split('x').map(Number);
    if (dims.length !== 4 || !dims.every((d) => Number.isInteger(d) && d > 0)) {
      throw new OptionError(`Expected a shape NxCxHxW of positive integers but received ${JSON.stringify(s)}`, { subject: '--shapes', fix: 'write e.g. --shapes 1x3x736x1280,1x3x544x960' });
    }
    return dims;
  });
}

/** Image files of DIR, or of DIR/images (ICDAR layout), sorted; at most `limit`. */
export function listImages(dir: string, limit: number): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new InputError(`--data ${dir} is not a directory`, { subject: dir, fix: 'pass a folder of images, or a dataset folder with images/ inside' });
  }
  const sub = path.join(dir, 'images');
  const root = fs.existsSync(sub) && fs.statSync(sub).isDirectory() ? sub : dir;
  const files = fs.readdirSync(root).filter((f) => /\.(jpe?g|png|webp|tiff?|gif)$/i.test(f)).sort().map((f) => path.join(root, f));
  if (files.length === 0) throw new InputError(`No images in ${root}`, { subject: root, fix: 'pass a folder that holds .jpg or .png files' });
  return files.slice(0, limit);
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('time engines (inference per shape, and the whole pipeline on images) with warm-up, percentiles and trust warnings')
    .option('--engines <list>', 'engines: fp32, built variants (int8, fp16, …) or .onnx paths, each optionally :input:output formats and @provider (webgpu-graph: captured WebGPU engine)', 'fp32')
    .option('--ep <provider>', `provider for engines without @provider: ${BENCH_PROVIDERS.join(' | ')}`, 'cpu')
    .option('--model <name|path>', 'reference model', 'ppocrv4-det')
    .option('--shapes <list>', 'input shapes NxCxHxW timed with inference alone (empty: none)', '1x3x736x1280')
    .option('--data <dir>', 'images (or a dataset folder with images/) timed through the whole pipeline')
    .option('--images <n>', 'use at most N images of --data', '10')
    .option('--buckets <HxW,...|profile.json>', 'pipeline rows: pad images to the smallest of these shapes (one captured engine per bucket with @webgpu-graph)')
    .option('--threads <n>', 'CPU threads (0 = all cores)', '0')
    .option('--warmup <ms>', 'warm up at least this long (and 3 runs)', '200')
    .option('--duration <ms>', 'time at least this long', '3000')
    .option('--iterations <n>', 'and at least this many runs', '10')
    .option('--out <dir>', 'write bench.csv, bench.json and bench.vl.json here', 'reports/bench')
    .option('--json', 'print {environment, rows, warnings} as JSON on stdout')
    .action(async (flags: BenchFlags) => {
      const provider = oneOf('--ep', flags.ep, BENCH_PROVIDERS);
      const result = await runBench({
        engines: flags.engines.split(',').filter(Boolean),
        provider,
        model: flags.model,
        shapes: parseShapes(flags.shapes),
        images: flags.data ? listImages(flags.data, integerIn('--images', Number(flags.images), 1)) : [],
        buckets: flags.buckets !== undefined ? parseBuckets(flags.buckets, resolveModel(flags.model).input.name) : [],
        threads: integerIn('--threads', Number(flags.threads), 0, 1024),
        measure: {
          warmupMs: numberIn('--warmup', Number(flags.warmup), 0),
          durationMs: numberIn('--duration', Number(flags.duration), 0),
          iterations: integerIn('--iterations', Number(flags.iterations), 1),
        },
      });
      const written = writeBenchReports(result, flags.out);
      if (flags.json) {
        process.stdout.write(JSON.stringify(benchJson(result)) + '\n');
      } else {
        process.stdout.write(formatTable(result.rows) + '\n');
        for (const w of result.warnings) process.stdout.write(`! ${w}\n`);
        process.stdout.write(`peak RSS ${result.peakRssMiB} MiB; ${result.environment.cpu} (${result.environment.cores} cores), GPU ${result.environment.gpu}\n`);
      }
      process.stderr.write(`wrote ${written.join(', ')}\n`);
    });
}
