import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OptionError } from '../../src/core';
import { dominates, paretoFront } from '../../src/stats';

test('marks the variants no other variant beats on both accuracy and latency', () => {
  const pts = [
    { name: 'fp32', accuracy: 0.9, latencyMs: 100 },
    { name: 'int8', accuracy: 0.89, latencyMs: 50 },
    { name: 'fp16-cpu', accuracy: 0.88, latencyMs: 120 }, // worse than fp32 on both
    { name: 'int8-pct', accuracy: 0.85, latencyMs: 55 }, // worse than int8 on both
  ];
  const before = JSON.stringify(pts);
  const out = paretoFront(pts);
  assert.deepEqual(out.map((p) => [p.name, p.onFront]), [['fp32', true], ['int8', true], ['fp16-cpu', false], ['int8-pct', false]]);
  assert.equal(JSON.stringify(pts), before, 'input unchanged');
});

test('equal points are both on the front; equal accuracy and slower is dominated', () => {
  const a = { name: 'a', accuracy: 0.8, latencyMs: 10 };
  const b = { name: 'b', accuracy: 0.8, latencyMs: 10 };
  const c = { name: 'c', accuracy: 0.8, latencyMs: 11 };
  assert.equal(dominates(a, b), false);
  assert.equal(dominates(a, c), true);
  assert.deepEqual(paretoFront([a, b, c]).map((p) => p.onFront), [true, true, false]);
});

test('rejects a point without a measured latency', () => {
  assert.throws(
    () => paretoFront([{ name: 'webgpu', accuracy: 0.9, latencyMs: NaN }]),
    (e: unknown) => e instanceof OptionError && /"webgpu" has latencyMs/.test(e.message) && /measure/.test(e.message),
  );
});
