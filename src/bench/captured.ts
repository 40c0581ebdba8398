/**
 * Benchmark rows for the captured WebGPU engine (`engine@webgpu-graph`, src/engine/capture): it is
 * driven through onnxruntime's C API rather than a session, and holds one engine per input shape.
 */
import { CapturedEngine } from '../engine/capture';
import { imageFeed, readProbability, type InputFormat, type OutputFormat } from '../engine/io';
import { decodeImage, resizeRgb, targetSize } from '../image';
import { resolveModel } from '../models';
import { postprocessorFor } from '../postprocess';
import { seededRandom } from '../stats/bootstrap';
import { measure, type MeasureOptions, type Measurement } from './measure';

export const CAPTURED_PROVIDER = 'webgpu-graph';
/** Formats used when a `@webgpu-graph` engine names none: bytes in, bytes out (the fastest exact pair). */
export const CAPTURED_DEFAULT_IO = { input: 'packed-nhwc', output: 'packed-uint8' } as const;

type Io = { input: InputFormat; output: OutputFormat };

/** `run()` of a captured engine at [N, 3, H, W] on fixed-seed random bytes. */
export async function capturedInfer(file: string, io: Io, shape: number[], m: MeasureOptions): Promise<Measurement> {
  const [n, , h, w] = shape;
  const engine = CapturedEngine.create(file, { shape: [n, h, w], input: io.input, output: io.output });
  try {
    const next = seededRandom(1);
    if (io.input === 'float32') {
      const f = new Float32Array(engine.input.buffer, engine.input.byteOffset, engine.input.byteLength / 4);
      for (let i = 0; i < f.length; i++) f[i] = next() * 4.6 - 2;
    } else {
      for (let i = 0; i < engine.input.length; i++) engine.input[i] = Math.floor(next() * 256);
    }
    return await measure(() => {
      engine.run();
    }, m);
  } finally {
    engine.dispose();
  }
}

/**
 * The whole pipeline through captured engines, one per resized shape (created on first use, which
 * the warm-up absorbs when the images share a shape).
 */
export async function capturedPipeline(file: string, io: Io, modelName: string, images: string[], m: MeasureOptions): Promise<Measurement> {
  const model = resolveModel(modelName);
  const engines = new Map<string, CapturedEngine>();
  const pick = (i: number): string => images[(i < 0 ? -1 - i : i) % images.length];
  try {
    return await measure(async (i) => {
      const t0 = performance.now();
      const rgb = await decodeImage(pick(i));
      const t1 = performance.now();
      const { width, height } = targetSize(rgb.width, rgb.height, model.resize);
      const key = `${height}x${width}`;
      let engine = engines.get(key);
      if (!engine) {
        engine = CapturedEngine.create(file, { shape: [1, height, width], input: io.input, output: io.output });
        engines.set(key, engine);
      }
      const resized = await resizeRgb(rgb, width, height);
      engine.feed(imageFeed(io.input, resized, model.input));
      const t2 = performance.now();
      engine.run();
      const map = readProbability(engine.outputTensor(), io.output);
      const t3 = performance.now();
      postprocessorFor(model.output.kind)(map, { srcWidth: rgb.width, srcHeight: rgb.height });
      const t4 = performance.now();
      return { decode: t1 - t0, preprocess: t2 - t1, infer: t3 - t2, postprocess: t4 - t3, total: t4 - t0 };
    }, { ...m, iterations: Math.max(m.iterations, images.length) });
  } finally {
    for (const e of engines.values()) e.dispose();
  }
}
