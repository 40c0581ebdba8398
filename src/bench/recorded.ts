/**
 * Benchmark reports read back from disk: `detbench bench --json` output or a `bench.json` written by
 * `writeBenchReports`. This is how figures measured on another machine (the GPU host's results under
 * `bench/gpu/results/`) are shown beside this machine's, with the environment they came from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../core';
import type { BenchEnvironment } from './env';
import { STAGES, type BenchResult, type BenchRow, type Stage } from './runner';

const NUMBER_FIELDS = ['p50_ms', 'p90_ms', 'p99_ms', 'mean_ms', 'cov', 'iterations'] as const;
/** Present in reports written since the harness has them; NaN (shown as missing, never as a figure) where an older report lacks them. */
const OPTIONAL_NUMBERS = ['p95_ms', 'min_ms', 'std_ms', 'throughput'] as const;

/**
 * The recorded H100 run of the GPU view (`detbench bench --engines <GPU_ENGINES> --shapes 1x3x736x1280 --json`,
 * PP-OCRv4 det), shown where there is no GPU. Shipped in the package (package.json `files`).
 */
export const RECORDED_GPU_REPORT = path.join('bench', 'gpu', 'results', 'h100-gpu-view-20261124.json');

/** The `bench/gpu/results` report above, resolved from the installed package (undefined when not shipped). */
export function recordedGpuReportPath(): string | undefined {
  const file = path.resolve(__dirname, '..', '..', RECORDED_GPU_REPORT);
  return fs.existsSync(file) ? file : undefined;
}

function fail(file: string, what: string): never {
  throw new InputError(`${file} is not a detbench benchmark report: ${what}`, {
    subject: file, fix: 'pass the JSON printed by `detbench bench --json`, or a bench.json written under reports/bench/',
  });
}

/**
 * Reads a benchmark report. Rows keep their warnings (rebuilt from the report's `warnings` list when
 * the rows were written without them); `samples` are empty unless the file has them.
 */
export function readBenchReport(file: string): BenchResult {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`Benchmark report not found: ${file}`, { subject: file, fix: 'check the path' });
    fail(file, `not JSON (${(err as Error).message})`);
  }
  const d = doc as Partial<{ environment: BenchEnvironment & { peakRssMiB?: number }; rows: unknown[]; warnings: unknown[]; samples: BenchResult['samples'] }>;
  if (!d || typeof d !== 'object' || typeof d.environment !== 'object' || d.environment === null) fail(file, 'no "environment" object');
  if (!Array.isArray(d.rows)) fail(file, 'no "rows" array');
  const env = d.environment as unknown as Record<string, unknown>;
  for (const k of ['date', 'node', 'onnxruntime', 'platform', 'cpu', 'gpu']) {
    if (typeof env[k] !== 'string') fail(file, `environment.${k} is ${JSON.stringify(env[k])}, expected a string`);
  }
  if (typeof env.cores !== 'number') fail(file, `environment.cores is ${JSON.stringify(env.cores)}, expected a number`);
  const warnings = Array.isArray(d.warnings) ? d.warnings.map(String) : [];
  const rows = d.rows.map((r, i): BenchRow => {
    const row = r as Record<string, unknown>;
    for (const k of ['engine', 'provider', 'shape', 'stage']) {
      if (typeof row[k] !== 'string') fail(file, `rows[${i}].${k} is ${JSON.stringify(row[k])}, expected a string`);
    }
    if (!(STAGES as readonly string[]).includes(row.stage as string)) {
      fail(file, `rows[${i}].stage is "${String(row.stage)}", expected one of ${STAGES.map((s) => `"${s}"`).join(', ')}`);
    }
    for (const k of NUMBER_FIELDS) {
      if (typeof row[k] !== 'number' || !Number.isFinite(row[k])) fail(file, `rows[${i}].${k} is ${JSON.stringify(row[k])}, expected a number`);
    }
    const prefix = `${String(row.engine)}@${String(row.provider)} ${String(row.shape)} ${String(row.stage)}: `;
    const own = Array.isArray(row.warnings) ? row.warnings.map(String) : warnings.filter((w) => w.startsWith(prefix));
    return {
      engine: row.engine as string, provider: row.provider as string, shape: row.shape as string, stage: row.stage as Stage,
      p50_ms: row.p50_ms as number, p90_ms: row.p90_ms as number, p99_ms: row.p99_ms as number, mean_ms: row.mean_ms as number,
      cov: row.cov as number, iterations: row.iterations as number,
      ...Object.fromEntries(OPTIONAL_NUMBERS.map((k) => [k, typeof row[k] === 'number' ? row[k] : Number.NaN])) as Pick<BenchRow, (typeof OPTIONAL_NUMBERS)[number]>,
      warnings: own,
    };
  });
  const { peakRssMiB, ...environment } = d.environment;
  return { environment: environment as BenchEnvironment, rows, warnings, samples: Array.isArray(d.samples) ? d.samples : [], peakRssMiB: peakRssMiB ?? 0 };
}
