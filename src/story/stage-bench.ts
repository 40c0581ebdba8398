/**
 * Stage 4a, the fixed-shape benchmark: inference alone at one input shape, trtexec-style (warm-up,
 * fixed duration, percentiles, trust warnings), through the bench stage's harness. Engines are
 * passed as their built files so the harness never rebuilds them with other options.
 */
import { collectingLogger, defaultLogger, type Logger } from '../core';
import { runBench, benchCharts, type BenchResult, type BenchRow } from '../bench';
import type { VegaLiteSpec } from '../report';
import type { EngineEntry } from './stage-run';

export interface FixedShapeBench {
  result: BenchResult;
  rows: (Pick<BenchRow, 'engine' | 'provider' | 'shape' | 'p50_ms' | 'p90_ms' | 'p99_ms' | 'mean_ms' | 'cov' | 'iterations' | 'throughput'> & { trust: string })[];
  chart: VegaLiteSpec;
}

/** Times `engines` at `shape` for about `durationMs` each (at least `iterations` runs). */
export async function benchFixedShape(
  engines: readonly (EngineEntry & { modelFile: string })[],
  shape: number[],
  o: { model: string; threads: number; durationMs: number; iterations: number },
  logger: Logger = defaultLogger(),
): Promise<FixedShapeBench> {
  // The harness warns with file paths; collect them here and report them under the variant names.
  const collected = collectingLogger();
  const result = await runBench(
    {
      engines: engines.map((e) => `${e.modelFile}@${e.provider}`),
      model: o.model,
      shapes: [shape],
      threads: o.threads,
      measure: { durationMs: o.durationMs, iterations: o.iterations, warmupIterations: 2, warmupMs: 0 },
      progress: false,
    },
    collected,
  );
  const name = new Map(engines.map((e) => [e.modelFile, e.name]));
  const rename = (text: string) => engines.reduce((t, e) => t.split(e.modelFile).join(e.name), text);
  for (const r of result.rows) {
    r.engine = name.get(r.engine) ?? r.engine;
    r.warnings = r.warnings.map(rename);
  }
  result.warnings = result.warnings.map(rename);
  for (const s of result.samples) s.engine = name.get(s.engine) ?? s.engine;
  for (const w of result.warnings) logger.warn(w);
  const rows = result.rows.map((r) => ({
    engine: r.engine, provider: r.provider, shape: r.shape, p50_ms: r.p50_ms, p90_ms: r.p90_ms, p99_ms: r.p99_ms,
    mean_ms: r.mean_ms, cov: r.cov, iterations: r.iterations, throughput: r.throughput, trust: r.warnings.length ? r.warnings.join('; ') : 'ok',
  }));
  const spec = benchCharts(result).latency as VegaLiteSpec;
  const chart = { ...spec, width: { step: 90 }, height: 260, encoding: { ...(spec.encoding as object), x: { field: 'engine', type: 'nominal', title: 'engine', axis: { labelAngle: 0 } } } };
  return { result, rows, chart };
}
