/**
 * `detbench story` (what `npm start` runs): the five stages headless on the embedded default, the
 * report written to reports/<timestamp>/, the final table printed to stdout.
 */
import type { Command } from 'commander';
import { integerIn, oneOf } from '../core';
import { VARIANTS, type Variant } from '../engine';
import { PROVIDERS, type ProviderName } from '../session';
import { DEFAULT_STORY_OPTIONS, METRICS, runStory, type MetricName } from '../story';

interface StoryFlags {
  model: string;
  data?: string;
  ep: string;
  engine?: string;
  variants: string;
  limit: string;
  out: string;
  threads: string;
  benchMs: string;
  metric: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('story')
    .description('run the whole conversion story (export, profiles, engine build, benchmark, CLEval) and write reports/<time>/')
    .option('--model <name|path>', 'registered model name or .onnx path', DEFAULT_STORY_OPTIONS.model)
    .option('--data <dir|zip>', 'dataset in ICDAR 2015 layout (default: the embedded default dataset)')
    .option('--ep <provider>', `execution provider: ${PROVIDERS.join(' | ')} (auto = best GPU, else CPU)`, DEFAULT_STORY_OPTIONS.provider)
    .option('--engine <variant>', `engine compared with fp32: ${VARIANTS.join(' | ')} (default: int8 on CPU, fp16 on a GPU)`)
    .option('--variants <list>', 'extra variants for the accuracy-vs-latency chart, comma-separated ("" for none)', DEFAULT_STORY_OPTIONS.extraVariants.join(','))
    .option('--limit <n>', 'use the first N images (0 = all)', String(DEFAULT_STORY_OPTIONS.limit))
    .option('--out <dir>', 'reports root', DEFAULT_STORY_OPTIONS.out)
    .option('--threads <n>', 'CPU threads per session (0 = all cores)', String(DEFAULT_STORY_OPTIONS.threads))
    .option('--bench-ms <ms>', 'fixed-shape benchmark time per engine', String(DEFAULT_STORY_OPTIONS.benchMs))
    .option('--metric <name>', `accuracy metric: ${METRICS.join(' | ')}`, DEFAULT_STORY_OPTIONS.metric)
    .option('--json', 'print results.json\'s final table, bootstrap and report path as JSON instead of the table')
    .action(async (flags: StoryFlags) => {
      const result = await runStory({
        model: flags.model,
        data: flags.data,
        provider: oneOf('--ep', flags.ep, PROVIDERS) as ProviderName,
        engine: flags.engine ? (oneOf('--engine', flags.engine, VARIANTS) as Variant) : undefined,
        extraVariants: flags.variants.split(',').map((s) => s.trim()).filter(Boolean).map((v) => oneOf('--variants', v, VARIANTS) as Variant),
        limit: integerIn('--limit', Number(flags.limit), 0, 1_000_000),
        out: flags.out,
        threads: integerIn('--threads', Number(flags.threads), 0, 1024),
        benchMs: integerIn('--bench-ms', Number(flags.benchMs), 100, 600_000),
        metric: oneOf('--metric', flags.metric, METRICS) as MetricName,
      });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ report: result.dir, provider: result.provider, finalTable: result.comparison.finalTable, bootstrap: result.comparison.bootstrap, seconds: result.seconds }, null, 2)}\n`);
      } else {
        process.stdout.write(`\n${result.table}\n\n${result.comparison.bootstrap.verdict}\nreport: ${result.dir}/story.html\n`);
      }
    });
}
