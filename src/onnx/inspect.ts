/**
 * `inspectModel`: what a model takes and gives (names, dtypes, symbolic dims), which opsets it
 * imports, its operator histogram, parameter count and size, and a FLOPs estimate at a given shape.
 */
import * as path from 'node:path';
import { OptionError, ShapeError, knownKeys } from '../core';
import { loadOnnx, onnx } from './model';
import {
  type GraphIndex, indexGraph, toNumber, type LongLike, tensorDims, elementCount, valueInfoDims, valueInfoDtype,
  DTYPE_BYTES, WEIGHT_DTYPES,
} from './graph';
import { propagateShapes } from './shapes';
import { estimateFlops, type FlopsEstimate } from './flops';

export interface TensorSummary {
  name: string;
  dtype: string;
  /** Numbers for static dims, names for symbolic ones, '?' when unnamed. */
  dims: (number | string)[];
}

export interface ModelInspection {
  /** The file inspected, or '<model bytes>'. */
  source: string;
  irVersion: number;
  producer: string;
  opsets: { domain: string; version: number }[];
  inputs: TensorSummary[];
  outputs: TensorSummary[];
  nodeCount: number;
  /** Operator type -> node count, most frequent first. */
  operators: Record<string, number>;
  /** Learned weights: float/int8 tensors in initializers and Constant nodes (int64 shape data excluded). */
  parameters: { count: number; bytes: number; tensors: number };
  /** Present when a shape was given. */
  flops?: FlopsEstimate & {
    inputShapes: Record<string, number[]>;
    outputShapes: Record<string, number[] | null>;
    /** Operators the shape propagator does not model (their FLOPs are missing). */
    unsupportedOps: string[];
  };
}

export interface InspectOptions {
  /**
   * Concrete shape of the (first) input for the FLOPs estimate, e.g. [1, 3, 736, 1280]. Default:
   * none, so no FLOPs are computed.
   */
  shape?: number[];
  /** Shapes by input name, for models with several inputs. Default: none. */
  inputShapes?: Record<string, number[]>;
}

const INSPECT_KEYS = ['shape', 'inputShapes'] as const;

/** Parses "1x3x736x1280" into [1, 3, 736, 1280]. */
export function parseShape(text: string): number[] {
  const dims = text.trim().toLowerCase().split('x').map((d) => Number(d));
  if (dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new OptionError(`Expected a shape like 1x3x736x1280 (positive integers joined by "x") but received ${JSON.stringify(text)}`, {
      subject: 'shape',
      fix: 'write the shape as NxCxHxW, e.g. --shape 1x3x736x1280',
    });
  }
  return dims;
}

function summarize(v: onnx.IValueInfoProto): TensorSummary {
  return { name: v.name ?? '', dtype: valueInfoDtype(v), dims: valueInfoDims(v) ?? [] };
}

function countParameters(index: GraphIndex): ModelInspection['parameters'] {
  let count = 0;
  let bytes = 0;
  let tensors = 0;
  for (const t of index.constants.values()) {
    const type = t.dataType ?? 0;
    if (!WEIGHT_DTYPES.has(type)) continue;
    const n = elementCount(tensorDims(t));
    count += n;
    bytes += n * (DTYPE_BYTES[type] ?? 0);
    tensors++;
  }
  return { count, bytes, tensors };
}

/** Resolves per-input shapes, checking them against the declared static dims. */
function resolveShapes(inputs: TensorSummary[], options: InspectOptions): Record<string, number[]> {
  const shapes: Record<string, number[]> = { ...(options.inputShapes ?? {}) };
  if (options.shape) {
    if (inputs.length === 0) throw new ShapeError('The model has no inputs to apply --shape to');
    shapes[inputs[0].name] = options.shape;
  }
  for (const [name, s] of Object.entries(shapes)) {
    const decl = inputs.find((i) => i.name === name);
    if (!decl) {
      throw new OptionError(`No input named ${JSON.stringify(name)}; inputs: ${inputs.map((i) => i.name).join(', ')}`, { subject: name });
    }
    if (decl.dims.length !== s.length || decl.dims.some((d, i) => typeof d === 'number' && d !== s[i])) {
      throw new ShapeError(`Shape ${s.join('x')} does not fit input ${name} declared as [${decl.dims.join(', ')}]`, {
        subject: name,
        fix: `give ${decl.dims.length} dims and keep the static ones (${decl.dims.map((d) => (typeof d === 'number' ? d : 'N')).join('x')})`,
      });
    }
  }
  return shapes;
}

export function inspectModel(source: string | Uint8Array | onnx.IModelProto, options: InspectOptions = {}): ModelInspection {
  knownKeys('inspectModel options', options, INSPECT_KEYS);
  const model = source instanceof Uint8Array || typeof source === 'string' ? loadOnnx(source) : source;
  const index = indexGraph(model);
  const inputs = (index.graph.input ?? []).filter((v) => index.inputNames.has(v.name ?? '')).map(summarize);
  const outputs = (index.graph.output ?? []).map(summarize);
  const histogram: Record<string, number> = {};
  for (const n of index.nodes) {
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : (n.opType ?? '?');
    histogram[key] = (histogram[key] ?? 0) + 1;
  }
  const result: ModelInspection = {
    source: typeof source === 'string' ? path.resolve(source) : '<model bytes>',
    irVersion: toNumber(model.irVersion as LongLike),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    opsets: (model.opsetImport ?? []).map((o) => ({ domain: o.domain || 'ai.onnx', version: toNumber(o.version as LongLike) })),
    inputs,
    outputs,
    nodeCount: index.nodes.length,
    operators: Object.fromEntries(Object.entries(histogram).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    parameters: countParameters(index),
  };
  if (options.shape || options.inputShapes) {
    const inputShapes = resolveShapes(inputs, options);
    const shapes = propagateShapes(index, inputShapes);
    result.flops = {
      ...estimateFlops(index, shapes),
      inputShapes,
      outputShapes: Object.fromEntries(outputs.map((o) => [o.name, shapes.shapes.get(o.name) ?? null])),
      unsupportedOps: shapes.unsupported,
    };
  }
  return result;
}

function human(n: number, unit: string): string {
  const steps: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, p] of steps) if (n >= v) return `${(n / v).toFixed(2)} ${p}${unit}`;
  return `${n} ${unit}`;
}

/** Human-readable report for the CLI (stdout). */
export function formatInspection(r: ModelInspection): string {
  const dims = (t: TensorSummary) => `${t.name}  ${t.dtype}[${t.dims.join(', ')}]`;
  const lines = [
    `model      ${r.source}`,
    `producer   ${r.producer || '(unknown)'}   IR ${r.irVersion}`,
    `opsets     ${r.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}`,
    `inputs     ${r.inputs.map(dims).join('\n           ')}`,
    `outputs    ${r.outputs.map(dims).join('\n           ')}`,
    `parameters ${r.parameters.count.toLocaleString('en-US')} (${human(r.parameters.bytes, 'B')} in ${r.parameters.tensors} tensors)`,
    `nodes      ${r.nodeCount}: ${Object.entries(r.operators).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ];
  if (r.flops) {
    const f = r.flops;
    lines.push(`FLOPs      ${human(f.flops, 'FLOP')} (${human(f.macs, 'MAC')}) at ${Object.entries(f.inputShapes).map(([k, v]) => `${k}=${v.join('x')}`).join(', ')}`);
    lines.push(`           by op: ${Object.entries(f.byOp).slice(0, 6).map(([k, v]) => `${k} ${human(v, 'FLOP')}`).join(', ')}`);
    lines.push(`           outputs: ${Object.entries(f.outputShapes).map(([k, v]) => `${k}=${v ? v.join('x') : '?'}`).join(', ')}`);
    if (f.skippedNodes > 0) lines.push(`           ${f.skippedNodes} nodes skipped (unknown shapes; ops not modelled: ${f.unsupportedOps.join(', ') || 'none'})`);
  }
  return lines.join('\n');
}
