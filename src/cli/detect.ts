import * as path from 'node:path';
import type { Command } from 'commander';
import { PROVIDERS, type ProviderName } from '../session';
import { Detector, type DetectBatch } from '../pipeline';
import { oneOf, integerIn, progressBar, writeFileAtomic, errorText } from '../core';
import { drawOverlay } from '../data';
import { parseBuckets } from '../profiles';
import { resolveModel } from '../models';

interface DetectFlags {
  model: string;
  ep: string;
  threads: string;
  json?: boolean;
  overlay?: string;
  engine?: string;
  boxThresh?: string;
  maxPixels?: string;
  submission?: string;
  io?: string;
  capture?: boolean;
  buckets?: string;
  upload: string;
}

/** One `res_<stem>.txt` per image in CLEval/ICDAR submission layout: `x1,y1,...,xn,yn` per line, integers. */
function writeSubmission(dir: string, batch: DetectBatch): void {
  for (const r of batch.results) {
    const lines = r.boxes.map((b) => b.points.map(([x, y]) => `${Math.round(x)},${Math.round(y)}`).join(','));
    writeFileAtomic(path.join(dir, `res_${path.parse(r.image).name}.txt`), lines.join('\n') + (lines.length ? '\n' : ''));
  }
}

function table(batch: DetectBatch): string {
  const lines = ['image                                     size        boxes  decode  prep    infer   post   (ms)'];
  for (const r of batch.results) {
    const t = r.timings_ms;
    lines.push(
      `${path.basename(r.image).padEnd(40).slice(0, 40)}  ${`${r.width}x${r.height}`.padEnd(10)}  ${String(r.boxes.length).padStart(5)}  ` +
        `${t.decode.toFixed(1).padStart(6)}  ${t.preprocess.toFixed(1).padStart(6)}  ${t.infer.toFixed(1).padStart(6)}  ${t.postprocess.toFixed(1).padStart(5)}`,
    );
  }
  for (const e of batch.errors) lines.push(`FAILED ${e.image}: ${e.error.split('\n')[0]}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('detect')
    .description('detect text in images with a model (default: PP-OCRv4 det) on a chosen execution provider')
    .argument('<image...>', 'image files (JPEG, PNG, WebP, TIFF, GIF)')
    .option('--model <name|path>', 'registered model name or .onnx path', 'ppocrv4-det')
    .option('--ep <provider>', `execution provider: ${PROVIDERS.join(' | ')}`, 'cpu')
    .option('--engine <variant>', 'run a built engine variant (see `detbench build`)')
    .option('--threads <n>', 'CPU threads (0 = all cores)', '0')
    .option('--box-thresh <x>', 'DB box score threshold (default 0.6)')
    .option('--max-pixels <n>', 'refuse larger images (decompression-bomb guard)')
    .option('--io <input:output>', 'graph I/O formats, e.g. packed-nhwc:packed-uint8 (normalisation in the graph; the fast WebGPU path)', 'float32:float32')
    .option('--capture', 'with --ep webgpu: captured engines (graph recorded once, replayed per image; one per input shape), the fastest exact GPU path')
    .option('--buckets <HxW,...|profile.json>', 'pad each resized image to the smallest of these shapes (or of a profile file\'s opt shapes); with --capture, one captured engine per bucket')
    .option('--upload <path>', 'with --capture: how inputs reach the GPU: auto | onnxruntime | queue (Dawn queue.writeBuffer)', 'auto')
    .option('--overlay <dir>', 'write each image with its detections drawn into DIR')
    .option('--submission <dir>', 'write res_<image>.txt files (CLEval/ICDAR layout) into DIR, for `detbench eval`')
    .option('--json', 'print one JSON document')
    .action(async (images: string[], flags: DetectFlags) => {
      const provider = oneOf('--ep', flags.ep, PROVIDERS) as ProviderName;
      const threads = integerIn('--threads', Number(flags.threads), 0, 1024);
      let modelFile: string | undefined;
      if (flags.engine) {
        const { buildEngine } = await import('../engine');
        const engine = await buildEngine({ variant: flags.engine as never, model: flags.model });
        modelFile = engine.modelPath;
      }
      const [ioIn, ioOut] = (flags.io ?? 'float32:float32').split(':');
      const detector = await Detector.create({
        io: { input: ioIn, output: ioOut ?? 'float32' } as never,
        model: flags.model,
        modelFile,
        provider,
        threads,
        capture: Boolean(flags.capture),
        upload: oneOf('--upload', flags.upload, ['auto', 'onnxruntime', 'queue'] as const),
        buckets: flags.buckets !== undefined ? parseBuckets(flags.buckets, resolveModel(flags.model).input.name) : [],
        ...(flags.maxPixels ? { maxPixels: Number(flags.maxPixels) } : {}),
        postprocess: flags.boxThresh ? { boxThresh: Number(flags.boxThresh) } : {},
      });
      if (flags.capture && !flags.engine) {
        process.stderr.write('note: --capture runs the source model; add --engine webgpu for the dispatch-rewritten graph (same boxes, fewer GPU kernels per run; README "GPU providers")\n');
      }
      // A fallback was already reported as a warning by createSession.
      if (detector.session.fallbacks.length === 0) process.stderr.write(`${detector.session.describe()}\n`);
      if (flags.capture) process.stderr.write(`captured engines, I/O ${detector.options.io.input}:${detector.options.io.output}\n`);
      const bar = progressBar('detect', images.length);
      let batch: DetectBatch;
      try {
        batch = await detector.detectMany(images, () => bar.tick());
      } finally {
        bar.stop();
        await detector.dispose();
      }
      if (flags.overlay) {
        for (const r of batch.results) {
          try {
            const png = await drawOverlay(r.image, { detections: r.boxes });
            writeFileAtomic(path.join(flags.overlay, `${path.parse(r.image).name}.png`), png);
          } catch (err) {
            batch.errors.push({ image: r.image, error: `overlay: ${errorText(err)}` });
          }
        }
      }
      if (flags.submission) writeSubmission(flags.submission, batch);
      if (flags.json) {
        const out = {
          results: batch.results.map((r) => ({
            image: r.image, width: r.width, height: r.height, provider: r.provider,
            boxes: r.boxes.map((b) => ({ points: b.points, score: Number(b.score.toFixed(6)) })),
            timings_ms: Object.fromEntries(Object.entries(r.timings_ms).map(([k, v]) => [k, Number(v.toFixed(3))])),
          })),
          errors: batch.errors,
        };
        process.stdout.write(JSON.stringify(out) + '\n');
      } else {
        process.stdout.write(table(batch) + '\n');
      }
      if (batch.errors.length > 0) process.exitCode = 1;
    });
}
