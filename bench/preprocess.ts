/**
 * Decode + resize + normalise of a 1280x720 JPEG (an ICDAR 2015 street scene) into PP-OCRv4 det's
 * 1x3x544x960 tensor, one image at a time, as the pipeline does it. Target (issue 2): <= 15 ms p50
 * for the three together on the 2-core machine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { summarize } from '../src/bench';
import { decodeImage, normalizeInto, resizeRgb, targetSize } from '../src/image';
import { PPOCRV4_DET } from '../src/models';

async function sampleJpeg(): Promise<{ file: string; note: string }> {
  const real = path.resolve(__dirname, '..', '..', 'shared', 'data', 'ic15_train_mmocr10', 'images', 'img_1.jpg');
  if (fs.existsSync(real)) return { file: real, note: 'ICDAR 2015 img_1.jpg (1280x720)' };
  // Outside the project's machines: a noisy 1280x720 JPEG of similar entropy.
  const file = path.join(require('node:os').tmpdir(), 'detbench-bench-1280x720.jpg');
  await sharp({ create: { width: 1280, height: 720, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).jpeg({ quality: 90 }).toFile(file);
  return { file, note: 'generated noisy 1280x720 JPEG (shared data not found)' };
}

export async function run(opts: { quick: boolean }): Promise<{ name: string; rows: Record<string, unknown>[]; notes?: string[] }> {
  const { file, note } = await sampleJpeg();
  const iterations = opts.quick ? 20 : 100;
  const times: Record<'decode' | 'resize' | 'normalize' | 'total', number[]> = { decode: [], resize: [], normalize: [], total: [] };
  for (let i = 0; i < iterations + 5; i++) {
    const t0 = performance.now();
    const img = await decodeImage(file);
    const t1 = performance.now();
    const { width, height } = targetSize(img.width, img.height, PPOCRV4_DET.resize);
    const resized = await resizeRgb(img, width, height);
    const t2 = performance.now();
    normalizeInto(resized, PPOCRV4_DET.input, new Float32Array(3 * width * height), width, height);
    const t3 = performance.now();
    if (i < 5) continue; // warm-up
    times.decode.push(t1 - t0);
    times.resize.push(t2 - t1);
    times.normalize.push(t3 - t2);
    times.total.push(t3 - t0);
  }
  const rows = Object.entries(times).map(([stage, t]) => {
    const s = summarize(t);
    return { stage, iterations: s.n, p50_ms: +s.median.toFixed(2), p90_ms: +s.p90.toFixed(2), min_ms: +s.min.toFixed(2), cov: +s.cov.toFixed(3) };
  });
  return { name: 'preprocess (1280x720 JPEG → 1x3x544x960)', rows, notes: [note, 'Target: total p50 <= 15 ms on the 2-core machine.'] };
}
