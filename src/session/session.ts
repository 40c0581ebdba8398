/**
 * The one module that talks to onnxruntime (as transformers.js keeps `backends/onnx.js`). It creates
 * a session for the requested provider, falls back where allowed, and always says which provider
 * actually runs and why a requested one did not, in one line.
 */
import * as fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { InputError, ModelError, ProviderError, defaultLogger, errorText, integerIn, oneOf, withDefaults, type Logger } from '../core';
import {
  AUTO_ORDER, DEFAULT_SESSION_OPTIONS, GRAPH_OPTIMIZATION_LEVELS, PROVIDERS,
  type ConcreteProvider, type EngineSpec, type SessionOptions, type TensorInfo,
} from './options';
import { missingGpuReason } from './probe';

// onnxruntime logs a provider it cannot load as an ERROR line on stderr before throwing; detbench reports
// that failure itself (one line from describe(), or the thrown ProviderError), so only fatal native
// messages are shown. DETBENCH_ORT_LOG=verbose|info|warning|error brings them back for debugging.
ort.env.logLevel = (process.env.DETBENCH_ORT_LOG as typeof ort.env.logLevel) ?? 'fatal';

/** Why a provider could not be used, in a few words a user can act on. */
function explainFailure(provider: ConcreteProvider, err: unknown): string {
  const text = errorText(err);
  if (/Failed to load shared library|cannot open shared object|libonnxruntime_providers/i.test(text)) {
    return `${provider} binaries are not installed (see README "GPU providers")`;
  }
  if (/adapter|webgpu|dawn|vulkan/i.test(text) && provider === 'webgpu') {
    const why = /Failed to get a WebGPU adapter:\s*([^\n]+)/.exec(text)?.[1] ?? text.split('\n')[0];
    return `no WebGPU adapter (${why.trim()}; needs an NVIDIA/AMD/Intel GPU with Vulkan drivers)`;
  }
  if (/not supported|unsupported|not available|Unknown.*provider|backend not found/i.test(text)) {
    return `${provider} is not built into this onnxruntime-node: ${text.split('\n')[0]}`;
  }
  return text.split('\n')[0];
}

function ortProvider(provider: ConcreteProvider, o: SessionOptions): ort.InferenceSession.ExecutionProviderConfig {
  switch (provider) {
    case 'cpu':
      return 'cpu';
    case 'webgpu':
      return { name: 'webgpu', preferredLayout: o.webgpuLayout } as ort.InferenceSession.ExecutionProviderConfig;
    case 'cuda':
      return { name: 'cuda', deviceId: o.deviceId } as ort.InferenceSession.ExecutionProviderConfig;
    case 'tensorrt':
      return { name: 'tensorrt', deviceId: o.deviceId } as ort.InferenceSession.ExecutionProviderConfig;
  }
}

function tensorInfo(meta: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] {
  return meta.map((m) =>
    m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

/** An open inference session and the facts about it. */
export class DetSession {
  private constructor(
    readonly ort: ort.InferenceSession,
    /** The provider that actually runs. */
    readonly provider: ConcreteProvider,
    /** What was asked for. */
    readonly requested: SessionOptions['provider'],
    /** Why each provider tried before `provider` failed, in order. */
    readonly fallbacks: { provider: ConcreteProvider; reason: string }[],
    readonly options: SessionOptions,
  ) {}

  /** @internal */
  static async open(spec: EngineSpec, logger: Logger = defaultLogger()): Promise<DetSession> {
    const { model, ...rest } = spec;
    const o = withDefaults('session options', DEFAULT_SESSION_OPTIONS, rest);
    oneOf('provider', o.provider, PROVIDERS);
    oneOf('graphOptimizationLevel', o.graphOptimizationLevel, GRAPH_OPTIMIZATION_LEVELS);
    integerIn('threads', o.threads, 0, 1024);
    if (typeof model === 'string') {
      if (!fs.existsSync(model)) throw new InputError(`Model file not found: ${model}`, { subject: model, fix: 'check the path' });
      if (fs.statSync(model).isDirectory()) throw new InputError(`Expected an .onnx file but ${model} is a directory`, { subject: model });
    }
    const order: ConcreteProvider[] = o.provider === 'auto' ? [...AUTO_ORDER] : [o.provider];
    const fallbacks: { provider: ConcreteProvider; reason: string }[] = [];
    // `auto` on a machine without a GPU: skip the GPU providers rather than ask Dawn/Vulkan, which
    // print native warnings on stderr before failing. An explicit provider is always tried.
    const noGpuReason = o.provider === 'auto' ? missingGpuReason('webgpu') : undefined;
    for (const provider of order) {
      const noGpu = provider === 'cpu' ? undefined : noGpuReason;
      if (noGpu) {
        fallbacks.push({ provider, reason: noGpu });
        continue;
      }
      const sessionOptions: ort.InferenceSession.SessionOptions = {
        executionProviders: [ortProvider(provider, o)],
        graphOptimizationLevel: o.graphOptimizationLevel,
        // While probing providers for `auto`, keep onnxruntime's own error lines off the terminal:
        // the fallback is reported once, in one line, by describe().
        ...(o.provider === 'auto' && provider !== 'cpu' ? { logSeverityLevel: 4 as const } : {}),
        ...(o.threads > 0 ? { intraOpNumThreads: o.threads, interOpNumThreads: 1 } : {}),
        ...(o.optimizedModelFilePath ? { optimizedModelFilePath: o.optimizedModelFilePath } : {}),
        ...o.extra,
      };
      try {
        const session = typeof model === 'string'
          ? await ort.InferenceSession.create(model, sessionOptions)
          : await ort.InferenceSession.create(model, sessionOptions);
        const s = new DetSession(session, provider, o.provider, fallbacks, o);
        if (fallbacks.length > 0) logger.warn(s.describe());
        return s;
      } catch (err) {
        const reason = explainFailure(provider, err);
        if (/protobuf parsing failed|Failed to load model|INVALID_PROTOBUF|No graph was found/i.test(errorText(err))) {
          const name = typeof model === 'string' ? model : '<model bytes>';
          throw new ModelError(`${name} is not a valid ONNX model: ${errorText(err).split('\n')[0]}`, {
            subject: name, fix: 'pass an .onnx file (export one with `detbench export`)', cause: err,
          });
        }
        if (o.provider !== 'auto' || provider === 'cpu') {
          throw new ProviderError(`Cannot create a ${provider} session: ${reason}`, {
            subject: provider,
            fix: provider === 'cpu' ? 'check the model file' : `use --ep cpu, or --ep auto to fall back automatically`,
            cause: err,
          });
        }
        fallbacks.push({ provider, reason });
      }
    }
    throw new ProviderError('No execution provider could be created'); // unreachable: cpu is last and throws
  }

  get inputs(): TensorInfo[] {
    return tensorInfo(this.ort.inputMetadata);
  }

  get outputs(): TensorInfo[] {
    return tensorInfo(this.ort.outputMetadata);
  }

  /** One line: which provider runs and why others did not. */
  describe(): string {
    // Providers that failed for the same reason share one clause ("tensorrt, cuda, webgpu unavailable: …"),
    // clauses in the order their first provider was tried.
    const byReason = new Map<string, string[]>();
    for (const f of this.fallbacks) byReason.set(f.reason, [...(byReason.get(f.reason) ?? []), f.provider]);
    const tried = [...byReason].map(([reason, providers]) => `${providers.join(', ')} unavailable: ${reason}`).join('; ');
    const asked = this.requested === this.provider ? '' : ` (requested ${this.requested}${tried ? `; ${tried}` : ''})`;
    return `provider: ${this.provider}${asked}`;
  }

  async run(feeds: Record<string, ort.Tensor>, fetches?: string[]): Promise<Record<string, ort.Tensor>> {
    return fetches ? this.ort.run(feeds, fetches) : this.ort.run(feeds);
  }

  /**
   * Runs `iterations` inferences on a zero tensor of `shape` so that kernel selection, memory arenas and
   * GPU shader compilation are done before anything is timed. Returns each run's milliseconds.
   */
  async warmup(shape: number[], iterations = 2): Promise<number[]> {
    const input = this.inputs[0];
    const size = shape.reduce((a, b) => a * b, 1);
    const tensor = input.type === 'uint8'
      ? new ort.Tensor('uint8', new Uint8Array(size), shape)
      : input.type === 'float16'
        ? new ort.Tensor('float16', new Uint16Array(size), shape)
        : new ort.Tensor('float32', new Float32Array(size), shape);
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      const out = await this.ort.run({ [input.name]: tensor });
      times.push(performance.now() - t0);
      for (const t of Object.values(out)) t.dispose?.();
    }
    return times;
  }

  async dispose(): Promise<void> {
    await this.ort.release();
  }
}

/** Creates a session for `spec`; see {@link SessionOptions} for the options and their defaults. */
export function createSession(spec: EngineSpec, logger?: Logger): Promise<DetSession> {
  return DetSession.open(spec, logger);
}

export { ort };
