/**
 * The story run (`npm start`, `detbench story`): the five stages of the conversion on the embedded
 * default, headless, ending in the blog's table — measured on this machine.
 *
 *   dataset ──▶ 1 export ──▶ 2 shape ──▶ 3 engine ──▶ 4 benchmark ──▶ 5 CLEval ──▶ reports/<time>/
 *               inspect,     profiles     build +      fixed shape     comparison    story.md, story.html,
 *               lint         from data    check        + every image   table, CI,    results.json, *.csv
 *                                         (cached)     (interleaved)   bins, Pareto
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, defaultLogger, errorText, integerIn, oneOf, progressBar, withDefaults, writeJsonAtomic, type Logger } from '../core';
import { defaultDataset, loadDataset, type Dataset } from '../data';
import { VARIANTS, VARIANT_PROVIDER, ORT_VERSION, type Variant } from '../engine';
import { resolveModel } from '../models';
import { createSession, PROVIDERS, type ConcreteProvider, type ProviderName } from '../session';
import { hmeanDeltaChart, paretoChart, sizeBinChart, stageLatencyChart, writeReport, type ReportBlock } from '../report';
import { describeModel, modelBlocks } from './stage-export';
import { designForDataset, profileBlocks } from './stage-profiles';
import { buildVariants, engineTable } from './stage-engines';
import { benchFixedShape } from './stage-bench';
import { gpuBench, type GpuBench } from './stage-gpu';
import { latencyTable, runEngines, stageRows, type EngineEntry } from './stage-run';
import { compareRuns, formatFinalTable, variantFront, METRICS, type Comparison, type MetricName } from './stage-compare';
import { probMapDiff, worstImageViews } from './stage-views';

export interface StoryOptions {
  /** Registry name or .onnx path of the reference model. @default 'ppocrv4-det' */
  model: string;
  /** Dataset folder or zip (ICDAR 2015 layout); undefined = the embedded default dataset. @default undefined */
  data: string | undefined;
  /** Execution provider; `auto` takes the best available GPU and falls back to CPU. @default 'auto' */
  provider: ProviderName;
  /** Variant compared with the fp32 reference; undefined = `int8` on CPU, `fp16` on a GPU. @default undefined */
  engine: Variant | undefined;
  /** More variants to build and place on the accuracy-vs-latency chart. @default ['fp32-optimized'] */
  extraVariants: Variant[];
  /** Use only the first N images (0 = all). @default 0 */
  limit: number;
  /** Reports root; the run writes `<out>/<timestamp>/`. @default 'reports' */
  out: string;
  /** CPU threads per session, 0 = all cores. @default 0 */
  threads: number;
  /** Fixed-shape benchmark: input shape and time per engine. @default [1, 3, 736, 1280] */
  benchShape: number[];
  /** @default 3000 */
  benchMs: number;
  /** Accuracy metric. @default 'cleval' */
  metric: MetricName;
  /** Worst images shown with overlays of both engines. @default 3 */
  worst: number;
  /** Progress bar on a terminal. @default true */
  progress: boolean;
}

export const DEFAULT_STORY_OPTIONS: StoryOptions = {
  model: 'ppocrv4-det',
  data: undefined,
  provider: 'auto',
  engine: undefined,
  extraVariants: ['fp32-optimized'],
  limit: 0,
  out: 'reports',
  threads: 0,
  benchShape: [1, 3, 736, 1280],
  benchMs: 3000,
  metric: 'cleval',
  worst: 3,
  progress: true,
};

export interface StoryResult {
  dir: string;
  provider: ConcreteProvider;
  comparison: Comparison;
  /** The final table as terminal text. */
  table: string;
  files: string[];
  /** Seconds per step. */
  seconds: Record<string, number>;
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[:]/g, '-').replace(/\..+$/, '');
}

/** The provider `auto` resolves to here (a session is opened once to find out). */
async function pickProvider(model: string, provider: ProviderName, logger: Logger): Promise<ConcreteProvider> {
  if (provider !== 'auto') return provider;
  const s = await createSession({ model: resolveModel(model).path(), provider: 'auto' }, logger);
  try {
    return s.provider;
  } finally {
    await s.dispose();
  }
}

/** Runs the five stages and writes the report; see the diagram at the top of this file. */
export async function runStory(options: Partial<StoryOptions> = {}, logger: Logger = defaultLogger()): Promise<StoryResult> {
  const o = withDefaults('story options', DEFAULT_STORY_OPTIONS, options);
  oneOf('provider', o.provider, PROVIDERS);
  oneOf('metric', o.metric, METRICS);
  integerIn('limit', o.limit, 0, 1_000_000);
  if (o.engine) oneOf('engine', o.engine, VARIANTS);
  o.extraVariants.forEach((v) => oneOf('extraVariants', v, VARIANTS));
  const seconds: Record<string, number> = {};
  let t = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    seconds[name] = (now - t) / 1000;
    t = now;
  };
  const say = (n: number | string, text: string) => logger.info(`[${n}/5] ${text}`);
  const blocks: ReportBlock[] = [];

  // 0. Data and provider.
  say(0, `loading ${o.data ?? 'the embedded default dataset'}`);
  const dataset: Dataset = o.data ? await loadDataset(o.data) : await defaultDataset();
  const items = o.limit > 0 ? dataset.items.slice(0, o.limit) : dataset.items;
  if (items.length === 0) {
    throw new InputError(`The dataset at ${dataset.root} has no labelled images${dataset.skipped.length ? ` (${dataset.skipped.length} files skipped, e.g. ${dataset.skipped[0].path}: ${dataset.skipped[0].reason})` : ''}`, {
      subject: dataset.root,
      fix: 'pass --data DIR with images/ and gt/ in ICDAR 2015 layout, or leave --data out for the embedded default',
    });
  }
  const provider = await pickProvider(o.model, o.provider, logger);
  const candidate: Variant = o.engine ?? (provider === 'cpu' ? 'int8' : 'fp16');
  // GPU-only variants cannot run on a CPU-only machine: leave the extra ones out with a word why.
  const extras = o.extraVariants.filter((v) => {
    const runnable = provider !== 'cpu' || VARIANT_PROVIDER[v] === 'cpu';
    if (!runnable) logger.warn(`variant ${v} skipped: it runs on ${VARIANT_PROVIDER[v]}, and this run uses the CPU`);
    return runnable;
  });
  const variants = [...new Set<Variant>(['fp32', candidate, ...extras])];
  step('setup');
  blocks.push({
    kind: 'text',
    text: `Model **${o.model}**, ${items.length} images from \`${path.relative(process.cwd(), dataset.root) || '.'}\`, provider **${provider}** (requested \`${o.provider}\`), reference **fp32**, engine **${candidate}**, variants ${variants.map((v) => `\`${v}\``).join(', ')}. ${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, onnxruntime-node ${ORT_VERSION}.`,
  });

  // 1. Export: what the model is and what would break an engine build.
  say(1, 'export: inspecting and linting the model');
  const model = describeModel(o.model, o.benchShape);
  blocks.push({ kind: 'heading', text: '1. Export: the model and its lint' }, ...modelBlocks(model));
  step('1 export');

  // 2. Shape profiles from the data.
  say(2, 'shape profiles: designing from the dataset\'s image sizes');
  const profiles = await designForDataset(items, resolveModel(o.model));
  blocks.push({ kind: 'heading', text: '2. Shape profiles from the data' }, ...profileBlocks(profiles));
  step('2 profiles');

  // 3. Engine build + numerical check.
  say(3, `engine build: ${variants.join(', ')} (cached after the first run)`);
  const built = await buildVariants(
    variants,
    { model: o.model, provider, calibration: path.dirname(items[0].imagePath), checkImages: items.slice(0, 2).map((i) => i.imagePath), threads: o.threads },
    logger,
    (label) => logger.info(`      ${label}`),
  );
  const engines: (EngineEntry & { modelFile: string })[] = built.map((b) => ({ name: b.engine.variant, modelFile: b.engine.modelPath, provider: b.engine.provider }));
  blocks.push(
    { kind: 'heading', text: '3. Engine build and numerical check' },
    { kind: 'table', table: engineTable(built), caption: 'Engines (max abs error and flip rate vs fp32 on real images)', csv: 'engines', digits: 3 },
  );
  step('3 engines');

  // 4. Benchmark: fixed shape, then every image through every engine (interleaved).
  say(4, `benchmark: ${o.benchShape.join('x')} for ${o.benchMs} ms per engine, then ${items.length} images x ${engines.length} engines`);
  const bench = await benchFixedShape(engines, o.benchShape, { model: o.model, threads: o.threads, durationMs: o.benchMs, iterations: 10 }, logger);
  const bar = progressBar('detect', items.length * engines.length, o.progress && Boolean(process.stderr.isTTY) && !process.env.CI);
  const runs = await runEngines(items, engines, { model: o.model, threads: o.threads }, () => bar.tick());
  bar.stop();
  for (const r of runs) for (const e of r.errors) logger.warn(`${r.name}: ${e.id}: ${e.error.split('\n')[0]}`);
  const latency = latencyTable(runs);
  // The WebGPU engines (bytes I/O, rewrites, capture): measured here on a GPU, else the recorded GPU-host run.
  const gpu: GpuBench | undefined = await gpuBench({ model: o.model, shape: o.benchShape, durationMs: o.benchMs }, logger).catch((err) => {
    logger.warn(`GPU view skipped: ${errorText(err).split('\n')[0]}`);
    return undefined;
  });
  blocks.push(
    { kind: 'heading', text: '4. Benchmark' },
    { kind: 'table', table: bench.rows, caption: `Inference alone at ${o.benchShape.join('x')}, ms (trtexec-style; "trust" lists reasons to doubt a figure)`, csv: 'bench', digits: 1 },
    { kind: 'chart', spec: bench.chart, name: 'bench-latency', caption: `Latency distribution at ${o.benchShape.join('x')}` },
    { kind: 'table', table: latency, caption: `The whole pipeline on ${items.length} images (medians per image, ms)`, csv: 'latency', digits: 1 },
    { kind: 'chart', spec: stageLatencyChart(stageRows(latency)), name: 'stages', caption: 'Median time per image by stage' },
  );
  if (gpu) {
    blocks.push(
      { kind: 'text', text: `**On an NVIDIA GPU.** ${gpu.note}` },
      { kind: 'table', table: gpu.rows, caption: `fp32 CPU reference and WebGPU engines on one GPU host at ${o.benchShape.join('x')}, run() ms (${gpu.source})`, csv: 'gpu_bench', digits: 2 },
      { kind: 'chart', spec: gpu.chart, name: 'gpu-latency', caption: `CPU and WebGPU engines, p50 and p90 (${gpu.source})` },
    );
  }
  step('4 benchmark');

  // 5. CLEval comparison: the final table and what is behind it.
  say(5, `${o.metric} comparison: fp32 vs ${candidate}`);
  const ref = runs.find((r) => r.name === 'fp32')!;
  const cand = runs.find((r) => r.name === candidate)!;
  const comparison = compareRuns(items, ref, cand, { metric: o.metric });
  const front = variantFront(items, runs, o.metric);
  const views = await worstImageViews(items, comparison, { reference: ref, candidate: cand }, o.worst);
  const worstItem = items.find((i) => i.id === comparison.perImage[0]?.image) ?? items[0];
  const engineOf = (name: string) => engines.find((e) => e.name === name)!;
  const heat = await probMapDiff(worstItem.imagePath, engineOf('fp32'), engineOf(candidate), o.model, o.threads).catch((err) => {
    logger.warn(`probability-map heatmap skipped: ${errorText(err)}`);
    return undefined;
  });
  const table = formatFinalTable(comparison);
  blocks.push(
    { kind: 'heading', text: `5. ${o.metric === 'cleval' ? 'CLEval' : 'IoU'} comparison` },
    { kind: 'table', table: comparison.finalTable, caption: `fp32 reference vs ${candidate} engine (${o.metric}, ${comparison.perImage.length} images)`, csv: 'final', digits: 4 },
    { kind: 'text', text: `Paired bootstrap (${comparison.bootstrap.iterations} resamples of the ${comparison.bootstrap.images} images): **${comparison.bootstrap.verdict}**.` },
    { kind: 'chart', spec: hmeanDeltaChart(comparison.perImage, candidate), name: 'per-image-delta', caption: 'Per-image HMean change, worst first' },
    { kind: 'table', table: comparison.perImage.slice(0, 10), caption: 'Per-image HMean, largest drop first (first 10; all in per_image.csv)', csv: 'per_image' },
    { kind: 'chart', spec: sizeBinChart(comparison.sizeBins, 'fp32', candidate), name: 'size-bins', caption: 'HMean and recall change by text height: small text is where reduced precision fails first' },
    { kind: 'table', table: comparison.sizeBins.map((b) => ({ ...b, maxHeight: Number.isFinite(b.maxHeight) ? b.maxHeight : null })), caption: 'Deltas by text-size bin', csv: 'size_bins' },
    { kind: 'chart', spec: paretoChart(front), name: 'pareto', caption: 'Accuracy vs median inference latency of every variant on the dataset' },
    { kind: 'table', table: front, caption: 'Variants, Pareto front marked', csv: 'pareto' },
  );
  if (views.length) {
    blocks.push({ kind: 'text', text: 'The worst images, reference left and engine right (green matched, red missed GT, orange false detections, grey don\'t care):' });
    for (const v of views) blocks.push({ kind: 'images', images: [{ ...v.reference, name: `${v.id}-fp32` }, { ...v.candidate, name: `${v.id}-${candidate}` }] });
  } else {
    blocks.push({ kind: 'text', text: `No image scored lower with ${candidate} than with fp32.` });
  }
  if (heat) blocks.push({ kind: 'images', images: [{ png: heat.png, name: `${worstItem.id}-probdiff`, caption: `${worstItem.id}: ${heat.caption}` }] });
  step('5 compare');

  // Write everything.
  const dir = path.resolve(o.out, stamp());
  blocks.unshift({ kind: 'code', text: table });
  blocks.push({ kind: 'heading', text: 'Run' }, { kind: 'table', table: Object.entries(seconds).map(([s, v]) => ({ step: s, seconds: v })), caption: 'Time per step (s)', digits: 1 });
  const written = await writeReport(dir, { title: `detbench story: fp32 vs ${candidate} on ${provider}`, blocks });
  const results = {
    options: o,
    provider,
    candidate,
    dataset: { root: dataset.root, format: dataset.format, images: items.length, skipped: dataset.skipped.length },
    environment: { node: process.version, ort: ORT_VERSION, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, platform: `${os.platform()} ${os.arch()}` },
    model: { facts: model.facts, lint: model.lintRows },
    engines: engineTable(built),
    bench: bench.rows,
    gpu: gpu ? { source: gpu.source, reason: gpu.reason, file: gpu.file, environment: gpu.environment, rows: gpu.rows } : null,
    latency,
    finalTable: comparison.finalTable,
    bootstrap: comparison.bootstrap,
    sizeBins: comparison.sizeBins,
    pareto: front,
    perImage: comparison.perImage,
    errors: runs.flatMap((r) => r.errors.map((e) => ({ engine: r.name, ...e }))),
    seconds,
  };
  const resultsFile = path.join(dir, 'results.json');
  writeJsonAtomic(resultsFile, results);
  return { dir, provider, comparison, table, files: [...written.files, resultsFile], seconds };
}
