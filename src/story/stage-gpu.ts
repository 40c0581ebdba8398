/**
 * Stage 4b, the GPU view: the WebGPU engines measured here when this machine has a GPU, otherwise the
 * figures recorded on the GPU host (bench/gpu/results), shown with the environment they came from and
 * the command that reproduces them. Never a mix: recorded rows are labelled as such.
 */
import * as path from 'node:path';
import { InputError, collectingLogger, defaultLogger, withDefaults, type Logger } from '../core';
import { readBenchReport, recordedGpuReportPath, runBench, type BenchEnvironment, type BenchRow } from '../bench';
import type { VegaLiteSpec } from '../report';
import { probeProvider } from '../session';

/**
 * The engines timed side by side, slowest to fastest: the fp32 CPU reference (all cores), the source
 * model on WebGPU, with bytes in and out (normalisation in the graph), the dispatch-rewritten `webgpu`
 * engine, and both captured.
 */
export const GPU_ENGINES = [
  'fp32@cpu',
  'fp32@webgpu',
  'fp32:packed-nhwc:packed-uint8@webgpu',
  'webgpu:packed-nhwc:packed-uint8@webgpu',
  'fp32@webgpu-graph',
  'webgpu@webgpu-graph',
] as const;

export interface GpuBenchOptions {
  /** Registry name or .onnx path. @default 'ppocrv4-det' */
  model: string;
  /** Input shape [N, 3, H, W]. @default [1, 3, 736, 1280] */
  shape: number[];
  /** Timed duration per engine when measuring here. @default 2000 */
  durationMs: number;
  /** Engines when measuring here (`detbench bench --engines` syntax). @default GPU_ENGINES */
  engines: readonly string[];
  /** Timed iterations at least, when measuring here. @default 20 */
  iterations: number;
  /** Warm-up before timing each engine, ms (at least 3 runs), when measuring here. @default 500 */
  warmupMs: number;
  /**
   * Report shown when this machine has no GPU; undefined = the recorded H100 run of PP-OCRv4 det
   * (only for that model: a report does not say which model it timed). @default undefined
   */
  recorded: string | undefined;
}

export const DEFAULT_GPU_BENCH_OPTIONS: GpuBenchOptions = {
  model: 'ppocrv4-det',
  shape: [1, 3, 736, 1280],
  durationMs: 2000,
  engines: GPU_ENGINES,
  iterations: 20,
  warmupMs: 500,
  recorded: undefined,
};

export interface GpuBench {
  /** `measured` on this machine now, or `recorded` elsewhere (see `file`, `environment`). */
  source: 'measured' | 'recorded';
  /** Why this machine's GPU was not used (empty when measured). */
  reason: string;
  file: string | undefined;
  environment: BenchEnvironment;
  /** Inference rows at `shape`, one per engine in the report's (or GPU_ENGINES') order. */
  rows: { engine: string; provider: string; p50_ms: number; p90_ms: number; p99_ms: number; cov: number; iterations: number; trust: string }[];
  /** p50 bars with a p90 tick per engine. */
  chart: VegaLiteSpec;
  /** One paragraph: what the figures are, where they come from, how to reproduce them. */
  note: string;
}

/** A short axis label: `webgpu:packed-nhwc:packed-uint8` on `webgpu-graph` → `webgpu, bytes I/O @ webgpu-graph`. */
export function engineLabel(engine: string, provider: string): string {
  const [base, input, output] = engine.split(':');
  const io = input === undefined ? '' : input === 'packed-nhwc' && output === 'packed-uint8' ? ', bytes I/O' : `, ${input}:${output ?? 'float32'}`;
  return `${base}${io} @ ${provider}`;
}

/** p50 bars with a p90 tick, one per engine, coloured by provider (for rows without raw samples). */
export function p50Chart(rows: readonly Pick<BenchRow, 'engine' | 'provider' | 'p50_ms' | 'p90_ms'>[], title: string): VegaLiteSpec {
  const values = rows.map((r) => ({ engine: engineLabel(r.engine, r.provider), provider: r.provider, p50_ms: r.p50_ms, p90_ms: r.p90_ms }));
  const x = { field: 'engine', type: 'nominal', sort: null, title: null, axis: { labelAngle: -25, labelLimit: 320 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values },
    width: { step: 110 },
    height: 240,
    layer: [
      { mark: 'bar', encoding: { x, y: { field: 'p50_ms', type: 'quantitative', title: 'run() latency (ms), bar p50, tick p90' }, color: { field: 'provider', type: 'nominal' } } },
      { mark: { type: 'tick', color: 'black', thickness: 2 }, encoding: { x, y: { field: 'p90_ms', type: 'quantitative' } } },
      { mark: { type: 'text', dy: -8 }, encoding: { x, y: { field: 'p50_ms', type: 'quantitative' }, text: { field: 'p50_ms', type: 'quantitative', format: '.1f' } } },
    ],
  };
}

/** The GPU engines at `shape`: measured here with a WebGPU adapter, else the recorded report. */
export async function gpuBench(options: Partial<GpuBenchOptions> = {}, logger: Logger = defaultLogger()): Promise<GpuBench> {
  const o = withDefaults('gpu bench options', DEFAULT_GPU_BENCH_OPTIONS, options);
  const shape = o.shape.join('x');
  const probe = await probeProvider('webgpu');
  let source: GpuBench['source'];
  let file: string | undefined;
  let result;
  if (probe.available) {
    source = 'measured';
    // The harness logs engine-cache lines per engine; only its trust warnings matter here.
    const collected = collectingLogger();
    result = await runBench(
      { engines: [...o.engines], model: o.model, shapes: [o.shape], measure: { durationMs: o.durationMs, iterations: o.iterations, warmupMs: o.warmupMs, warmupIterations: 3 }, progress: false },
      collected,
    );
    for (const w of result.warnings) logger.warn(w);
  } else {
    source = 'recorded';
    if (o.recorded === undefined && o.model !== DEFAULT_GPU_BENCH_OPTIONS.model) {
      throw new InputError(`No GPU here (${probe.reason}), and the recorded GPU run is of ${DEFAULT_GPU_BENCH_OPTIONS.model}, not ${o.model}`, {
        subject: o.model, fix: `pass recorded: a report from \`detbench bench --model ${o.model} --json\` run on a GPU machine`,
      });
    }
    file = o.recorded ?? recordedGpuReportPath();
    if (!file) {
      throw new InputError(`No GPU here (${probe.reason}) and no recorded GPU report shipped with this install`, {
        subject: 'recorded', fix: 'pass recorded: a report from `detbench bench --json` run on a GPU machine',
      });
    }
    result = readBenchReport(file);
  }
  const rows = result.rows
    .filter((r) => r.stage === 'infer' && r.shape === shape)
    .map((r) => ({ engine: r.engine, provider: r.provider, p50_ms: r.p50_ms, p90_ms: r.p90_ms, p99_ms: r.p99_ms, cov: r.cov, iterations: r.iterations, trust: r.warnings.length ? r.warnings.join('; ') : 'ok' }));
  if (rows.length === 0) {
    throw new InputError(`${file ?? 'The GPU benchmark'} has no inference rows at ${shape} (it has ${[...new Set(result.rows.map((r) => r.shape))].join(', ')})`, {
      subject: file ?? 'shape', fix: `pass a shape the report measured, or a report measured at ${shape}`,
    });
  }
  const env = result.environment;
  const where = `${env.gpu}, ${env.cpu} (${env.cores} cores), onnxruntime-node ${env.onnxruntime}, ${env.date.slice(0, 10)}`;
  const note = source === 'measured'
    ? `Measured here now on ${where}.`
    : `**Recorded, not measured here** (${probe.reason}): ${path.basename(file!)} from ${where}. ` +
      'Reproduce on any Linux NVIDIA machine with Vulkan: ' +
      `\`detbench bench --engines ${rows.map((r) => `${r.engine}@${r.provider}`).join(',')} --shapes ${shape} --json\` ` +
      '(or `bash bench/gpu/run.sh` for the full GPU benchmark).';
  return {
    source, reason: probe.reason, file, environment: env, rows,
    chart: p50Chart(rows, `Inference at ${shape}, ${source === 'measured' ? 'measured here' : `recorded on ${env.gpu.split(',')[0]}`}`),
    note,
  };
}
