/** The story end to end on two real images: every stage runs and the report is written. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OptionError, collectingLogger } from '../../src/core';
import { runStory } from '../../src/story';

const SET = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'ic15_train_mmocr10');

test('runs the five stages on two real images and writes story.md, story.html, results.json and CSVs', async (t) => {
  if (!fs.existsSync(path.join(SET, 'images'))) {
    if (process.env.CI === 'true') assert.fail(`shared test data missing: ${SET}`);
    t.skip(`shared test data not found at ${SET}`);
    return;
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'detbench-story-'));
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  const logger = collectingLogger();
  const r = await runStory(
    { data: SET, limit: 2, provider: 'cpu', engine: 'fp32-optimized', extraVariants: [], out, benchShape: [1, 3, 128, 128], benchMs: 200, metric: 'iou', worst: 1, progress: false },
    logger,
  );
  assert.equal(r.provider, 'cpu');
  assert.deepEqual(r.comparison.finalTable.map((row) => row.metric).slice(0, 3), ['HMean', 'Precision', 'Recall']);
  const hmean = r.comparison.finalTable[0];
  assert.ok(hmean.reference > 0.3 && hmean.reference <= 1, `the model finds text in street scenes (HMean ${hmean.reference})`);
  // fp32-optimized is the same network after graph rewrites: detections agree to the box.
  assert.ok(Math.abs(hmean.difference) < 1e-9);
  assert.match(r.table, /reference \(fp32\)\s+engine \(fp32-optimized\)/);
  for (const f of ['story.md', 'story.html', 'results.json', 'final.csv', 'per_image.csv', 'latency.csv', 'engines.csv', 'profiles.csv', 'charts/pareto.svg']) {
    assert.ok(fs.existsSync(path.join(r.dir, f)), `${f} written`);
  }
  const html = fs.readFileSync(path.join(r.dir, 'story.html'), 'utf8');
  for (const h of ['1. Export', '2. Shape profiles', '3. Engine build', '4. Benchmark', '5. IoU comparison']) assert.ok(html.includes(h), `section ${h}`);
  assert.ok((html.match(/<svg /g) ?? []).length >= 6, 'charts are inline SVG');
  const results = JSON.parse(fs.readFileSync(path.join(r.dir, 'results.json'), 'utf8'));
  assert.equal(results.dataset.images, 2);
  assert.equal(results.finalTable.length, 5);
  assert.ok(logger.messages.some((m) => /^\[5\/5\]/.test(m.message)), 'numbered steps are logged');
});

test('rejects an unknown engine variant and a misspelled option before doing any work', async () => {
  await assert.rejects(runStory({ engine: 'int4' as never }), (e: unknown) => e instanceof OptionError && /engine/.test(e.message) && /"int8"/.test(e.message));
  await assert.rejects(runStory({ limt: 3 } as never), (e: unknown) => e instanceof OptionError && /Unknown option "limt"/.test(e.message));
});
