/**
 * Results as tables: a danfojs DataFrame, CSV and JSON files with the environment, a text table for
 * terminals (warnings marked next to the number, as trtexec does), and vega-lite specs (a box plot
 * of latencies per engine, bars of per-stage medians). Charts are plain JSON specs; rendering is the
 * report stage's job.
 */
import * as path from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../core';
import type { BenchResult, BenchRow } from './runner';

/** The `--json` document: environment, rows without raw samples, warnings. */
export function benchJson(result: BenchResult): { environment: BenchResult['environment'] & { peakRssMiB: number }; rows: Omit<BenchRow, 'warnings'>[]; warnings: string[] } {
  return {
    environment: { ...result.environment, peakRssMiB: result.peakRssMiB },
    rows: result.rows.map(({ warnings: _w, ...r }) => r),
    warnings: result.warnings,
  };
}

/** The part of a danfojs DataFrame that callers here use. */
export interface DataFrameLike {
  columns: string[];
  /** Row-major cell values. (`df.shape` is not usable here: danfojs exposes columns as properties, and the rows have a `shape` column.) */
  values: unknown[][];
  print(): void;
}

/** The rows as a danfojs DataFrame (one row per engine, provider, shape and stage). */
export function benchFrame(rows: readonly Record<string, unknown>[]): DataFrameLike {
  // Loaded on use (danfojs takes about a second to import); its published typings do not resolve
  // under CommonJS, hence the narrow local type.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dfd = require('danfojs') as { DataFrame: new (data: Record<string, unknown>[]) => DataFrameLike };
  const flat = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? v.join(' | ') : v])));
  return new dfd.DataFrame(flat);
}

function csvCell(v: unknown): string {
  const s = Array.isArray(v) ? v.join(' | ') : v === undefined || v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of any rows (header from the first row's keys). */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0]);
  return [keys.join(','), ...rows.map((r) => keys.map((k) => csvCell(r[k])).join(','))].join('\n') + '\n';
}

/** vega-lite specs: latency box plot per engine (inference rows) and per-stage median bars (pipeline rows). */
export function benchCharts(result: BenchResult): { latency: Record<string, unknown>; stages: Record<string, unknown> } {
  const values = result.samples
    .filter((s) => s.stage === 'infer' && !s.shape.startsWith('images:'))
    .flatMap((s) => s.ms.map((ms) => ({ engine: `${s.engine}@${s.provider}`, shape: s.shape, ms: Number(ms.toFixed(3)) })));
  const stages = result.rows
    .filter((r) => r.shape.startsWith('images:') && r.stage !== 'total')
    .map((r) => ({ engine: `${r.engine}@${r.provider}`, stage: r.stage, p50_ms: r.p50_ms }));
  return {
    latency: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: 'Inference latency per engine (ms)',
      data: { values },
      mark: { type: 'boxplot', extent: 'min-max' },
      encoding: {
        x: { field: 'engine', type: 'nominal' },
        y: { field: 'ms', type: 'quantitative', title: 'latency (ms)', scale: { zero: false } },
        color: { field: 'shape', type: 'nominal' },
      },
    },
    stages: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: 'Pipeline stage medians per engine (ms)',
      data: { values: stages },
      mark: 'bar',
      encoding: {
        x: { field: 'engine', type: 'nominal' },
        y: { field: 'p50_ms', type: 'quantitative', stack: 'zero', title: 'median (ms)' },
        color: { field: 'stage', type: 'nominal', sort: ['decode', 'preprocess', 'infer', 'postprocess'] },
      },
    },
  };
}

/** A fixed-width table; a `!` after p50 marks a row with warnings (listed below the table). */
export function formatTable(rows: readonly BenchRow[]): string {
  const head = ['engine', 'provider', 'shape', 'stage', 'p50', 'p90', 'p99', 'mean', 'min', 'cov%', 'n', 'thru/s'];
  const body = rows.map((r) => [
    r.engine, r.provider, r.shape, r.stage, `${r.p50_ms.toFixed(2)}${r.warnings.length ? '!' : ''}`, r.p90_ms.toFixed(2), r.p99_ms.toFixed(2),
    r.mean_ms.toFixed(2), r.min_ms.toFixed(2), (r.cov * 100).toFixed(1), String(r.iterations), r.throughput.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

/**
 * Writes `<dir>/<name>.csv` (rows), `<name>.json` (environment, rows, warnings, samples) and
 * `<name>.vl.json` (charts). Returns the paths written.
 */
export function writeBenchReports(result: BenchResult, dir: string, name = 'bench'): string[] {
  const csv = path.join(dir, `${name}.csv`);
  const json = path.join(dir, `${name}.json`);
  const charts = path.join(dir, `${name}.vl.json`);
  writeFileAtomic(csv, toCsv(result.rows.map((r) => ({ ...r, ...flatEnv(result) }))));
  writeJsonAtomic(json, { ...benchJson(result), samples: result.samples });
  writeJsonAtomic(charts, benchCharts(result));
  return [csv, json, charts];
}

function flatEnv(result: BenchResult): Record<string, unknown> {
  const e = result.environment;
  return { cpu: e.cpu, gpu: e.gpu, node: e.node, onnxruntime: e.onnxruntime, threads: e.threads };
}
