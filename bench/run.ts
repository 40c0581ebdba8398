/**
 * `npm run bench [-- --quick] [-- --only NAME[,NAME]]`: runs every `bench/<name>.ts` that exports
 * `run({ quick }) → { name, rows, notes? }`, prints one table per module (stderr-free stdout is the
 * tables, then one JSON document), and writes `reports/bench/<name>.csv` and `reports/bench/all.json`.
 * Method (warm-up, durations, percentiles, trust warnings): see bench/NOTES.md and src/bench/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../src/core';
import { benchEnvironment, toCsv } from '../src/bench';

interface BenchModule {
  run(opts: { quick: boolean }): Promise<{ name: string; rows: Record<string, unknown>[]; notes?: string[] }>;
}

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)';
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : Array.isArray(v) ? `${v.length} warning(s)` : v === undefined ? '' : String(v));
  const body = rows.map((r) => keys.map((k) => cell(r[k])));
  const w = keys.map((k, i) => Math.max(k.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]): string => c.map((x, i) => x.padEnd(w[i])).join('  ').trimEnd();
  return [line(keys), line(w.map((n) => '-'.repeat(n))), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const i = argv.indexOf('--only');
  const only = i >= 0 ? (argv[i + 1] ?? '').split(',').filter(Boolean) : [];
  const dir = __dirname;
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.slice(0, -3)).sort();
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown module(s) ${unknown.join(', ')}; available: ${names.join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const outDir = path.resolve(dir, '..', 'reports', 'bench');
  const results: { name: string; rows: Record<string, unknown>[]; notes?: string[]; error?: string; seconds: number }[] = [];
  for (const name of only.length > 0 ? only : names) {
    const mod = (await import(path.join(dir, `${name}.ts`))) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') continue; // a helper file, not a benchmark
    process.stderr.write(`bench: ${name}${quick ? ' (quick)' : ''}…\n`);
    const t0 = performance.now();
    try {
      const r = await mod.run({ quick });
      results.push({ ...r, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) });
      process.stdout.write(`\n## ${r.name}\n${table(r.rows)}\n${(r.notes ?? []).map((n) => `  note: ${n}`).join('\n')}\n`);
      writeFileAtomic(path.join(outDir, `${r.name}.csv`), toCsv(r.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Array.isArray(v) ? v.join(' | ') : v])))));
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      results.push({ name, rows: [], error: msg, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) });
      process.stdout.write(`\n## ${name}\nFAILED: ${msg.split('\n')[0]}\n`);
      process.exitCode = 1;
    }
  }
  const doc = { environment: benchEnvironment(0, ['cpu']), quick, results };
  writeJsonAtomic(path.join(outDir, 'all.json'), doc);
  process.stdout.write(`\n${JSON.stringify(doc)}\n`);
  process.stderr.write(`bench: wrote ${path.relative(process.cwd(), outDir)}/{<name>.csv, all.json}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
