/**
 * The detection pipeline: decode → preprocess → infer → post-process, timed per stage.
 *
 *   image file ──decode──▶ RGB ──resize+normalise──▶ NCHW tensor ──session.run──▶ prob map ──post-process──▶ boxes
 *
 * A Detector holds one session; `detectMany` goes on past a bad image and lists it under `errors`.
 */
import * as ort from 'onnxruntime-node';
import { ModelError, OptionError, ShapeError, defaultLogger, errorText, knownKeys, oneOf, withDefaults, type DetBox, type Logger } from '../core';
import { DEFAULT_DECODE_OPTIONS, decodeImage, resizeRgb, targetSize, toTensor, type ImageTensor, type RgbImage } from '../image';
import { resolveModel, type ModelSpec } from '../models';
import { decodeOutputs, type ModelMaps } from './outputs';
import { createSession, type DetSession, type EngineSpec, type ProviderName } from '../session';
import { INPUT_FORMATS, OUTPUT_FORMATS, imageFeed, readProbability, transformIoFile, type InputFormat, type OutputFormat } from '../engine/io';
import { CapturedEngine, type CapturedEngineOptions } from '../engine/capture';
import { smallestBucket, type BucketShape } from '../profiles/strategies';

export interface DetectorOptions {
  /** Registry name or .onnx path. @default 'ppocrv4-det' */
  model: string | ModelSpec;
  /** Run this .onnx file (e.g. a built engine) with `model`'s preprocessing. @default undefined */
  modelFile: string | undefined;
  /** Execution provider. @default 'cpu' */
  provider: ProviderName;
  /** CPU intra-op threads, 0 = all cores. @default 0 */
  threads: number;
  /** Options of the model's post-processor (DbOptions for DB models). @default {} */
  postprocess: Record<string, unknown>;
  /** Decompression-bomb guard. @default 100_000_000 */
  maxPixels: number;
  /** Keep the probability map in each result (for heatmaps). @default false */
  keepProbMap: boolean;
  /** Extra session options (graph optimisation level, WebGPU layout, …). @default {} */
  session: Partial<Omit<EngineSpec, 'model' | 'provider' | 'threads'>>;
  /**
   * Graph I/O formats (src/engine/io): e.g. `{ input: 'packed-nhwc', output: 'packed-uint8' }` moves the
   * normalisation into the graph and sends 4x fewer bytes each way, which is what makes the WebGPU
   * provider fast. Boxes stay those of float32 I/O. @default { input: 'float32', output: 'float32' }
   */
  io: { input: InputFormat; output: OutputFormat };
  /**
   * WebGPU only: run through captured engines (src/engine/capture), the detector graph recorded once
   * and replayed, one engine per resized input shape (the first image of a shape records it, about a
   * second). Uses `io`, or packed-nhwc:packed-uint8 when `io` is float32. @default false
   */
  capture: boolean;
  /**
   * Pad each resized image (right and bottom, pixel value 0) to the smallest of these shapes that holds
   * it, as stage 2's `bucketed` strategy does (`bucketShapes` reads them from a profile file), and
   * post-process only the image's own region. A few shapes then serve a whole dataset: what captured
   * engines need (one per shape), and what fixed-shape engines accept. Sides must be multiples of the
   * model's resize multiple. Boxes can differ slightly from unpadded runs near the right and bottom
   * edges (measure it: `detbench eval` on both). An image no bucket holds is a ShapeError. [] = each
   * image at its own shape. @default []
   */
  buckets: readonly BucketShape[];
  /**
   * Captured engines: how the input reaches the GPU (CapturedEngineOptions.upload). A fallback from
   * `auto` to onnxruntime's upload is logged as a warning with its reason. @default 'auto'
   */
  upload: CapturedEngineOptions['upload'];
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = {
  model: 'ppocrv4-det',
  modelFile: undefined,
  provider: 'cpu',
  threads: 0,
  postprocess: {},
  maxPixels: DEFAULT_DECODE_OPTIONS.maxPixels,
  keepProbMap: false,
  session: {},
  io: { input: 'float32', output: 'float32' },
  capture: false,
  buckets: [],
  upload: 'auto',
};

/** Captured engines kept per input shape (at least one per bucket); the oldest is closed beyond this many. */
const MAX_CAPTURED_SHAPES = 8;

export interface StageTimings {
  decode: number;
  preprocess: number;
  infer: number;
  postprocess: number;
}

export interface DetectResult {
  image: string;
  width: number;
  height: number;
  provider: string;
  /** [N, C, H, W] of the tensor the model saw (a bucket's shape when `buckets` padded the image). */
  inputShape: number[];
  boxes: DetBox[];
  timings_ms: StageTimings;
  /** The probability map (output size), when `keepProbMap` is set. */
  probMap?: { data: Float32Array; width: number; height: number };
}

export interface DetectError {
  image: string;
  error: string;
}

export interface DetectBatch {
  results: DetectResult[];
  errors: DetectError[];
}

/** Buckets validated: positive multiples of the model's resize multiple. */
function checkBuckets(buckets: readonly BucketShape[], multiple: number): BucketShape[] {
  if (!Array.isArray(buckets)) throw new OptionError(`buckets must be an array of { height, width }, not ${JSON.stringify(buckets)}`, { subject: 'buckets' });
  return buckets.map((b) => {
    const ok = (v: unknown) => Number.isInteger(v) && (v as number) > 0 && (v as number) % multiple === 0;
    if (!b || !ok(b.height) || !ok(b.width)) {
      throw new OptionError(`Bucket ${JSON.stringify(b)} is not a { height, width } of positive multiples of ${multiple}`, {
        subject: 'buckets', fix: `round each side up to a multiple of ${multiple} (the model's resize multiple), e.g. 544x960`,
      });
    }
    return { height: b.height, width: b.width };
  });
}

/** The top-left `width` x `height` window of a probability map (the image's own region of a padded run). */
export function cropMap(map: { data: Float32Array; width: number; height: number }, width: number, height: number): { data: Float32Array; width: number; height: number } {
  if (map.width === width && map.height === height) return map;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) data.set(map.data.subarray(y * map.width, y * map.width + width), y * width);
  return { data, width, height };
}

function checkImageModel(session: DetSession, spec: ModelSpec, file: string): void {
  const input = session.inputs.find((i) => i.name === spec.input.name) ?? session.inputs[0];
  const dims = input?.shape ?? [];
  const channelsOk = dims.length === 4 && (dims[1] === 3 || typeof dims[1] === 'string');
  if (!input || !channelsOk || !['float32', 'float16', 'uint8'].includes(input.type)) {
    throw new ModelError(
      `${file} does not take an image: its input ${input ? `${input.name} is ${input.type} [${dims.join(', ')}]` : 'is missing'}, expected a float32 NCHW tensor [N, 3, H, W]`,
      { subject: file, fix: 'pass a text-detection model whose first input is an image batch, or register its input spec with registerModel()' },
    );
  }
  const out = session.outputs[0];
  if (!out || out.shape.length !== 4) {
    throw new ModelError(`${file} does not give a probability map: output ${out?.name} has shape [${out?.shape.join(', ')}], expected [N, 1, H, W]`, {
      subject: file, fix: 'pass a segmentation-style detector (DBNet, PAN++)',
    });
  }
}

export class Detector {
  private constructor(
    readonly session: DetSession,
    readonly spec: ModelSpec,
    readonly options: DetectorOptions,
    private readonly inputName: string,
    private readonly modelFile: string,
    private readonly logger: Logger,
  ) {}

  private readonly captured = new Map<string, CapturedEngine>();

  /** The captured engine for one input shape, recorded on first use. */
  private capturedFor(height: number, width: number): CapturedEngine {
    const key = `${height}x${width}`;
    let engine = this.captured.get(key);
    if (engine) {
      this.captured.delete(key); // re-insert: the map's order is least recently used first
    } else {
      engine = CapturedEngine.create(this.modelFile, {
        shape: [1, height, width], input: this.options.io.input, output: this.options.io.output, deviceId: this.options.session.deviceId ?? 0, upload: this.options.upload,
      });
      const up = engine.uploadPath;
      if (up.path === 'onnxruntime' && this.options.upload === 'auto') this.logger.warn(`captured engine ${key}: onnxruntime's upload (${up.reason})`);
      if (this.captured.size >= Math.max(MAX_CAPTURED_SHAPES, this.options.buckets.length)) {
        const [oldest, old] = this.captured.entries().next().value as [string, CapturedEngine];
        old.dispose();
        this.captured.delete(oldest);
      }
    }
    this.captured.set(key, engine);
    return engine;
  }

  static async create(options: Partial<DetectorOptions> = {}, logger: Logger = defaultLogger()): Promise<Detector> {
    const o = withDefaults('detector options', DEFAULT_DETECTOR_OPTIONS, options);
    const spec = resolveModel(o.model);
    const file = o.modelFile ?? spec.path();
    knownKeys('io', o.io, ['input', 'output']);
    oneOf('upload', o.upload, ['auto', 'onnxruntime', 'queue']);
    o.io = { input: oneOf('io.input', o.io.input ?? 'float32', INPUT_FORMATS), output: oneOf('io.output', o.io.output ?? 'float32', OUTPUT_FORMATS) };
    if (o.capture) {
      if (o.provider !== 'webgpu') {
        throw new OptionError(`Captured engines run on the webgpu provider, not ${o.provider}`, { subject: 'capture', fix: 'use --ep webgpu with --capture' });
      }
      if (o.io.input === 'float32' && o.io.output === 'float32') o.io = { input: 'packed-nhwc', output: 'packed-uint8' };
    }
    o.buckets = checkBuckets(o.buckets, spec.resize.multiple);
    const plainIo = o.io.input === 'float32' && o.io.output === 'float32';
    if ((!plainIo || o.buckets.length > 0) && spec.output.kind !== 'db') {
      throw new OptionError(`Graph I/O formats, capture and buckets read one probability map, but ${spec.name} has ${spec.output.kind} outputs`, {
        subject: spec.name, fix: 'leave io, capture and buckets at their defaults for this model',
      });
    }
    const model = plainIo ? file : transformIoFile(file, { input: o.io.input, output: o.io.output, normalize: spec.input });
    const session = await createSession({ ...o.session, model, provider: o.provider, threads: o.threads }, logger);
    try {
      if (plainIo) checkImageModel(session, spec, file);
    } catch (err) {
      await session.dispose();
      throw err;
    }
    const inputName = plainIo && session.inputs.some((i) => i.name === spec.input.name) ? spec.input.name : session.inputs[0].name;
    const detector = new Detector(session, spec, o, inputName, file, logger);
    // With buckets the shapes are known: record every captured engine now, not during the first images.
    if (o.capture) {
      try {
        for (const b of o.buckets) detector.capturedFor(b.height, b.width);
      } catch (err) {
        await detector.dispose();
        throw err;
      }
    }
    return detector;
  }

  /** The provider that runs inference (`webgpu-graph` for captured engines). */
  get provider(): string {
    return this.options.capture ? 'webgpu-graph' : this.session.provider;
  }

  /** Decode + preprocess only (the tensor and the decode time), for benchmarks and profiles. */
  async prepare(image: string | Buffer): Promise<{ rgb: RgbImage; tensor: ImageTensor; decodeMs: number; preprocessMs: number }> {
    const t0 = performance.now();
    const rgb = await decodeImage(image, { maxPixels: this.options.maxPixels });
    const t1 = performance.now();
    const tensor = await toTensor(rgb, this.spec.input, this.spec.resize);
    return { rgb, tensor, decodeMs: t1 - t0, preprocessMs: performance.now() - t1 };
  }

  /**
   * Runs the model on a prepared tensor. Returns the first output (or the spec's named one) as a
   * probability map, with every output attached for multi-output heads such as PAN++.
   */
  async infer(tensor: ImageTensor): Promise<ModelMaps> {
    const feeds = { [this.inputName]: new ort.Tensor('float32', tensor.data, tensor.dims) };
    const out = await this.session.run(feeds);
    const outputs: ModelMaps['outputs'] = {};
    for (const [name, t] of Object.entries(out)) {
      const data = t.type === 'float32' ? (t.data as Float32Array) : Float32Array.from(t.data as ArrayLike<number>);
      outputs[name] = { data, dims: [...t.dims] as number[] };
    }
    const primary = outputs[this.spec.output.name ?? this.session.ort.outputNames[0]];
    const [, , h, w] = primary.dims;
    return { data: primary.data.subarray(0, h * w), width: w, height: h, outputs };
  }

  /** Boxes in original-image coordinates from the model's maps (see {@link decodeOutputs}). */
  postprocess(maps: ModelMaps, tensor: ImageTensor): DetBox[] {
    return decodeOutputs(this.spec, maps, { srcWidth: tensor.srcWidth, srcHeight: tensor.srcHeight }, this.options.postprocess);
  }

  /** Detects text in one image. Throws InputError for an unreadable image. */
  async detect(image: string | Buffer): Promise<DetectResult> {
    const io = this.options.io;
    if (io.input !== 'float32' || io.output !== 'float32' || this.options.buckets.length > 0) return this.detectWithIo(image);
    const { tensor, decodeMs, preprocessMs } = await this.prepare(image);
    const t2 = performance.now();
    const map = await this.infer(tensor);
    const t3 = performance.now();
    return this.finish(image, tensor, map, decodeMs, preprocessMs, t3 - t2);
  }

  /**
   * The same stages with the graph I/O formats of `options.io` (normalisation inside the graph), and
   * with the image padded to its bucket when `options.buckets` are given.
   */
  private async detectWithIo(image: string | Buffer): Promise<DetectResult> {
    const { input, output } = this.options.io;
    const t0 = performance.now();
    const rgb = await decodeImage(image, { maxPixels: this.options.maxPixels });
    const t1 = performance.now();
    const { width, height } = targetSize(rgb.width, rgb.height, this.spec.resize);
    const shape = this.options.buckets.length > 0 ? smallestBucket({ width, height }, this.options.buckets) : { width, height };
    if (!shape) {
      const name = typeof image === 'string' ? image : 'the image';
      throw new ShapeError(`${name} resizes to ${height}x${width}, which none of the buckets ${this.options.buckets.map((b) => `${b.height}x${b.width}`).join(', ')} holds`, {
        subject: name, fix: `add a bucket of at least ${height}x${width}, or design them from the dataset (detbench profile --buckets K)`,
      });
    }
    const feed = imageFeed(input, await resizeRgb(rgb, width, height), this.spec.input, shape.width, shape.height);
    const tensor: ImageTensor = {
      data: new Float32Array(0), dims: [1, 3, shape.height, shape.width], srcWidth: rgb.width, srcHeight: rgb.height, contentWidth: width, contentHeight: height,
    };
    const t2 = performance.now();
    let prob: ReturnType<typeof readProbability>;
    if (this.options.capture) {
      const engine = this.capturedFor(shape.height, shape.width);
      engine.feed(feed);
      engine.run();
      prob = readProbability(engine.outputTensor(), output);
    } else {
      const out = await this.session.run({ [this.inputName]: feed });
      prob = readProbability(out[this.session.ort.outputNames[0]], output);
    }
    prob = cropMap(prob, width, height);
    const t3 = performance.now();
    const map: ModelMaps = { ...prob, outputs: { [this.session.ort.outputNames[0]]: { data: prob.data, dims: [1, 1, prob.height, prob.width] } } };
    return this.finish(image, tensor, map, t1 - t0, t2 - t1, t3 - t2);
  }

  private finish(image: string | Buffer, tensor: ImageTensor, map: ModelMaps, decodeMs: number, preprocessMs: number, inferMs: number): DetectResult {
    const t3 = performance.now();
    const boxes = this.postprocess(map, tensor);
    const t4 = performance.now();
    return {
      image: typeof image === 'string' ? image : '<buffer>',
      width: tensor.srcWidth,
      height: tensor.srcHeight,
      provider: this.provider,
      inputShape: [...tensor.dims],
      boxes,
      timings_ms: { decode: decodeMs, preprocess: preprocessMs, infer: inferMs, postprocess: t4 - t3 },
      ...(this.options.keepProbMap ? { probMap: { data: Float32Array.from(map.data), width: map.width, height: map.height } } : {}),
    };
  }

  /** Detects text in many images, going on past bad ones. `onProgress` is called after each image. */
  async detectMany(images: string[], onProgress?: (done: number, total: number) => void): Promise<DetectBatch> {
    const results: DetectResult[] = [];
    const errors: DetectError[] = [];
    for (let i = 0; i < images.length; i++) {
      try {
        results.push(await this.detect(images[i]));
      } catch (err) {
        errors.push({ image: images[i], error: errorText(err) });
      }
      onProgress?.(i + 1, images.length);
    }
    return { results, errors };
  }

  async dispose(): Promise<void> {
    for (const e of this.captured.values()) e.dispose();
    this.captured.clear();
    await this.session.dispose();
  }
}

/** One-shot helper: open a detector, run it on `images`, close it. */
export async function detect(images: string[], options: Partial<DetectorOptions> = {}, logger?: Logger): Promise<DetectBatch> {
  const detector = await Detector.create(options, logger);
  try {
    return await detector.detectMany(images);
  } finally {
    await detector.dispose();
  }
}
