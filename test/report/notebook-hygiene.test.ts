import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TSLAB_KERNELSPEC, cleanNotebook, notebookJson, notebookProblems, type Notebook } from '../../src/report';

const dirty = (): Notebook => ({
  cells: [
    { cell_type: 'markdown', source: '# Title', metadata: { collapsed: true } },
    { cell_type: 'code', id: 'params', source: 'const N = 3;', metadata: { tags: ['parameters'], execution: { 'iopub.status.busy': '2026-01-01' } }, execution_count: 7, outputs: [{ output_type: 'stream', name: 'stdout', text: 'x' }] },
    { cell_type: 'code', id: 'params', source: 'N', metadata: {}, execution_count: 8, outputs: [] },
  ],
  metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' }, language_info: { name: 'typescript', version: '5.9.3' }, widgets: {} },
  nbformat: 4,
  nbformat_minor: 4,
});

test('lists every hygiene problem of a notebook saved after a run', () => {
  const problems = notebookProblems(dirty());
  assert.ok(problems.some((p) => /kernelspec/.test(p)));
  assert.ok(problems.some((p) => /volatile notebook metadata: widgets/.test(p)));
  assert.ok(problems.some((p) => /volatile language_info fields: version/.test(p)));
  assert.ok(problems.some((p) => /cell 1 \(markdown\) has volatile metadata: collapsed/.test(p)));
  assert.ok(problems.some((p) => /cell 2 \(code\) has 1 output/.test(p)));
  assert.ok(problems.some((p) => /cell 2 \(code\) has execution count 7/.test(p)));
  assert.ok(problems.some((p) => /cell 2 \(code\) has volatile metadata: execution/.test(p)));
});

test('cleaning removes outputs, counts and volatile metadata, keeps tags, makes ids unique, and is idempotent', () => {
  const nb = dirty();
  const before = JSON.stringify(nb);
  const clean = cleanNotebook(nb);
  assert.equal(JSON.stringify(nb), before, 'input unchanged');
  assert.deepEqual(notebookProblems(clean), []);
  assert.deepEqual(clean.metadata.kernelspec, TSLAB_KERNELSPEC);
  assert.deepEqual(clean.cells[1].metadata, { tags: ['parameters'] });
  assert.equal(clean.cells[1].execution_count, null);
  assert.deepEqual(clean.cells[1].outputs, []);
  assert.equal(clean.cells[0].id, 'cell-01');
  assert.equal(clean.cells[1].id, 'params');
  assert.notEqual(clean.cells[2].id, 'params');
  assert.equal(notebookJson(cleanNotebook(clean)), notebookJson(clean));
});
