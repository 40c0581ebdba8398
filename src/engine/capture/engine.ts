/**
 * A WebGPU engine whose detector graph is captured once and replayed on every run (onnxruntime's
 * `enableGraphCapture`), which removes the per-kernel host cost (about 350 dispatches for PP-OCRv4
 * det) that dominates a plain WebGPU `run()`. One engine serves one input shape: a captured graph
 * is only valid for the shapes and device buffers it was recorded with.
 *
 * Each run is three bound runs on one WebGPU device, in queue order:
 *   prologue (host input → X, uploads and normalises)  →  core (replayed: X → Y)  →  readback (Y → host)
 */
import * as ort from 'onnxruntime-node';
import { OptionError, ProviderError, oneOf, withDefaults } from '../../core';
import { INPUT_BYTES_PER_PIXEL, OUTPUT_BYTES_PER_PIXEL, type InputFormat, type OutputFormat } from '../io';
import { ORT, OrtCApi } from './capi';
import { splitForCapture } from './split';
import { DawnUpload, type DirectWriter } from './dawn';
import { seededRandom } from '../../stats/bootstrap';

export interface CapturedEngineOptions {
  /** Input shape [N, H, W] of the image batch; the engine only runs this shape. */
  shape: [number, number, number];
  /** Host input format (see engine/io). @default 'packed-nhwc' */
  input: InputFormat;
  /** Host output format (see engine/io). @default 'packed-uint8' */
  output: OutputFormat;
  /** GPU adapter index. @default 0 */
  deviceId: number;
  /** WebGPU tensor layout inside the provider. @default 'NHWC' */
  layout: 'NCHW' | 'NHWC';
  /**
   * Extra WebGPU provider options for all three sessions (onnxruntime's names, string values), e.g.
   * `{ maxNumPendingDispatches: '1024' }`. They share one WebGPU device, so they get the same. @default {}
   */
  providerOptions: Record<string, string>;
  /** Capture the core graph (false runs the same three graphs without capture, for comparison). @default true */
  capture: boolean;
  /**
   * Where the three graphs run. `cpu` exercises the same bound-run path without a GPU (tests, and a
   * reference for the plumbing); it cannot capture. @default 'webgpu'
   */
  provider: 'webgpu' | 'cpu';
  /**
   * How the host input reaches the GPU each run. `onnxruntime`: bound as a host tensor, copied by
   * onnxruntime through a new staging buffer per run. `queue`: written straight into the device input
   * buffer with Dawn's `queue.writeBuffer` (engine/capture/dawn.ts), on any onnxruntime build; an error
   * where its checks fail. `auto`: `queue` on the builds it was verified on (dawn.ts VERIFIED_BUILDS)
   * when its checks pass, else `onnxruntime`; `uploadPath` says which and why. Either way the first
   * run's output bytes are compared with onnxruntime's upload before the path is kept. @default 'auto'
   */
  upload: 'auto' | 'onnxruntime' | 'queue';
}

export const DEFAULT_CAPTURED_ENGINE_OPTIONS: CapturedEngineOptions = {
  shape: [1, 736, 1280],
  input: 'packed-nhwc',
  output: 'packed-uint8',
  deviceId: 0,
  layout: 'NHWC',
  providerOptions: {},
  capture: true,
  provider: 'webgpu',
  upload: 'auto',
};

/** Element type and dims of the host tensors of each format (bytes per pixel: engine/io). */
const HOST_INPUT: Record<InputFormat, { type: 'float32' | 'uint8' | 'uint32'; dims: (n: number, h: number, w: number) => number[] }> = {
  float32: { type: 'float32', dims: (n, h, w) => [n, 3, h, w] },
  'uint8-nhwc': { type: 'uint8', dims: (n, h, w) => [n, h, w, 3] },
  'uint8-nchw': { type: 'uint8', dims: (n, h, w) => [n, 3, h, w] },
  'packed-nhwc': { type: 'uint32', dims: (n, h, w) => [n, h, (w * 3) / 4] },
};
const HOST_OUTPUT: Record<OutputFormat, { type: 'float32' | 'float16' | 'uint8' | 'uint32'; dims: (n: number, h: number, w: number) => number[] }> = {
  float32: { type: 'float32', dims: (n, h, w) => [n, 1, h, w] },
  float16: { type: 'float16', dims: (n, h, w) => [n, 1, h, w] },
  uint8: { type: 'uint8', dims: (n, h, w) => [n, 1, h, w] },
  'packed-uint8': { type: 'uint32', dims: (n, h, w) => [n, 1, h, w / 4] },
};
const ARRAY = { float32: Float32Array, float16: Uint16Array, uint8: Uint8Array, uint32: Uint32Array } as const;

type Ptr = unknown;
interface Handles { sessions: Ptr[]; bindings: Ptr[]; values: Ptr[]; infos: Ptr[]; allocators: Ptr[] }

/** An open captured engine. Write the input into `input`, call `run()`, read `output`. */
export class CapturedEngine {
  /** Host input bytes in the engine's input format; valid until `dispose()`. */
  readonly input: Uint8Array;
  /** Host output bytes in the engine's output format, overwritten by each `run()`. */
  readonly output: Uint8Array;
  private disposed = false;

  private constructor(
    private readonly api: OrtCApi,
    readonly options: CapturedEngineOptions,
    private readonly handles: Handles,
    // Host buffers allocated by koffi: stable addresses that onnxruntime reads and writes on every run.
    private readonly memory: { input: Ptr; inputBytes: number; output: Ptr; outputBytes: number },
    /** The prologue's host input, bound again before each run. */
    private readonly hostInput: { name: string; value: Ptr },
    /** With the direct upload path: writes `memory.input` into `direct.value`, the prologue's device input. */
    private direct: { writer: DirectWriter; value: Ptr } | undefined,
    private path: { path: 'onnxruntime' | 'queue'; reason: string },
  ) {
    this.input = new Uint8Array(api.koffi.view(memory.input, memory.inputBytes));
    this.output = new Uint8Array(api.koffi.view(memory.output, memory.outputBytes));
  }

  /** Which upload path runs, and why not the direct one when it does not. */
  get uploadPath(): { path: 'onnxruntime' | 'queue'; reason: string } {
    return { ...this.path };
  }

  /** Element type of the host input tensor (for building one to `feed`). */
  get inputType(): 'float32' | 'uint8' | 'uint32' {
    return HOST_INPUT[this.options.input].type;
  }

  /** Builds the three graphs from `model`, opens them on WebGPU and records the core graph. */
  static create(model: string | Uint8Array, options: Partial<CapturedEngineOptions> = {}): CapturedEngine {
    const o = withDefaults('captured engine options', DEFAULT_CAPTURED_ENGINE_OPTIONS, options);
    const [n, h, w] = o.shape;
    if (![n, h, w].every((d) => Number.isInteger(d) && d > 0)) {
      throw new OptionError(`Expected a positive integer shape [N, H, W] but received ${JSON.stringify(o.shape)}`, { subject: 'shape' });
    }
    if (w % 4 !== 0 && (o.input === 'packed-nhwc' || o.output === 'packed-uint8')) {
      throw new OptionError(`Packed formats need a width divisible by 4, but the shape is ${n}x${h}x${w}`, { subject: 'shape', fix: 'pad the width to a multiple of 4 (detector sizes are multiples of 32)' });
    }
    oneOf('provider', o.provider, ['webgpu', 'cpu']);
    oneOf('upload', o.upload, ['auto', 'onnxruntime', 'queue']);
    if (o.upload === 'queue' && o.provider !== 'webgpu') {
      throw new OptionError('The queue upload path needs the webgpu provider', { subject: 'upload', fix: "pass upload: 'onnxruntime' (or 'auto') with provider cpu" });
    }
    if (o.provider === 'cpu' && o.capture) {
      throw new OptionError('Graph capture needs the webgpu provider', { subject: 'capture', fix: 'pass capture: false with provider cpu' });
    }
    const api = OrtCApi.load();
    const graphs = splitForCapture(model, { input: o.input, output: o.output });
    const handles: Handles = { sessions: [], bindings: [], values: [], infos: [], allocators: [] };
    const k = api.koffi;
    let created: CapturedEngine | undefined;
    try {
      const env = api.env();
      const open = (bytes: Uint8Array, capture: boolean): Ptr => {
        const so = api.create('CreateSessionOptions');
        try {
          api.check('SetSessionGraphOptimizationLevel', so, ORT.graphOptimization.all);
          if (o.provider === 'webgpu') {
            const ep: Record<string, string> = { deviceId: String(o.deviceId), preferredLayout: o.layout, validationMode: 'disabled', ...o.providerOptions };
            if (capture) ep.enableGraphCapture = '1';
            api.check('SessionOptionsAppendExecutionProvider', so, 'WebGPU', Object.keys(ep), Object.values(ep), Object.keys(ep).length);
          }
          const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          const session = api.create('CreateSessionFromArray', env, buf, buf.length, so);
          handles.sessions.push(session);
          return session;
        } finally {
          api.release('ReleaseSessionOptions', so);
        }
      };
      const prologue = open(graphs.prologue, false);
      const core = open(graphs.core, o.capture);
      const readback = open(graphs.readback, false);

      const cpu = api.create('CreateCpuMemoryInfo', ORT.allocator.device, ORT.memType.default);
      const gpu = o.provider === 'webgpu' ? api.create('CreateMemoryInfo', 'WebGPU_Buf', ORT.allocator.device, o.deviceId, ORT.memType.default) : null;
      handles.infos.push(cpu, gpu);
      const allocator = api.create('CreateAllocator', core, gpu ?? cpu);
      handles.allocators.push(allocator);

      const hostIn = HOST_INPUT[o.input];
      const hostOut = HOST_OUTPUT[o.output];
      const inputBytes = n * h * w * INPUT_BYTES_PER_PIXEL[o.input];
      const outputBytes = n * h * w * OUTPUT_BYTES_PER_PIXEL[o.output];
      const inputMemory = k.alloc('uint8_t', inputBytes);
      const outputMemory = k.alloc('uint8_t', outputBytes);
      const dims = (d: number[]) => BigInt64Array.from(d.map(BigInt));
      const hostTensor = (mem: Ptr, bytes: number, d: number[], type: string) =>
        api.create('CreateTensorWithDataAsOrtValue', cpu, mem, bytes, dims(d), d.length, ORT.elementType[type]);
      const deviceTensor = (d: number[], type: string) => api.create('CreateTensorAsOrtValue', allocator, dims(d), d.length, ORT.elementType[type]);

      const inTensor = hostTensor(inputMemory, inputBytes, hostIn.dims(n, h, w), hostIn.type);
      const outTensor = hostTensor(outputMemory, outputBytes, hostOut.dims(n, h, w), hostOut.type);
      const x = deviceTensor([n, 3, h, w], 'float32');
      const y = deviceTensor(hostOut.dims(n, h, w), hostOut.type);
      handles.values.push(inTensor, outTensor, x, y);

      const bind = (session: Ptr, inputs: [string, Ptr][], outputs: [string, Ptr][]) => {
        const b = api.create('CreateIoBinding', session);
        handles.bindings.push(b);
        for (const [name, v] of inputs) api.check('BindInput', b, name, v);
        for (const [name, v] of outputs) api.check('BindOutput', b, name, v);
        return b;
      };
      const { input, x: xName, y: yName, output } = graphs.names;
      // The direct path binds a device input once and writes into its buffer each run.
      let direct: { writer: DirectWriter; value: Ptr } | undefined;
      let uploadPath: { path: 'onnxruntime' | 'queue'; reason: string } = { path: 'onnxruntime', reason: o.upload === 'onnxruntime' ? 'requested' : 'the cpu provider has no device buffers' };
      if (o.upload !== 'onnxruntime' && o.provider === 'webgpu') {
        let xin: Ptr = null;
        try {
          xin = deviceTensor(hostIn.dims(n, h, w), hostIn.type);
          const buffer = BigInt(api.create('GetTensorMutableData', xin) as bigint | number);
          direct = { writer: DawnUpload.find(k, api.libraryPath, o.upload === 'auto').writer(buffer, inputBytes), value: xin };
          handles.values.push(xin);
          uploadPath = { path: 'queue', reason: '' };
        } catch (err) {
          api.release('ReleaseValue', xin);
          if (o.upload === 'queue') throw err;
          uploadPath = { path: 'onnxruntime', reason: err instanceof Error ? err.message.split('\n')[0] : String(err) };
        }
      }
      bind(prologue, [[input, direct ? direct.value : inTensor]], [[xName, x]]);
      bind(core, [[xName, x]], [[yName, y]]);
      bind(readback, [[yName, y]], [[output, outTensor]]);
      const engine = new CapturedEngine(api, o, handles, { input: inputMemory, inputBytes, output: outputMemory, outputBytes }, { name: input, value: inTensor }, direct, uploadPath);
      created = engine;
      // The first core run allocates and records; onnxruntime runs it twice inside this call.
      engine.run();
      if (direct) engine.checkDirectUpload(o.upload === 'queue');
      return engine;
    } catch (err) {
      created?.releaseDirect();
      CapturedEngine.releaseAll(api, handles);
      const text = err instanceof Error ? err.message : String(err);
      const adapter = /Failed to get a WebGPU adapter:\s*([^\n]+)/.exec(text)?.[1];
      const reason = adapter ? `no WebGPU adapter (${adapter.trim()}; needs an NVIDIA/AMD/Intel GPU with Vulkan drivers)` : text.split('\n')[0];
      throw new ProviderError(`Cannot create a captured ${o.provider} engine: ${reason}`, {
        subject: o.provider, fix: adapter ? 'run it on a GPU machine, or use the cpu or webgpu provider' : undefined, cause: err,
      });
    }
  }

  /** Copies a host tensor in the engine's input format (e.g. from engine/io `imageFeed`) into `input`. */
  feed(tensor: ort.Tensor): void {
    const d = tensor.data as Uint8Array | Uint32Array | Float32Array;
    if (d.byteLength !== this.input.byteLength) {
      throw new ProviderError(`Expected ${this.input.byteLength} input bytes (${this.options.input} at ${this.options.shape.join('x')}) but the tensor has ${d.byteLength} (dims [${tensor.dims.join(', ')}])`, {
        subject: 'input', fix: 'use one engine per input shape',
      });
    }
    this.input.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }

  /** A copy of `output` as a tensor of the output format, for engine/io `readProbability`. */
  outputTensor(): ort.Tensor {
    const { type, dims } = HOST_OUTPUT[this.options.output];
    const o = this.output;
    return new ort.Tensor(type, new ARRAY[type](o.buffer.slice(o.byteOffset, o.byteOffset + o.byteLength)), dims(...this.options.shape));
  }

  /** Runs prologue, core (replayed) and readback; `output` then holds the result. Synchronous. */
  run(): void {
    this.runTimed(false);
  }

  /**
   * `run()` with the host time of each of its three calls. The GPU works asynchronously, so `core`
   * is the time to submit the replay and `readback` includes waiting for the GPU to finish it.
   */
  runTimed(time = true): { upload_ms: number; prologue_ms: number; core_ms: number; readback_ms: number } {
    if (this.disposed) throw new ProviderError('This captured engine has been disposed', { subject: 'engine', fix: 'create a new one' });
    const [prologue, core, readback] = this.handles.sessions;
    const [bPrologue, bCore, bReadback] = this.handles.bindings;
    const t0 = time ? performance.now() : 0;
    if (this.direct) {
      this.direct.writer.write(this.memory.input);
    } else {
      // Binding a host tensor to a device input copies it at bind time, so bind again for each run.
      this.api.check('BindInput', bPrologue, this.hostInput.name, this.hostInput.value);
    }
    const tb = time ? performance.now() : 0;
    this.api.check('RunWithBinding', prologue, null, bPrologue);
    const t1 = time ? performance.now() : 0;
    this.api.check('RunWithBinding', core, null, bCore);
    const t2 = time ? performance.now() : 0;
    this.api.check('RunWithBinding', readback, null, bReadback);
    const t3 = time ? performance.now() : 0;
    return { upload_ms: tb - t0, prologue_ms: t1 - tb, core_ms: t2 - t1, readback_ms: t3 - t2 };
  }

  /**
   * Runs one fixed-seed input through the direct upload and through onnxruntime's, and keeps the
   * direct path only if the output bytes agree (else falls back, or throws when it was asked for).
   */
  private checkDirectUpload(required: boolean): void {
    const [bPrologue] = this.handles.bindings;
    const saved = Uint8Array.from(this.input);
    const next = seededRandom(7);
    for (let i = 0; i < this.input.length; i++) this.input[i] = Math.floor(next() * 256);
    let why = '';
    try {
      this.run();
      const direct = Uint8Array.from(this.output);
      // The same run through onnxruntime's upload: without the direct path, run() binds the host input.
      const kept = this.direct;
      this.direct = undefined;
      try {
        this.run();
      } finally {
        this.direct = kept;
      }
      if (!Buffer.from(direct).equals(Buffer.from(this.output))) why = 'its output differed from onnxruntime\'s upload on a test input';
    } catch (err) {
      why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    }
    this.input.set(saved);
    if (!why) {
      this.api.check('BindInput', bPrologue, this.hostInput.name, this.direct!.value);
      return;
    }
    this.releaseDirect();
    if (required) throw new ProviderError(`The direct upload path failed its check: ${why}`, { subject: 'upload', fix: "use upload: 'onnxruntime' or 'auto'" });
    this.path = { path: 'onnxruntime', reason: `direct upload failed its check: ${why}` };
  }

  /** Drops the direct path (its queue reference); runs then bind the host input again. */
  private releaseDirect(): void {
    this.direct?.writer.release();
    this.direct = undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.releaseDirect();
    CapturedEngine.releaseAll(this.api, this.handles);
    this.api.koffi.free(this.memory.input);
    this.api.koffi.free(this.memory.output);
  }

  private static releaseAll(api: OrtCApi, h: Handles): void {
    // Bindings and values before the allocator and sessions that own their device memory.
    for (const b of h.bindings.splice(0)) api.release('ReleaseIoBinding', b);
    for (const v of h.values.splice(0)) api.release('ReleaseValue', v);
    for (const a of h.allocators.splice(0)) api.release('ReleaseAllocator', a);
    for (const s of h.sessions.splice(0)) api.release('ReleaseSession', s);
    for (const i of h.infos.splice(0)) api.release('ReleaseMemoryInfo', i);
  }
}
