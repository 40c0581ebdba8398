import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSession, PROVIDERS } from '../../src/session';
import { PPOCRV4_DET } from '../../src/models';
import { ModelError, OptionError, ProviderError, InputError, collectingLogger } from '../../src/core';
import { tempDir } from '../helpers/fixtures';
import { unaryModel } from '../helpers/tiny-onnx';

const model = PPOCRV4_DET.path();

test('rejects an unknown provider and lists the valid ones', async () => {
  await assert.rejects(createSession({ model, provider: 'cuda11' as never }), (e: Error) =>
    e instanceof OptionError && e.message.includes('"cuda11"') && PROVIDERS.every((p) => e.message.includes(`"${p}"`)));
});

test('rejects a misspelled session option', async () => {
  await assert.rejects(createSession({ model, thread: 2 } as never), (e: Error) => e instanceof OptionError && /Unknown option "thread"/.test(e.message));
});

test('reports a file that is not ONNX as a ModelError naming it', async () => {
  const f = path.join(tempDir(), 'model.onnx');
  fs.writeFileSync(f, 'not a model at all');
  await assert.rejects(createSession({ model: f }), (e: Error) => e instanceof ModelError && e.message.includes(f));
});

test('reports a missing model file', async () => {
  await assert.rejects(createSession({ model: '/nonexistent/m.onnx' }), (e: Error) => e instanceof InputError && /not found/.test(e.message));
});

test('opens the default model on CPU with symbolic dims in its metadata', async () => {
  const s = await createSession({ model, provider: 'cpu', threads: 1 });
  try {
    assert.equal(s.provider, 'cpu');
    assert.equal(s.describe(), 'provider: cpu');
    assert.equal(s.inputs[0].name, 'x');
    assert.equal(s.inputs[0].type, 'float32');
    assert.equal(s.inputs[0].shape[1], 3);
    assert.equal(typeof s.inputs[0].shape[2], 'string', 'height is symbolic');
    assert.equal(s.outputs[0].shape.length, 4);
    const times = await s.warmup([1, 3, 64, 64], 2);
    assert.equal(times.length, 2);
    assert.ok(times.every((t) => t > 0));
  } finally {
    await s.dispose();
  }
});

test('auto falls back to CPU and says in one line why each GPU provider did not run', async () => {
  const logger = collectingLogger();
  const s = await createSession({ model: unaryModel('Sigmoid', [1, 3, 8, 8]), provider: 'auto' }, logger);
  try {
    if (s.provider !== 'cpu') return; // a machine with GPU binaries: nothing to explain
    const line = s.describe();
    assert.ok(!line.includes('\n'), 'one line');
    assert.match(line, /^provider: cpu \(requested auto; tensorrt unavailable: .*; cuda unavailable: .*; webgpu unavailable: .*\)$/);
    assert.equal(logger.messages.filter((m) => m.level === 'warn').length, 1);
  } finally {
    await s.dispose();
  }
});

test('an explicitly requested GPU provider that cannot run is an error, not a silent CPU run', async (t) => {
  for (const p of ['cuda', 'tensorrt'] as const) {
    try {
      const s = await createSession({ model: unaryModel('Sigmoid', [1, 3, 8, 8]), provider: p });
      await s.dispose();
      t.diagnostic(`${p} is available on this machine`);
    } catch (e) {
      assert.ok(e instanceof ProviderError, String(e));
      assert.match((e as Error).message, new RegExp(`Cannot create a ${p} session: .*\\n  Fix: use --ep cpu`));
    }
  }
});
