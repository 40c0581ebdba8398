/**
 * PAN++ at 736x1280: PyTorch eager (the blog's 15.5 ms baseline, here on this machine's CPU) beside
 * the exported ONNX model in onnxruntime-node. Same seeded weights, same input, warm-up first.
 *
 *   npm run bench -- export            (or: node --import tsx -e "require('./bench/export').run({quick:false}).then(r=>console.log(r))")
 *   DETBENCH_TORCH_DEVICE=cuda DETBENCH_ORT_EP=webgpu ... on the GPU host for PyTorch CUDA eager vs the WebGPU engine
 */
import * as os from 'node:os';
import * as ort from 'onnxruntime-node';
import { ensurePanppModel, torchEagerLatency, findTorchPython } from '../src/export';
import { summarize } from '../src/bench';

const SHAPE = [1, 3, 736, 1280];

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

export async function run(opts: { quick: boolean }): Promise<{ name: string; rows: Record<string, unknown>[]; notes?: string[] }> {
  const name = 'export (PAN++ 736x1280: PyTorch eager vs ORT)';
  try {
    findTorchPython();
  } catch (err) {
    return { name, rows: [], notes: [`skipped: ${(err as Error).message.split('\n')[0]}`] };
  }
  const runs = opts.quick ? 2 : 5;
  const warmup = 1;
  const device = (process.env.DETBENCH_TORCH_DEVICE ?? 'cpu') as 'cpu' | 'cuda';
  const ep = process.env.DETBENCH_ORT_EP ?? 'cpu';
  // Same thread count for both (Debian's torch otherwise starts with 1 thread here).
  const threads = Number(process.env.DETBENCH_THREADS ?? os.cpus().length);
  const model = ensurePanppModel({ opset: 17 });
  const rows: Record<string, unknown>[] = [];

  const eager = torchEagerLatency({ model: 'panpp', shape: SHAPE, runs, warmup, device, threads });
  rows.push({ engine: eager.engine, shape: SHAPE.join('x'), runs, meanMs: round(eager.meanMs), p50Ms: round(eager.p50Ms), minMs: round(eager.minMs), note: `torch ${eager.torchVersion}, ${eager.threads} threads` });

  const session = await ort.InferenceSession.create(model, { executionProviders: [ep], graphOptimizationLevel: 'all', intraOpNumThreads: threads });
  const n = SHAPE.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = ((i * 2654435761) % 1000) / 1000; // fixed pseudo-random input
  const feed = { [session.inputNames[0]]: new ort.Tensor('float32', data, SHAPE) };
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    await session.run(feed);
    if (i >= warmup) times.push(performance.now() - t0);
  }
  await session.release();
  const s = summarize(times);
  rows.push({ engine: `onnxruntime-node-${ep}`, shape: SHAPE.join('x'), runs, meanMs: round(s.mean), p50Ms: round(s.median), minMs: round(s.min), note: `opset 17, ${threads} threads` });
  return {
    name,
    rows,
    notes: [
      `speed-up ORT/${ep} vs PyTorch eager/${device}: ${(eager.p50Ms / s.median).toFixed(2)}x (p50)`,
      'PAN++ here has seeded weights (no pretrained checkpoint can be downloaded); latency does not depend on weight values',
    ],
  };
}
