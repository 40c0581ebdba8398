/**
 * Benchmark harness: trtexec-grade timing (warm-up by time and count, fixed duration or count,
 * percentiles, trust warnings), per engine, provider, shape and pipeline stage.
 *
 *   engines ─runBench─▶ BenchResult {environment, rows, warnings, samples} ─▶ formatTable | benchJson | writeBenchReports
 */
export * from './stats';
export * from './measure';
export * from './warnings';
export * from './env';
export * from './runner';
export * from './report';
export * from './recorded';
