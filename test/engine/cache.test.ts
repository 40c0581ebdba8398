import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OptionError, collectingLogger } from '../../src/core';
import { buildEngine, listEngines } from '../../src/engine';
import { PPOCRV4_DET } from '../../src/models';
import { loadOnnx, saveOnnx } from '../../src/onnx/model';
import { tempDir } from '../helpers/fixtures';

const CHILD = path.join(__dirname, 'fixtures', 'build-child.ts');

function child(options: object, env: Record<string, string> = {}): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function tempEntries(cacheDir: string): string[] {
  return fs.readdirSync(cacheDir).filter((n) => n.startsWith('.tmp-') || n.startsWith('.old-'));
}

test('a second build of the same key is a cache hit with the same manifest', async () => {
  const cacheDir = tempDir();
  const log = collectingLogger();
  const first = await buildEngine({ variant: 'fp32-optimized', cacheDir }, log);
  assert.equal(first.cacheHit, false);
  assert.ok(fs.existsSync(first.modelPath));
  const second = await buildEngine({ variant: 'fp32-optimized', cacheDir }, log);
  assert.equal(second.cacheHit, true);
  assert.equal(second.key, first.key);
  assert.equal(second.modelPath, first.modelPath);
  assert.ok(log.messages.some((m) => /cache hit/.test(m.message)));
  assert.equal(listEngines({ cacheDir }).filter((e) => e.engine).length, 1);
});

test('stale: a changed source model is rebuilt, saying why', async () => {
  const cacheDir = tempDir();
  const model = path.join(tempDir(), 'det.onnx');
  fs.copyFileSync(PPOCRV4_DET.path(), model);
  const first = await buildEngine({ variant: 'fp32-optimized', model, cacheDir });
  const m = loadOnnx(model);
  m.docString = 'edited';
  fs.writeFileSync(model, saveOnnx(m));
  const log = collectingLogger();
  const second = await buildEngine({ variant: 'fp32-optimized', model, cacheDir }, log);
  assert.equal(second.cacheHit, false);
  assert.match(second.rebuiltBecause ?? '', /the source model changed \(sha256 [0-9a-f]{12} → [0-9a-f]{12}\)/);
  assert.notEqual(second.key, first.key);
  assert.ok(log.messages.some((x) => /rebuilding because the source model changed/.test(x.message)));
});

test('stale: an engine built by another onnxruntime version is rebuilt', async () => {
  const cacheDir = tempDir();
  const first = await buildEngine({ variant: 'fp32-optimized', cacheDir });
  const manifestFile = path.join(path.dirname(first.modelPath), 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  manifest.ortVersion = '0.0.1';
  manifest.key = 'old';
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  const second = await buildEngine({ variant: 'fp32-optimized', cacheDir });
  assert.equal(second.cacheHit, false);
  assert.match(second.rebuiltBecause ?? '', /onnxruntime-node changed \(0\.0\.1 → \d+\.\d+\.\d+\)/);
});

test('stale: changed build options are rebuilt and named', async () => {
  const cacheDir = tempDir();
  await buildEngine({ variant: 'fp16', cacheDir });
  const second = await buildEngine({ variant: 'fp16', cacheDir, fp16Block: ['Resize', 'Concat'] });
  assert.equal(second.cacheHit, false);
  assert.match(second.rebuiltBecause ?? '', /build options changed \(block\)/);
});

test('stale: a corrupted engine file is never trusted', async () => {
  const cacheDir = tempDir();
  const first = await buildEngine({ variant: 'fp32-optimized', cacheDir });
  fs.appendFileSync(first.modelPath, 'garbage');
  const second = await buildEngine({ variant: 'fp32-optimized', cacheDir });
  assert.equal(second.cacheHit, false);
  assert.match(second.rebuiltBecause ?? '', /model\.onnx has \d+ bytes, the manifest says \d+/);
});

test('a build killed before publishing leaves nothing trusted; the next build recovers', async () => {
  const cacheDir = tempDir();
  const killed = await child({ variant: 'fp32-optimized', cacheDir }, { DETBENCH_TEST_KILL_BEFORE_PUBLISH: '1' });
  assert.equal(killed.signal, 'SIGKILL');
  assert.equal(listEngines({ cacheDir }).length, 0, 'no slot was published');
  assert.ok(tempEntries(cacheDir).length === 1, 'the half-finished build is only a temp dir');
  assert.ok(fs.readdirSync(cacheDir).some((n) => n.endsWith('.lock')), 'the dead build left its lock');
  const next = await buildEngine({ variant: 'fp32-optimized', cacheDir });
  assert.equal(next.cacheHit, false);
  assert.deepEqual(tempEntries(cacheDir), [], 'the dead build\'s temp dir was swept');
  assert.equal(fs.readdirSync(cacheDir).filter((n) => n.endsWith('.lock')).length, 0);
});

test('two processes building the same engine at once: one builds, the other reuses it', async () => {
  const cacheDir = tempDir();
  const [a, b] = await Promise.all([child({ variant: 'fp16', cacheDir }), child({ variant: 'fp16', cacheDir })]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const ea = JSON.parse(a.stdout);
  const eb = JSON.parse(b.stdout);
  assert.equal(ea.key, eb.key);
  assert.equal(ea.modelPath, eb.modelPath);
  assert.equal([ea.cacheHit, eb.cacheHit].filter((h) => !h).length, 1, 'exactly one process built');
  const entries = listEngines({ cacheDir });
  assert.equal(entries.length, 1);
  assert.ok(entries[0].engine, entries[0].problem);
  assert.deepEqual(tempEntries(cacheDir), []);
});

test('fp32 is the reference model itself, with the same manifest shape', async () => {
  const e = await buildEngine({ variant: 'fp32', cacheDir: tempDir() });
  assert.equal(e.modelPath, PPOCRV4_DET.path());
  assert.equal(e.precision, 'fp32');
  assert.equal(e.files[0].sha256, e.source.sha256);
});

test('rejects an unknown variant and misspelled options, listing the valid ones', async () => {
  await assert.rejects(buildEngine({ variant: 'int4' as never }), (e: Error) => e instanceof OptionError && /"fp32-optimized", "fp16", "int8"/.test(e.message));
  await assert.rejects(buildEngine({ variant: 'int8', calibrationSise: 4 } as never), (e: Error) => e instanceof OptionError && /Unknown option "calibrationSise"/.test(e.message) && /calibrationSize/.test(e.message));
  await assert.rejects(buildEngine({ variant: 'int8', calibrationMethod: 'kl' as never }), (e: Error) => e instanceof OptionError && /"minmax", "percentile", "entropy"/.test(e.message));
});
