import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSession, gpuDeviceFiles, missingGpuReason, probeProvider, PROVIDERS } from '../../src/session';
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
    assert.match(line, /^provider: cpu \(requested auto; .*unavailable: .*\)$/);
    // Every GPU provider is accounted for, in auto's order; providers failing alike share one clause.
    const named = [...line.matchAll(/(?:^|; |\()((?:[a-z]+, )*[a-z]+) unavailable: /g)].flatMap((m) => m[1].split(', '));
    assert.deepEqual(named, ['tensorrt', 'cuda', 'webgpu']);
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

test('finds GPU device files the way Linux exposes them, and only on Linux', () => {
  const dev = tempDir();
  assert.deepEqual(gpuDeviceFiles(dev, 'linux'), []);
  assert.match(missingGpuReason('webgpu', dev) ?? '', /no GPU device .*\/dev\/nvidia\*/);
  assert.equal(missingGpuReason('cpu', dev), undefined, 'CPU needs no device');
  fs.mkdirSync(path.join(dev, 'dri'));
  for (const f of ['nvidiactl', 'nvidia-uvm', 'null', 'dri/card0']) fs.writeFileSync(path.join(dev, f), '');
  assert.deepEqual(gpuDeviceFiles(dev, 'linux'), [], 'control nodes and card nodes are not GPUs to compute on');
  for (const f of ['nvidia0', 'dri/renderD128', 'dxg']) fs.writeFileSync(path.join(dev, f), '');
  assert.deepEqual(gpuDeviceFiles(dev, 'linux')?.sort(), [path.join(dev, 'dri/renderD128'), path.join(dev, 'dxg'), path.join(dev, 'nvidia0')]);
  assert.equal(missingGpuReason('webgpu', dev), undefined);
  assert.equal(gpuDeviceFiles(dev, 'darwin'), undefined, 'elsewhere devices are not files: unknown');
  assert.equal(gpuDeviceFiles(path.join(dev, 'missing'), 'linux'), undefined, 'an unreadable /dev says nothing');
  assert.equal(missingGpuReason('webgpu', path.join(dev, 'missing')), undefined);
});

test('probeProvider opens a real one-node session: CPU always, WebGPU where there is a GPU', async (t) => {
  assert.deepEqual(await probeProvider('cpu'), { provider: 'cpu', available: true, reason: '' });
  const webgpu = await probeProvider('webgpu');
  assert.equal(webgpu.provider, 'webgpu');
  if (webgpu.available) {
    t.diagnostic('webgpu is available on this machine');
    assert.equal(webgpu.reason, '');
  } else {
    assert.ok(webgpu.reason.length > 0 && !webgpu.reason.includes('\n'), webgpu.reason);
    if ((gpuDeviceFiles() ?? ['?']).length === 0) assert.match(webgpu.reason, /no GPU device/);
  }
});

test('without a GPU device file, auto does not ask the GPU providers, while an explicit one is still tried', async (t) => {
  if ((gpuDeviceFiles() ?? ['?']).length > 0) {
    t.skip('this machine has GPU device files (or they cannot be listed)');
    return;
  }
  const s = await createSession({ model: unaryModel('Sigmoid', [1, 4]), provider: 'auto' }, collectingLogger());
  try {
    assert.match(s.describe(), /^provider: cpu \(requested auto; tensorrt, cuda, webgpu unavailable: no GPU device on this machine/);
  } finally {
    await s.dispose();
  }
  // Named explicitly, WebGPU is created and fails for its own reason (no adapter), not skipped.
  await assert.rejects(createSession({ model: unaryModel('Sigmoid', [1, 4]), provider: 'webgpu' }), (e: Error) =>
    e instanceof ProviderError && !/no GPU device/.test(e.message) && /Cannot create a webgpu session/.test(e.message));
});
