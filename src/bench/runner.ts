/**
 * Benchmarks engines: inference alone on fixed input shapes (random inputs from a fixed seed), and
 * the whole pipeline (decode → preprocess → infer → postprocess) over image files, per engine and
 * provider. Sessions are opened through `src/session` and `src/pipeline`, never directly.
 */
import * as ort from 'onnxruntime-node';
import { OptionError, cacheRoot, defaultLogger, integerIn, oneOf, progressBar, withDefaults, writeFileAtomic, type Logger } from '../core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CapturedEngine, VARIANTS, buildEngine, type Variant } from '../engine';
import { INPUT_FORMATS, OUTPUT_FORMATS, imageFeed, readProbability, transformIoFile, type InputFormat, type OutputFormat } from '../engine/io';
import { decodeImage, resizeRgb, targetSize } from '../image';
import { Detector } from '../pipeline';
import type { BucketShape } from '../profiles';
import { postprocessorFor } from '../postprocess';
import { resolveModel } from '../models';
import { PROVIDERS, createSession, type ProviderName } from '../session';
import { benchEnvironment, type BenchEnvironment } from './env';
import { DEFAULT_MEASURE_OPTIONS, measure, type MeasureOptions, type Measurement } from './measure';
import { summarize } from './stats';
import { DEFAULT_TRUST_LIMITS, trustWarnings, type TrustLimits } from './warnings';
import { seededRandom } from '../stats/bootstrap';

export interface BenchOptions {
  /**
   * Engines to compare: `fp32` (the model as is), a built variant name (`int8`, `fp16`, … built
   * through `buildEngine`), or an .onnx path; each may take graph I/O formats as `:input:output`
   * (`fp32:packed-nhwc:packed-uint8`, see src/engine/io) and end in `@provider` (`fp32@webgpu`).
   * `@webgpu-graph` runs the captured WebGPU engine (src/engine/capture; formats default to
   * packed-nhwc:packed-uint8). @default ['fp32']
   */
  engines: string[];
  /** Provider for engines without `@provider`. @default 'cpu' */
  provider: BenchProvider;
  /** Registry name or .onnx path of the reference model. @default 'ppocrv4-det' */
  model: string;
  /** Input shapes [N, 3, H, W] timed with inference alone. @default [[1, 3, 736, 1280]] */
  shapes: number[][];
  /** Image files timed through the whole pipeline (none: no pipeline rows). @default [] */
  images: string[];
  /**
   * Pipeline rows: pad each resized image to the smallest of these shapes (DetectorOptions.buckets),
   * e.g. so captured engines (`@webgpu-graph`) record one graph per bucket rather than per image
   * shape. Their rows' shape reads `images:N:buckets:K`. @default []
   */
  buckets: BucketShape[];
  /** CPU intra-op threads (0 = all cores). @default 0 */
  threads: number;
  /** Warm-up and duration of each row. @default DEFAULT_MEASURE_OPTIONS */
  measure: Partial<MeasureOptions>;
  /** When figures are flagged as untrustworthy. @default DEFAULT_TRUST_LIMITS */
  trust: TrustLimits;
  /** Progress bar on a terminal (always quiet when stderr is not a TTY). @default true */
  progress: boolean;
}

export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  engines: ['fp32'],
  provider: 'cpu',
  model: 'ppocrv4-det',
  shapes: [[1, 3, 736, 1280]],
  images: [],
  buckets: [],
  threads: 0,
  measure: {},
  trust: DEFAULT_TRUST_LIMITS,
  progress: true,
};

export const STAGES = ['decode', 'preprocess', 'infer', 'postprocess', 'total'] as const;
export type Stage = (typeof STAGES)[number];

/** One line of the result: one engine, provider, input shape and stage. */
export interface BenchRow {
  engine: string;
  provider: string;
  /** `1x3x736x1280` for inference rows, `images:N` for pipeline rows (`images:N:buckets:K` with buckets). */
  shape: string;
  stage: Stage;
  p50_ms: number;
  p90_ms: number;
  p95_ms: number;
  p99_ms: number;
  min_ms: number;
  mean_ms: number;
  std_ms: number;
  cov: number;
  /** Runs per second at the mean (images per second for pipeline `total`). */
  throughput: number;
  iterations: number;
  /** Why this row's figures may not be trusted (empty when they can). */
  warnings: string[];
}

export interface BenchResult {
  environment: BenchEnvironment;
  rows: BenchRow[];
  /** All rows' warnings, each prefixed with its row. */
  warnings: string[];
  /** Raw per-iteration samples, for box plots. */
  samples: { engine: string; provider: string; shape: string; stage: Stage; ms: number[] }[];
  /** Process peak resident set size, MiB. */
  peakRssMiB: number;
}

/** The captured WebGPU engine (src/engine/capture), driven through the C API rather than a session. */
export const CAPTURED_PROVIDER = 'webgpu-graph';
/** Formats used when a `@webgpu-graph` engine names none: bytes in, bytes out (the fastest exact pair). */
const CAPTURED_DEFAULT_IO = { input: 'packed-nhwc', output: 'packed-uint8' } as const;

/** Providers a benchmark can name: the session providers, and the captured WebGPU engine. */
export const BENCH_PROVIDERS = [...PROVIDERS, CAPTURED_PROVIDER] as const;
export type BenchProvider = (typeof BENCH_PROVIDERS)[number];

interface EngineCase {
  label: string;
  engine: string;
  provider: BenchProvider;
  file: string;
  /** The engine file before any I/O transform (captured engines split it themselves). */
  baseFile: string;
  /** Graph I/O formats when the engine was given as `name:input:output`. */
  io?: { input: InputFormat; output: OutputFormat };
}

/** Splits `fp32:packed-nhwc:float16` into the engine and its I/O formats. */
export function parseIo(engine: string): { base: string; io?: { input: InputFormat; output: OutputFormat } } {
  const [base, input, output] = engine.split(':');
  if (input === undefined) return { base };
  return {
    base,
    io: {
      input: oneOf(`input format of engine ${engine}`, input, INPUT_FORMATS),
      output: oneOf(`output format of engine ${engine}`, output ?? 'float32', OUTPUT_FORMATS),
    },
  };
}

/** The engine file with its I/O transformed, cached by source file, size and formats. */
function ioFile(file: string, io: { input: InputFormat; output: OutputFormat }): string {
  const st = fs.statSync(file);
  const out = path.join(cacheRoot(), 'io', `${path.basename(file, '.onnx')}-${st.size}-${Math.floor(st.mtimeMs)}-${io.input}-${io.output}.onnx`);
  if (!fs.existsSync(out)) writeFileAtomic(out, transformIoFile(file, io));
  return out;
}

/** Splits `name@provider` and validates the provider. */
export function parseEngine(spec: string, fallback: BenchProvider): { engine: string; provider: BenchProvider } {
  const at = spec.lastIndexOf('@');
  const engine = at > 0 ? spec.slice(0, at) : spec;
  const provider = at > 0 ? oneOf(`provider of engine ${spec}`, spec.slice(at + 1), BENCH_PROVIDERS) : fallback;
  if (!engine) throw new OptionError(`Empty engine name in ${JSON.stringify(spec)}`, { fix: 'write e.g. fp32, int8@cpu or path/to/model.onnx@webgpu' });
  return { engine, provider };
}

async function engineFile(engine: string, model: string, logger: Logger): Promise<string> {
  if (engine === 'fp32') return resolveModel(model).path();
  if (engine.endsWith('.onnx')) return resolveModel(engine).path();
  if (!(VARIANTS as readonly string[]).includes(engine)) {
    throw new OptionError(`Unknown engine ${JSON.stringify(engine)}; use fp32, a built variant (${VARIANTS.join(', ')}) or an .onnx path`, {
      subject: engine, fix: 'write e.g. --engines fp32,int8@cpu,path/to/model.onnx@webgpu',
    });
  }
  return (await buildEngine({ variant: engine as Variant, model }, logger)).modelPath;
}

/** A fixed-seed pseudo-random input (mulberry32), so every engine sees the same data. */
export function seededInput(type: string, shape: number[], seed = 1): ort.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const next = seededRandom(seed);
  if (type === 'uint8') return new ort.Tensor('uint8', Uint8Array.from({ length: size }, () => Math.floor(next() * 256)), shape);
  if (type === 'uint32') return new ort.Tensor('uint32', Uint32Array.from({ length: size }, () => Math.floor(next() * 4294967296)), shape);
  // Normalised-image range, roughly [-2, 2.6] like ImageNet-normalised pixels.
  return new ort.Tensor('float32', Float32Array.from({ length: size }, () => next() * 4.6 - 2), shape);
}

function row(c: EngineCase, shape: string, stage: Stage, ms: number[], warmup: number[], trust: TrustLimits): BenchRow {
  const s = summarize(ms);
  const r3 = (v: number): number => Number(v.toFixed(3));
  return {
    engine: c.engine, provider: c.provider, shape, stage,
    p50_ms: r3(s.median), p90_ms: r3(s.p90), p95_ms: r3(s.p95), p99_ms: r3(s.p99), min_ms: r3(s.min),
    mean_ms: r3(s.mean), std_ms: r3(s.std), cov: Number(s.cov.toFixed(4)), throughput: Number(s.throughput.toFixed(2)), iterations: s.n,
    warnings: trustWarnings(`${c.label} ${shape} ${stage}`, s, warmup, trust),
  };
}

/** Runs the benchmark described by `options`; see {@link BenchOptions}. */
export async function runBench(options: Partial<BenchOptions> = {}, logger: Logger = defaultLogger()): Promise<BenchResult> {
  const o = withDefaults('bench options', DEFAULT_BENCH_OPTIONS, options);
  oneOf('provider', o.provider, BENCH_PROVIDERS);
  integerIn('threads', o.threads, 0, 1024);
  const m = withDefaults('measure options', DEFAULT_MEASURE_OPTIONS, o.measure);
  for (const shape of o.shapes) {
    if (shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new OptionError(`Expected an input shape of four positive integers [N, C, H, W] but received [${shape.join(', ')}]`, { fix: 'write shapes as 1x3x736x1280' });
    }
  }
  if (o.engines.length === 0) throw new OptionError('No engines to benchmark', { fix: 'pass at least one, e.g. --engines fp32' });
  if (o.buckets.length > 0 && o.images.length === 0) {
    throw new OptionError('Buckets apply to the pipeline rows, and there are no images', { subject: 'buckets', fix: 'pass --data DIR with --buckets' });
  }
  const cases: EngineCase[] = [];
  for (const spec of o.engines) {
    const { engine, provider } = parseEngine(spec, o.provider);
    const parsed = parseIo(engine);
    const file = await engineFile(parsed.base, o.model, logger);
    const io = parsed.io ?? (provider === CAPTURED_PROVIDER ? { ...CAPTURED_DEFAULT_IO } : undefined);
    const label = provider === CAPTURED_PROVIDER && !parsed.io ? `${engine}:${io!.input}:${io!.output}` : engine;
    cases.push({ label: `${label}@${provider}`, engine: label, provider, baseFile: file, file: io && provider !== CAPTURED_PROVIDER ? ioFile(file, io) : file, io });
  }
  const rows: BenchRow[] = [];
  const samples: BenchResult['samples'] = [];
  const units = cases.length * (o.shapes.length + (o.images.length > 0 ? 1 : 0));
  const bar = progressBar('bench', units, o.progress && Boolean(process.stderr.isTTY) && !process.env.CI);
  try {
    for (const c of cases) {
      if (c.provider === CAPTURED_PROVIDER) {
        for (const shape of o.shapes) {
          const r = await capturedInfer(c, shape, m, logger);
          const label = shape.join('x');
          rows.push(row(c, label, 'infer', r.total, r.warmup, o.trust));
          samples.push({ engine: c.engine, provider: c.provider, shape: label, stage: 'infer', ms: r.total });
          bar.tick();
        }
        if (o.images.length > 0) {
          await pipelineRows(c, o, m, rows, samples, logger);
          bar.tick();
        }
        continue;
      }
      const session = await createSession({ model: c.file, provider: c.provider as ProviderName, threads: o.threads }, logger);
      try {
        const input = session.inputs[0];
        for (const shape of o.shapes) {
          const feed = { [input.name]: seededInput(input.type, feedShape(shape, c.io?.input ?? 'float32')) };
          const r = await measure(async () => {
            const out = await session.run(feed);
            for (const t of Object.values(out)) t.dispose?.();
          }, m);
          const label = shape.join('x');
          rows.push(row(c, label, 'infer', r.total, r.warmup, o.trust));
          samples.push({ engine: c.engine, provider: c.provider, shape: label, stage: 'infer', ms: r.total });
          bar.tick();
        }
      } finally {
        await session.dispose();
      }
      if (o.images.length > 0) {
        await pipelineRows(c, o, m, rows, samples, logger);
        bar.tick();
      }
    }
  } finally {
    bar.stop();
  }
  const warnings = rows.flatMap((r) => r.warnings);
  return {
    environment: benchEnvironment(o.threads, [...new Set(cases.map((c) => c.provider))]),
    rows, warnings, samples,
    peakRssMiB: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
  };
}

/** The feed dims of an [N, 3, H, W] image batch in an input format. */
export function feedShape(shape: number[], format: InputFormat): number[] {
  const [n, c, h, w] = shape;
  switch (format) {
    case 'float32':
    case 'uint8-nchw':
      return shape;
    case 'uint8-nhwc':
      return [n, h, w, c];
    case 'packed-nhwc':
      return [n, h, (w * c) / 4];
  }
}

/** One image through an engine with graph I/O formats: the Detector's stages, with the formats' host side. */
async function ioDetect(
  session: Awaited<ReturnType<typeof createSession>>, c: EngineCase, model: ReturnType<typeof resolveModel>, image: string,
): Promise<Record<string, number>> {
  const io = c.io!;
  const t0 = performance.now();
  const rgb = await decodeImage(image);
  const t1 = performance.now();
  const { width, height } = targetSize(rgb.width, rgb.height, model.resize);
  const feed = imageFeed(io.input, await resizeRgb(rgb, width, height), model.input);
  const t2 = performance.now();
  const out = await session.run({ [session.inputs[0].name]: feed });
  const map = readProbability(out[session.outputs[0].name], io.output);
  const t3 = performance.now();
  postprocessorFor(model.output.kind)(map, { srcWidth: rgb.width, srcHeight: rgb.height });
  const t4 = performance.now();
  return { decode: t1 - t0, preprocess: t2 - t1, infer: t3 - t2, postprocess: t4 - t3, total: t4 - t0 };
}

/** `run()` of a captured engine at [N, 3, H, W] on the same fixed-seed input the sessions get. */
async function capturedInfer(c: EngineCase, shape: number[], m: MeasureOptions, logger: Logger): Promise<Measurement> {
  const [n, , h, w] = shape;
  const io = c.io!;
  const engine = CapturedEngine.create(c.baseFile, { shape: [n, h, w], input: io.input, output: io.output });
  // A slower upload must not pass unnoticed: say so next to the figures.
  if (engine.uploadPath.path !== 'queue') logger.warn(`${c.label} ${shape.join('x')}: onnxruntime's upload (${engine.uploadPath.reason})`);
  try {
    engine.feed(seededInput(engine.inputType, feedShape(shape, io.input)));
    return await measure(() => {
      engine.run();
    }, m);
  } finally {
    engine.dispose();
  }
}

function pushStages(c: EngineCase, shape: string, r: Measurement, rows: BenchRow[], samples: BenchResult['samples'], trust: TrustLimits): void {
  for (const stage of STAGES) {
    const ms = r.stages[stage];
    if (!ms || ms.length === 0) continue;
    rows.push(row(c, shape, stage, ms, r.warmup, trust));
    samples.push({ engine: c.engine, provider: c.provider, shape, stage, ms });
  }
}

async function pipelineRows(
  c: EngineCase, o: BenchOptions, m: MeasureOptions, rows: BenchRow[], samples: BenchResult['samples'], logger: Logger,
): Promise<void> {
  const pick = (i: number): string => o.images[(i < 0 ? -1 - i : i) % o.images.length];
  const spec = resolveModel(o.model);
  // Captured engines go through the Detector (one engine per input shape); other engines with I/O
  // formats through a bare session on the transformed file, unless buckets ask for the Detector's padding.
  const captured = c.provider === CAPTURED_PROVIDER;
  const provider = captured ? 'webgpu' : (c.provider as ProviderName);
  const bucketed = o.buckets.length > 0;
  const session = c.io && !captured && !bucketed ? await createSession({ model: c.file, provider, threads: o.threads }, logger) : undefined;
  const detector = session ? undefined : await Detector.create({
    model: o.model, modelFile: captured || c.io ? c.baseFile : c.file, provider, threads: o.threads,
    ...(captured ? { capture: true } : {}), ...(c.io ? { io: c.io } : {}), buckets: o.buckets,
  }, logger);
  try {
    const r = await measure(async (i) => {
      if (session) return ioDetect(session, c, spec, pick(i));
      const t0 = performance.now();
      const res = await detector!.detect(pick(i));
      const total = performance.now() - t0;
      return { ...res.timings_ms, total };
    }, { ...m, iterations: Math.max(m.iterations, o.images.length) });
    pushStages(c, `images:${o.images.length}${bucketed ? `:buckets:${o.buckets.length}` : ''}`, r, rows, samples, o.trust);
  } finally {
    await detector?.dispose();
    await session?.dispose();
  }
}
