/**
 * Strips outputs, execution counts and volatile metadata from `notebooks/*.ipynb` and sets the tslab
 * kernelspec. `--check` changes nothing and exits 1 when a notebook is not clean (what CI runs).
 *
 *   node --import tsx scripts/clean-notebooks.ts [--check] [FILE.ipynb ...]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../src/core';
import { cleanNotebook, notebookJson, notebookProblems, type Notebook } from '../src/report/notebook-hygiene';

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const root = path.resolve(__dirname, '..');
  let files = argv.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    const dir = path.join(root, 'notebooks');
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
  }
  let dirty = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const nb = JSON.parse(text) as Notebook;
    const cleaned = notebookJson(cleanNotebook(nb));
    if (cleaned === text) continue;
    dirty++;
    if (check) {
      const problems = notebookProblems(nb);
      process.stderr.write(`${path.relative(root, file)} is not clean:\n  ${(problems.length ? problems : ['formatting or cell ids differ']).join('\n  ')}\n`);
    } else {
      writeFileAtomic(file, cleaned);
      process.stderr.write(`cleaned ${path.relative(root, file)}\n`);
    }
  }
  if (check && dirty) process.stderr.write('Fix: npm run clean-notebooks (or node --import tsx scripts/clean-notebooks.ts)\n');
  return check && dirty ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
