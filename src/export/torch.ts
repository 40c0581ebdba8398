/**
 * PyTorch -> ONNX export through the bundled Python script, and PyTorch eager timing for the
 * baseline beside the ORT engines.
 *
 *   exportTorch ─► python detbench_torch.py export ─► FILE.onnx (+ parity cases: inputs, PyTorch outputs)
 *                                                        └─► checkParity (onnxruntime-node) in parity.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { OptionError, cacheRoot, integerIn, knownKeys, oneOf, withDefaults } from '../core';
import { runTorchScript } from './python-env';

export interface ExportOptions {
  /** 'panpp' (the bundled PAN++) or MODULE:FUNCTION returning (nn.Module, example_input[, meta]). Required. */
  model: string;
  /** Output .onnx path. Required. */
  out: string;
  /** Checkpoint to load (state_dict or {state_dict}); default none: seeded initialization. */
  checkpoint?: string;
  /** ONNX opset. Default 17; at least 11 (Resize with PyTorch's coordinate modes). */
  opset?: number;
  /** Seed for initialization and parity inputs. Default 0. */
  seed?: number;
  /** Shapes at which PyTorch outputs are saved for checkParity, e.g. [[1,3,224,320]]. Default none. */
  parityShapes?: number[][];
  /** Where parity cases go. Default `<out>.parity/` beside the model. */
  parityDir?: string;
}

export const DEFAULT_EXPORT_OPTIONS = { opset: 17, seed: 0 } as const;
export const MIN_OPSET = 11;
/** Highest opset torch 1.13's exporter writes. */
export const MAX_OPSET = 17;

export interface ExportResult {
  out: string;
  opset: number;
  inputNames: string[];
  outputNames: string[];
  /** Output/input name -> axis index -> symbolic name. */
  dynamicAxes: Record<string, Record<string, string>>;
  exportSeconds: number;
  torchVersion: string;
  /** Directory of parity cases (manifest.json), or null when no parityShapes were given. */
  parity: string | null;
}

const EXPORT_KEYS = ['model', 'out', 'checkpoint', 'opset', 'seed', 'parityShapes', 'parityDir'];

function checkModelSpec(model: unknown): string {
  if (typeof model !== 'string' || !(model === 'panpp' || /^[^:]+:[A-Za-z_][A-Za-z0-9_]*$/.test(model))) {
    throw new OptionError(`Expected "panpp" or MODULE:FUNCTION for model but received ${JSON.stringify(model)}`, {
      subject: 'model',
      fix: 'pass --model panpp, or e.g. --model my_models.py:build where build() returns (module, example_input)',
    });
  }
  return model;
}

function shapeArg(shape: number[]): string {
  if (!Array.isArray(shape) || shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new OptionError(`Expected a 4-d shape [N, C, H, W] of positive integers but received ${JSON.stringify(shape)}`, { subject: 'parityShapes' });
  }
  return shape.join('x');
}

export function exportTorch(options: ExportOptions): ExportResult {
  knownKeys('exportTorch options', options, EXPORT_KEYS);
  const model = checkModelSpec(options.model);
  if (typeof options.out !== 'string' || !options.out.endsWith('.onnx')) {
    throw new OptionError(`Expected an output path ending in .onnx for out but received ${JSON.stringify(options.out)}`, { subject: 'out' });
  }
  const opset = integerIn('opset', options.opset ?? DEFAULT_EXPORT_OPTIONS.opset, MIN_OPSET, MAX_OPSET);
  const seed = integerIn('seed', options.seed ?? DEFAULT_EXPORT_OPTIONS.seed, 0, 2 ** 31 - 1);
  if (options.checkpoint && !fs.existsSync(options.checkpoint)) {
    throw new OptionError(`Checkpoint not found: ${options.checkpoint}`, { subject: 'checkpoint', fix: 'check the path, or omit it to initialize from the seed' });
  }
  const out = path.resolve(options.out);
  const args = ['export', '--model', model, '--out', out, '--opset', String(opset), '--seed', String(seed)];
  if (options.checkpoint) args.push('--checkpoint', path.resolve(options.checkpoint));
  if (options.parityShapes && options.parityShapes.length) {
    args.push('--parity-shapes', options.parityShapes.map(shapeArg).join(','));
    args.push('--parity-dir', path.resolve(options.parityDir ?? `${out}.parity`));
  }
  return runTorchScript(args) as unknown as ExportResult;
}

export interface EagerTimingOptions {
  /** 'panpp' or MODULE:FUNCTION. Default 'panpp'. */
  model?: string;
  /** Input shape. Default [1, 3, 736, 1280]. */
  shape?: number[];
  /** Timed runs after warm-up. Default 10. */
  runs?: number;
  /** Untimed warm-up runs. Default 2. */
  warmup?: number;
  /** torch.set_num_threads; 0 keeps PyTorch's default. Default 0. */
  threads?: number;
  /** 'cpu' or 'cuda'. Default 'cpu'. */
  device?: 'cpu' | 'cuda';
  /** Default 0. */
  seed?: number;
}

export const DEFAULT_EAGER_TIMING: Required<EagerTimingOptions> = {
  model: 'panpp', shape: [1, 3, 736, 1280], runs: 10, warmup: 2, threads: 0, device: 'cpu', seed: 0,
};

export interface EagerTiming {
  engine: string;
  shape: number[];
  runs: number;
  meanMs: number;
  p50Ms: number;
  minMs: number;
  threads: number;
  torchVersion: string;
}

/** PyTorch eager latency (no_grad, eval mode) measured in the Python process. */
export function torchEagerLatency(options?: EagerTimingOptions): EagerTiming {
  const o = withDefaults('torchEagerLatency options', DEFAULT_EAGER_TIMING, options);
  const args = ['time', '--model', checkModelSpec(o.model), '--shape', shapeArg(o.shape), '--runs', String(integerIn('runs', o.runs, 1)),
    '--warmup', String(integerIn('warmup', o.warmup, 0)), '--threads', String(integerIn('threads', o.threads, 0)),
    '--device', oneOf('device', o.device, ['cpu', 'cuda'] as const), '--seed', String(o.seed)];
  return runTorchScript(args) as unknown as EagerTiming;
}

/** A fresh temporary directory for exports in tests and benchmarks. */
export function tempExportDir(prefix = 'detbench-export-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The bundled PAN++ (seeded weights) as ONNX, exported once into the cache
 * (`<cacheRoot>/export/panpp-opset<N>-seed<S>.onnx`) and reused; the path a registry entry can return.
 */
export function ensurePanppModel(options: { opset?: number; seed?: number } = {}): string {
  knownKeys('ensurePanppModel options', options, ['opset', 'seed']);
  const opset = options.opset ?? DEFAULT_EXPORT_OPTIONS.opset;
  const seed = options.seed ?? DEFAULT_EXPORT_OPTIONS.seed;
  const file = path.join(cacheRoot(), 'export', `panpp-opset${opset}-seed${seed}.onnx`);
  if (fs.existsSync(file)) return file;
  // Export beside the target and rename, so a killed export never leaves a file that looks done.
  const tmp = `${file}.tmp-${process.pid}.onnx`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    exportTorch({ model: 'panpp', out: tmp, opset, seed });
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return file;
}
