/**
 * The public contract of sessions: which execution providers exist, what each option does and its
 * default. The implementation is in `session.ts`.
 */

/** Execution providers detbench knows. `auto` tries GPU providers first and falls back to CPU. */
export const PROVIDERS = ['cpu', 'webgpu', 'cuda', 'tensorrt', 'auto'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
export type ConcreteProvider = Exclude<ProviderName, 'auto'>;

/** The order `auto` tries providers in: the fastest first, CPU always last. */
export const AUTO_ORDER: readonly ConcreteProvider[] = ['tensorrt', 'cuda', 'webgpu', 'cpu'];

export const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
export type GraphOptimizationLevel = (typeof GRAPH_OPTIMIZATION_LEVELS)[number];

export interface SessionOptions {
  /** Execution provider. @default 'cpu' */
  provider: ProviderName;
  /** Intra-op threads for the CPU provider; 0 lets onnxruntime choose (all cores). @default 0 */
  threads: number;
  /** onnxruntime graph optimisation level. @default 'all' */
  graphOptimizationLevel: GraphOptimizationLevel;
  /** GPU device id for cuda / tensorrt / webgpu. @default 0 */
  deviceId: number;
  /** When set, onnxruntime writes the optimised graph here (offline optimisation). @default undefined */
  optimizedModelFilePath: string | undefined;
  /** WebGPU: preferred tensor layout inside the provider. @default 'NCHW' */
  webgpuLayout: 'NCHW' | 'NHWC';
  /** Extra session options passed through to onnxruntime unchanged. @default {} */
  extra: Record<string, unknown>;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  provider: 'cpu',
  threads: 0,
  graphOptimizationLevel: 'all',
  deviceId: 0,
  optimizedModelFilePath: undefined,
  webgpuLayout: 'NCHW',
  extra: {},
};

/** A model (path or bytes) plus how to run it. */
export interface EngineSpec extends Partial<SessionOptions> {
  model: string | Uint8Array;
}

/** Name, element type and shape of a graph input or output; symbolic dims stay strings. */
export interface TensorInfo {
  name: string;
  type: string;
  shape: (number | string)[];
}
