import { test, after, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { exportTorch, checkParity, findTorchPython, tempExportDir, TorchError, formatParity } from '../../src/export';
import { inspectModel, lintModel, formatLint } from '../../src/onnx';
import { OptionError } from '../../src/core';

const FIXTURES = path.join(__dirname, 'fixtures', 'pitfalls.py');
/** Multiples of 32 (the model's resize policy), with different batch, height and width. */
const PARITY_SHAPES = [[1, 3, 224, 320], [2, 3, 256, 256], [1, 3, 320, 192]];

const WORK = tempExportDir();
after(() => fs.rmSync(WORK, { recursive: true, force: true }));
/** PAN++ exports by opset (seed 0), shared by the tests below: each export costs seconds. */
const exported = new Map<number, ReturnType<typeof exportTorch>>();

/** True when torch is importable; otherwise fails under CI and skips visibly elsewhere. */
function needTorch(t: TestContext): boolean {
  try {
    findTorchPython();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    t.skip(`PyTorch not installed (${(err as Error).message.split('\n')[0]}); apt-get install python3-torch python3-torchvision`);
    return false;
  }
}

for (const opset of [11, 17]) {
  test(`exports PAN++ at opset ${opset} with dynamic axes and matches PyTorch at three input sizes`, async (t) => {
    if (!needTorch(t)) return;
    const r = exportTorch({ model: 'panpp', out: path.join(WORK, `panpp${opset}.onnx`), opset, parityShapes: PARITY_SHAPES });
    exported.set(opset, r);
    assert.equal(r.opset, opset);
    assert.deepEqual(r.outputNames, ['text', 'kernel', 'embedding']);
    const info = inspectModel(r.out);
    assert.deepEqual(info.opsets.find((o) => o.domain === 'ai.onnx')?.version, opset);
    assert.deepEqual(info.inputs[0].dims, ['batch', 3, 'height', 'width']);
    assert.deepEqual(info.outputs.map((o) => o.dims), [
      ['batch', 1, 'height', 'width'], ['batch', 1, 'height', 'width'], ['batch', 4, 'height', 'width'],
    ]);
    const parity = await checkParity(r.out, r.parity!);
    assert.equal(parity.rows.length, PARITY_SHAPES.length * 3);
    assert.ok(parity.pass, formatParity(parity));
    // The whole point of the export path: nothing for an engine build to trip on.
    const ws = lintModel(r.out, { usedOutputs: ['text', 'kernel', 'embedding'] });
    assert.deepEqual(ws, [], formatLint(ws));
  });
}

test('parity fails when the ONNX model is not the one PyTorch ran', async (t) => {
  if (!needTorch(t)) return;
  const seed0 = exported.get(17) ?? exportTorch({ model: 'panpp', out: path.join(WORK, 'a.onnx'), parityShapes: [[1, 3, 64, 64]] });
  const seed1 = exportTorch({ model: 'panpp', out: path.join(WORK, 'seed1.onnx'), seed: 1 });
  const other = await checkParity(seed1.out, seed0.parity!);
  assert.ok(!other.pass, 'different weights must not pass');
  assert.ok(other.rows.some((r) => r.maxAbs > 1e-2));
});

test('exports a user MODULE:FUNCTION model, and the lint finds its run-time Resize sizes', async (t) => {
  if (!needTorch(t)) return;
  const dir = tempExportDir();
  try {
    for (const [fn, rules] of [['size_from_tensor', ['resize-runtime-size']], ['doubled_shape', ['int64-shape-arithmetic', 'resize-runtime-size']]] as const) {
      const r = exportTorch({ model: `${FIXTURES}:${fn}`, out: path.join(dir, `${fn}.onnx`), opset: 13 });
      const found = [...new Set(lintModel(r.out).map((w) => w.rule))].sort();
      assert.deepEqual(found, rules, fn);
      // and the exported model really runs at a size other than the example's
      const s = await ort.InferenceSession.create(r.out);
      const out = await s.run({ input: new ort.Tensor('float32', new Float32Array(3 * 32 * 48), [1, 3, 32, 48]) });
      assert.equal(out.output0.dims[2], fn === 'doubled_shape' ? 64 : 32);
      await s.release();
    }
    const old = exportTorch({ model: `${FIXTURES}:size_from_tensor`, out: path.join(dir, 'old.onnx'), opset: 11 });
    assert.ok(lintModel(old.out).some((w) => w.rule === 'resize-runtime-size'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('reports a user function that does not return a module, with the reason', (t) => {
  if (!needTorch(t)) return;
  const dir = tempExportDir();
  try {
    assert.throws(() => exportTorch({ model: `${FIXTURES}:not_a_module`, out: path.join(dir, 'x.onnx') }), (e: unknown) =>
      e instanceof TorchError && /must return \(torch.nn.Module, example_input/.test(e.message));
    assert.throws(() => exportTorch({ model: `${FIXTURES}:missing_fn`, out: path.join(dir, 'x.onnx') }), (e: unknown) =>
      e instanceof TorchError && /has no function 'missing_fn'/.test(e.message));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('names the apt packages when no Python can import torch', () => {
  assert.throws(() => findTorchPython(['/nonexistent/python3']), (e: unknown) =>
    e instanceof TorchError && /No Python with PyTorch found/.test(e.message) && /python3-torch python3-torchvision/.test(e.message) && /DETBENCH_PYTHON/.test(e.message));
});

test('rejects an opset below 11, a bad model spec and a misspelled option before starting Python', () => {
  assert.throws(() => exportTorch({ model: 'panpp', out: 'x.onnx', opset: 9 }), (e: unknown) =>
    e instanceof OptionError && /between 11 and 17 for opset/.test(e.message));
  assert.throws(() => exportTorch({ model: 'pan', out: 'x.onnx' }), (e: unknown) =>
    e instanceof OptionError && /"panpp" or MODULE:FUNCTION/.test(e.message));
  assert.throws(() => exportTorch({ model: 'panpp', out: 'x.onnx', opsett: 11 } as never), (e: unknown) =>
    e instanceof OptionError && /Unknown option "opsett"/.test(e.message));
  assert.throws(() => exportTorch({ model: 'panpp', out: 'x.pt' }), (e: unknown) => e instanceof OptionError && /ending in .onnx/.test(e.message));
});
