import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareTensors, checkParity } from '../../src/export';
import { InputError } from '../../src/core';

test('compareTensors applies |a-b| <= atol + rtol*|b| element-wise', () => {
  const expected = new Float32Array([0, 1, 100, -5]);
  const ok = compareTensors(new Float32Array([5e-5, 1.0005, 100.09, -5]), expected, 1e-4, 1e-3);
  assert.equal(ok.pass, true);
  assert.equal(ok.mismatched, 0);
  const bad = compareTensors(new Float32Array([0, 1.01, 100, -5]), expected, 1e-4, 1e-3);
  assert.equal(bad.pass, false);
  assert.equal(bad.mismatched, 1);
  assert.ok(Math.abs(bad.maxAbs - 0.01) < 1e-6);
});

test('compareTensors counts NaN and a length mismatch as failures and does not mutate inputs', () => {
  const a = new Float32Array([NaN, 1]);
  const b = new Float32Array([0, 1]);
  const r = compareTensors(a, b, 1, 1);
  assert.equal(r.pass, false);
  assert.equal(r.maxAbs, Infinity);
  assert.equal(compareTensors(new Float32Array(3), new Float32Array(2), 1, 1).pass, false);
  assert.ok(Number.isNaN(a[0]) && a[1] === 1 && b[0] === 0);
});

test('checkParity explains a missing case directory', async () => {
  await assert.rejects(checkParity('model.onnx', '/nonexistent/cases'), (e: unknown) =>
    e instanceof InputError && /manifest.json missing/.test(e.message) && /--parity-shapes/.test(e.message));
});
