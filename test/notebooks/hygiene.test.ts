/**
 * Committed notebooks are clean (no outputs, no execution counts, no volatile metadata, tslab
 * kernelspec), import the library from ../dist, and keep logic out of cells.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanNotebook, notebookJson, notebookProblems, type Notebook } from '../../src/report';

const DIR = path.resolve(__dirname, '..', '..', 'notebooks');
const EXPECTED = ['01-export.ipynb', '02-shape-profiles.ipynb', '03-engine-build.ipynb', '04-benchmark.ipynb', '05-cleval-comparison.ipynb'];
const source = (c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join('') : c.source);
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Notebook;

test('the five notebooks of the story are present', () => {
  const found = fs.readdirSync(DIR).filter((f) => f.endsWith('.ipynb')).sort();
  assert.deepEqual(found, EXPECTED);
});

for (const file of EXPECTED) {
  test(`${file} is committed clean: no outputs, no counts, no volatile metadata, tslab kernel`, () => {
    const text = fs.readFileSync(path.join(DIR, file), 'utf8');
    const nb = JSON.parse(text) as Notebook;
    assert.deepEqual(notebookProblems(nb), []);
    assert.equal(text, notebookJson(cleanNotebook(nb)), 'run `node --import tsx scripts/clean-notebooks.ts` to normalise it');
  });

  test(`${file} starts with a narrative and a parameters cell, and imports the library from ../dist`, () => {
    const nb = read(file);
    assert.equal(nb.cells[0].cell_type, 'markdown');
    const params = nb.cells.find((c) => c.cell_type === 'code');
    assert.ok(params && (params.metadata?.tags as string[] | undefined)?.includes('parameters'), 'first code cell is tagged "parameters"');
    const code = nb.cells.filter((c) => c.cell_type === 'code').map(source).join('\n');
    assert.match(code, /from '\.\.\/dist'/);
    assert.doesNotMatch(code, /from '\.\.\/src/, 'notebooks use the built library, not sources');
  });

  test(`${file} keeps library logic out of its cells (no function or class definitions, short cells)`, () => {
    for (const [i, c] of read(file).cells.entries()) {
      if (c.cell_type !== 'code') continue;
      const s = source(c);
      assert.doesNotMatch(s, /^\s*(export\s+)?(async\s+)?function\b|^\s*class\b/m, `cell ${i + 1} defines a function or class: move it to src/`);
      assert.ok(s.split('\n').length <= 15, `cell ${i + 1} has ${s.split('\n').length} lines: keep cells thin, move logic to src/`);
    }
  });
}
