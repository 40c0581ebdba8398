/**
 * Executes the notebooks headless (what `npm run notebooks` and CI run):
 *
 *   build dist/ ─▶ register tslab in .cache/jupyter ─▶ nbconvert --execute each notebook ─▶ HTML ─▶ check outputs
 *
 * Executed copies (.ipynb + .html) go to reports/notebooks/. Fails (exit 1) when a cell errors or a
 * notebook shows no HTML table or no chart/image. Needs Debian's jupyter-nbconvert, python3-nbclient
 * and jupyter-client (or the same from pip).
 *
 *   node --import tsx scripts/run-notebooks.ts [--only 01,05] [--timeout SECONDS] [--out DIR] [--no-build]
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

interface Args {
  only: string[];
  timeout: number;
  out: string;
  /** Use dist/ as it is (already built). */
  build: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { only: [], timeout: 1200, out: path.join(ROOT, 'reports', 'notebooks'), build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') args.only = argv[++i].split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--timeout') args.timeout = Number(argv[++i]);
    else if (a === '--out') args.out = path.resolve(argv[++i]);
    else if (a === '--no-build') args.build = false;
    else throw new Error(`unknown argument ${a}; valid: --only 01,05  --timeout SECONDS  --out DIR  --no-build`);
  }
  return args;
}

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): { status: number; out: string } {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.error) return { status: 127, out: String(r.error.message) };
  return { status: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** The Python that has jupyter_client (Debian's), where the kernelspec must be registered. */
function findJupyter(): { jupyter: string; python: string } {
  const jupyter = process.env.DETBENCH_JUPYTER ?? 'jupyter';
  const v = run(jupyter, ['nbconvert', '--version']);
  if (v.status !== 0) {
    process.stderr.write(
      `jupyter nbconvert is not available (${v.out.trim().split('\n').pop()}).\n` +
        'Fix: sudo apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client   (or: pip install nbconvert nbclient jupyter_client)\n',
    );
    process.exit(2);
  }
  const python = process.env.DETBENCH_PYTHON ?? (fs.existsSync('/usr/bin/python3') && jupyter === 'jupyter' ? '/usr/bin/python3' : 'python3');
  return { jupyter, python };
}

interface Check {
  errors: string[];
  tables: number;
  charts: number;
}

/** Counts what a reader will see in an executed notebook, and any error outputs. */
function inspectExecuted(file: string): Check {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { outputs?: { output_type: string; data?: Record<string, unknown>; ename?: string; evalue?: string }[] }[] };
  const check: Check = { errors: [], tables: 0, charts: 0 };
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      if (o.output_type === 'error') check.errors.push(`${o.ename}: ${o.evalue}`);
      const data = o.data ?? {};
      const html = Array.isArray(data['text/html']) ? (data['text/html'] as string[]).join('') : String(data['text/html'] ?? '');
      if (/<table/i.test(html)) check.tables++;
      if (data['image/svg+xml'] || data['image/png'] || /<img /.test(html)) check.charts++;
    }
  }
  return check;
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const { jupyter, python } = findJupyter();
  const bin = path.join(ROOT, 'node_modules', '.bin');
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, JUPYTER_PATH: path.join(ROOT, '.cache', 'jupyter', 'share', 'jupyter') };

  if (args.build) {
    process.stderr.write('[1/3] building dist/ (the notebooks import ../dist)\n');
    const build = run(path.join(bin, 'tsc'), ['-p', 'tsconfig.json']);
    if (build.status !== 0) process.stderr.write(`warning: tsc reported type errors (dist/ was still written):\n${build.out.split('\n').slice(0, 10).join('\n')}\n`);
  }
  if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) {
    process.stderr.write('dist/index.js is missing. Fix: npm run build\n');
    return 1;
  }

  process.stderr.write('[2/3] registering the tslab kernel in .cache/jupyter\n');
  const inst = run(path.join(bin, 'tslab'), ['install', `--python=${python}`, '--prefix', path.join(ROOT, '.cache', 'jupyter')], { env });
  if (inst.status !== 0) {
    process.stderr.write(`${inst.out}\ntslab install failed. Fix: check that ${python} has jupyter_client (apt-get install jupyter-client)\n`);
    return 1;
  }

  const dir = path.join(ROOT, 'notebooks');
  const notebooks = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().filter((f) => args.only.length === 0 || args.only.some((o) => f.startsWith(o)));
  if (notebooks.length === 0) {
    process.stderr.write(`no notebooks matched ${args.only.join(',') || '*'} in notebooks/\n`);
    return 1;
  }
  fs.mkdirSync(args.out, { recursive: true });
  process.stderr.write(`[3/3] executing ${notebooks.length} notebook(s) into ${path.relative(ROOT, args.out)}/\n`);
  const rows: string[] = [];
  let failed = 0;
  for (const nb of notebooks) {
    const t0 = Date.now();
    const exec = run(jupyter, ['nbconvert', '--to', 'notebook', '--execute', `--ExecutePreprocessor.timeout=${args.timeout}`, '--ExecutePreprocessor.kernel_name=tslab', '--output-dir', args.out, path.join(dir, nb)], { env });
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    const executed = path.join(args.out, nb);
    if (exec.status !== 0 || !fs.existsSync(executed)) {
      failed++;
      rows.push(`FAIL  ${nb.padEnd(30)} ${seconds.padStart(6)} s  a cell raised an error`);
      process.stderr.write(`${exec.out.split('\n').slice(-40).join('\n')}\n`);
      continue;
    }
    const html = run(jupyter, ['nbconvert', '--to', 'html', executed], { env });
    if (html.status !== 0) process.stderr.write(`warning: HTML export of ${nb} failed:\n${html.out}\n`);
    const c = inspectExecuted(executed);
    const problems = [...c.errors, ...(c.tables === 0 ? ['no HTML table in the outputs'] : []), ...(c.charts === 0 ? ['no chart or image in the outputs'] : [])];
    if (problems.length) failed++;
    rows.push(`${problems.length ? 'FAIL' : 'ok  '}  ${nb.padEnd(30)} ${seconds.padStart(6)} s  ${c.tables} table(s), ${c.charts} chart(s)/image(s)${problems.length ? `  — ${problems.join('; ')}` : ''}`);
  }
  process.stdout.write(`${rows.join('\n')}\n`);
  return failed ? 1 : 0;
}

process.exitCode = main();
