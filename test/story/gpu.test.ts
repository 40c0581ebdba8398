import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GPU_ENGINES, engineLabel, gpuBench, p50Chart } from '../../src/story';
import { probeProvider } from '../../src/session';
import { compileChart } from '../../src/report';
import { InputError } from '../../src/core';
import { tempDir } from '../helpers/fixtures';

test('gpuBench measures the WebGPU engines on a GPU, and elsewhere shows the recorded run, labelled as such', async (t) => {
  const here = await probeProvider('webgpu');
  const g = await gpuBench({ durationMs: 300 });
  if (here.available) {
    t.diagnostic('webgpu available: measured');
    assert.equal(g.source, 'measured');
    assert.equal(g.rows.length, GPU_ENGINES.length);
    return;
  }
  assert.equal(g.source, 'recorded');
  assert.equal(g.reason, here.reason);
  assert.match(g.note, /^\*\*Recorded, not measured here\*\*/);
  assert.match(g.note, /H100/);
  assert.match(g.note, /bash bench\/gpu\/run\.sh/);
  // The recorded run is of exactly the engines a GPU machine would time, and the note says how to rerun it.
  assert.equal(g.rows.length, GPU_ENGINES.length);
  assert.ok(g.rows.some((r) => r.provider === 'webgpu-graph'));
  assert.ok(g.rows.every((r) => g.note.includes(`${r.engine}@${r.provider}`)));
  assert.ok(g.rows.every((r) => r.p50_ms > 0 && r.p50_ms <= r.p90_ms && r.p90_ms <= r.p99_ms));
  const compiled = compileChart(g.chart) as { data?: unknown; datasets?: unknown };
  assert.ok(compiled, 'the chart compiles with vega-lite');
});

test('gpuBench names the shapes a recorded report has when asked for another', async (t) => {
  if ((await probeProvider('webgpu')).available) {
    t.skip('a GPU is present: nothing is read from the recorded report');
    return;
  }
  await assert.rejects(gpuBench({ shape: [1, 3, 544, 960] }), (e: Error) => e instanceof InputError && /no inference rows at 1x3x544x960 \(it has .*1x3x736x1280/.test(e.message));
  await assert.rejects(gpuBench({ model: 'panpp' }), (e: Error) => e instanceof InputError && /recorded GPU run is of ppocrv4-det, not panpp/.test(e.message));
  const file = path.join(tempDir(), 'mine.json');
  fs.writeFileSync(file, JSON.stringify({
    environment: { date: '2026-01-02T00:00:00Z', node: 'v20', onnxruntime: '1.30.0', platform: 'linux', cpu: 'Some CPU', cores: 8, memoryGiB: 32, gpu: 'Some GPU, 1.0', threads: 0, providers: ['webgpu'] },
    rows: [{ engine: 'fp32', provider: 'webgpu', shape: '1x3x544x960', stage: 'infer', p50_ms: 9, p90_ms: 10, p99_ms: 11, mean_ms: 9.2, cov: 0.05, iterations: 50 }],
    warnings: [],
  }));
  const mine = await gpuBench({ shape: [1, 3, 544, 960], recorded: file });
  assert.equal(mine.file, file);
  assert.deepEqual(mine.rows.map((r) => [r.engine, r.p50_ms, r.trust]), [['fp32', 9, 'ok']]);
  assert.match(mine.note, /mine\.json from Some GPU, 1\.0, Some CPU \(8 cores\), onnxruntime-node 1\.30\.0, 2026-01-02/);
});

test('p50Chart draws one bar and one p90 tick per engine, in the given order', () => {
  const spec = p50Chart([{ engine: 'b', provider: 'webgpu', p50_ms: 2, p90_ms: 3 }, { engine: 'a', provider: 'cpu', p50_ms: 9, p90_ms: 12 }], 'x') as { data: { values: { engine: string }[] }; layer: { mark: unknown }[] };
  assert.deepEqual(spec.data.values.map((v) => v.engine), ['b @ webgpu', 'a @ cpu']);
  assert.equal(spec.layer.length, 3);
  assert.ok(compileChart(spec));
});

test('engineLabel shortens the I/O formats of an engine name', () => {
  assert.equal(engineLabel('webgpu:packed-nhwc:packed-uint8', 'webgpu-graph'), 'webgpu, bytes I/O @ webgpu-graph');
  assert.equal(engineLabel('fp32:uint8-nhwc', 'webgpu'), 'fp32, uint8-nhwc:float32 @ webgpu');
  assert.equal(engineLabel('int8', 'cpu'), 'int8 @ cpu');
});
