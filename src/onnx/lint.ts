/**
 * Engine-build lint: the export pitfalls that make TensorRT/WebGPU engine builds fail or fall back,
 * found in the ONNX graph before any build. Each warning names the node and the fix.
 *
 *   resize-runtime-size     Resize/Upsample scales or sizes computed at run time (Shape -> Gather -> Concat)
 *   upsample-deprecated     Upsample node (deprecated since opset 10)
 *   resize-old-opset        Resize under opset < 11 (asymmetric coordinates only)
 *   output-not-produced     graph output that no node writes
 *   output-unused           graph output the post-processor does not read (only with `usedOutputs`)
 *   dead-node               node whose outputs nobody reads
 *   static-dim              static batch/height/width where a dynamic one is expected
 *   webgpu-unsupported      operator without a WebGPU kernel (runs on CPU)
 *   int64-shape-arithmetic  int64 arithmetic on Shape-derived values feeding the compute path
 */
import { knownKeys, withDefaults } from '../core';
import { loadOnnx, defaultOpset, onnx } from './model';
import { type GraphIndex, indexGraph, nodeLabel, valueInfoDims } from './graph';
import { WEBGPU_OPS, OPTIMIZED_AWAY_OPS, WEBGPU_REPLACEMENTS } from './webgpu-ops';

export const LINT_RULES = [
  'resize-runtime-size', 'upsample-deprecated', 'resize-old-opset', 'output-not-produced', 'output-unused',
  'dead-node', 'static-dim', 'webgpu-unsupported', 'int64-shape-arithmetic',
] as const;
export type LintRule = (typeof LINT_RULES)[number];

export interface LintWarning {
  rule: LintRule;
  /** The node (or graph input/output) the warning is about. */
  node: string;
  message: string;
  fix: string;
}

export interface LintOptions {
  /** Axes of 4-D graph inputs/outputs that must be dynamic. Default [0, 2, 3] (batch, height, width). */
  dynamicAxes?: number[];
  /** Check operators against the WebGPU provider's kernels. Default true. */
  webgpu?: boolean;
  /** Graph outputs the post-processor reads; any other output is flagged. Default undefined (all used). */
  usedOutputs?: string[];
  /** Rules to skip. Default []. */
  ignore?: LintRule[];
}

export const DEFAULT_LINT_OPTIONS: Required<Omit<LintOptions, 'usedOutputs'>> & Pick<LintOptions, 'usedOutputs'> = {
  dynamicAxes: [0, 2, 3],
  webgpu: true,
  usedOutputs: undefined,
  ignore: [],
};

/** Ops that only move shape values around; Shape-derived values stay "shape values" through them. */
const SHAPE_PLUMBING = new Set(['Gather', 'Concat', 'Unsqueeze', 'Squeeze', 'Slice', 'Identity', 'Reshape', 'Cast']);
/** Arithmetic that, on Shape-derived int64 values, runs on the CPU and breaks static engine planning. */
const SHAPE_ARITHMETIC = new Set(['Add', 'Sub', 'Mul', 'Div', 'Mod', 'Floor', 'Ceil', 'Max', 'Min', 'Neg', 'Round', 'Sqrt']);

const AXIS_NAMES = ['batch', 'channels', 'height', 'width'];

/** Values computed from Shape nodes, and for each the arithmetic nodes on its way. */
function shapeDerived(index: GraphIndex): Map<string, onnx.INodeProto[]> {
  const derived = new Map<string, onnx.INodeProto[]>();
  for (const n of index.nodes) {
    const op = n.opType ?? '';
    const ins = (n.input ?? []).filter((i) => i && derived.has(i));
    let arith: onnx.INodeProto[] | undefined;
    if (op === 'Shape') arith = [];
    else if (ins.length && (SHAPE_PLUMBING.has(op) || SHAPE_ARITHMETIC.has(op))) {
      // Slice/Gather/Reshape of a data tensor by a shape index is data, not a shape value.
      if (['Slice', 'Gather', 'Reshape'].includes(op) && !derived.has(n.input?.[0] ?? '')) continue;
      arith = ins.flatMap((i) => derived.get(i)!);
      if (SHAPE_ARITHMETIC.has(op)) arith = [...arith, n];
    }
    if (arith) for (const o of n.output ?? []) derived.set(o, [...new Set(arith)]);
  }
  return derived;
}

/** "Shape -> Gather -> Concat": the op types on the way back from a value to its Shape nodes. */
function chainText(index: GraphIndex, value: string, derived: Map<string, unknown>): string {
  const ops: string[] = [];
  let cur: string | undefined = value;
  for (let depth = 0; cur && depth < 8; depth++) {
    const p = index.producer.get(cur);
    if (!p) break;
    ops.unshift(p.opType ?? '?');
    cur = (p.input ?? []).find((i) => i && (derived.has(i) || index.producer.get(i)?.opType === 'Shape'));
  }
  return ops.join(' -> ');
}

export function lintModel(source: string | Uint8Array | onnx.IModelProto, options?: LintOptions): LintWarning[] {
  knownKeys('lintModel options', options, Object.keys(DEFAULT_LINT_OPTIONS));
  const opts = withDefaults('lintModel options', DEFAULT_LINT_OPTIONS, options);
  const model = typeof source === 'string' || source instanceof Uint8Array ? loadOnnx(source) : source;
  const index = indexGraph(model);
  const opset = defaultOpset(model);
  const out: LintWarning[] = [];
  const warn = (w: LintWarning) => {
    if (!opts.ignore.includes(w.rule)) out.push(w);
  };
  const derived = shapeDerived(index);

  // Resize / Upsample
  for (const n of index.nodes) {
    const op = n.opType;
    if (op !== 'Resize' && op !== 'Upsample') continue;
    const label = nodeLabel(n);
    if (op === 'Upsample') {
      warn({
        rule: 'upsample-deprecated', node: label,
        message: `${label} is an Upsample node (deprecated since opset 10; model opset ${opset}); TensorRT and WebGPU have no kernel for it`,
        fix: 'export with opset_version >= 11 (detbench export --opset 17) so interpolate becomes Resize',
      });
    } else if (opset < 11) {
      warn({
        rule: 'resize-old-opset', node: label,
        message: `${label} is a Resize under opset ${opset}: before opset 11 Resize has only asymmetric coordinates, so bilinear results differ from PyTorch (half_pixel)`,
        fix: 'export with opset_version >= 11 (detbench export --opset 17)',
      });
    }
    const sizeInputs = op === 'Upsample' ? [1] : opset >= 11 ? [2, 3] : [1];
    for (const k of sizeInputs) {
      const v = n.input?.[k];
      if (!v || index.constants.has(v)) continue;
      const what = op === 'Resize' && k === 3 ? 'sizes' : 'scales';
      const chain = derived.has(v) ? chainText(index, v, derived) : (index.producer.get(v)?.opType ?? 'a graph input');
      warn({
        rule: 'resize-runtime-size', node: label,
        message: `${label} takes its ${what} from a value computed at run time (${chain})`,
        fix: 'in PyTorch call F.interpolate(x, scale_factor=2.0, recompute_scale_factor=False) instead of size=y.shape[2:] and keep inputs a multiple of 32; or fold the chain for one fixed shape (onnxsim --overwrite-input-shape)',
      });
    }
  }

  // Graph outputs
  const graphInputs = new Set((index.graph.input ?? []).map((v) => v.name ?? ''));
  for (const o of index.graph.output ?? []) {
    const name = o.name ?? '';
    if (!index.producer.has(name) && !index.constants.has(name) && !graphInputs.has(name)) {
      warn({
        rule: 'output-not-produced', node: name,
        message: `graph output ${name} is not produced by any node`,
        fix: 'remove it from output_names, or return the tensor from forward() in the order output_names lists',
      });
    }
    if (opts.usedOutputs && !opts.usedOutputs.includes(name)) {
      warn({
        rule: 'output-unused', node: name,
        message: `graph output ${name} is computed and copied out but the post-processor reads only ${opts.usedOutputs.join(', ')}`,
        fix: 'drop it from the tensor-only wrapper\'s return value so the engine neither computes nor copies it',
      });
    }
  }
  for (const n of index.nodes) {
    const outs = (n.output ?? []).filter(Boolean);
    if (outs.length === 0 || n.opType === 'Constant') continue;
    // Only the first output matters for multi-output ops like Dropout(mask) or MaxPool(indices).
    const main = outs[0];
    if (!index.consumers.has(main) && !index.outputNames.has(main)) {
      warn({
        rule: 'dead-node', node: nodeLabel(n),
        message: `${nodeLabel(n)} (${n.opType}) computes ${main} but nothing reads it`,
        fix: 'remove the unused branch from forward(), or run onnxsim / ORT graph optimization to prune it',
      });
    }
  }

  // Static dims where dynamic ones are expected
  const checkDims = (v: onnx.IValueInfoProto, kind: string) => {
    const dims = valueInfoDims(v);
    if (!dims || dims.length !== 4) return;
    const fixed = opts.dynamicAxes.filter((a) => typeof dims[a] === 'number');
    if (fixed.length === 0) return;
    warn({
      rule: 'static-dim', node: v.name ?? '',
      message: `${kind} ${v.name} has static ${fixed.map((a) => `${AXIS_NAMES[a] ?? `axis ${a}`}=${dims[a]}`).join(', ')} ([${dims.join(', ')}]); an engine built from it accepts only that size`,
      fix: `export with dynamic_axes={'${v.name}': {0: 'batch', 2: 'height', 3: 'width'}} (detbench export does this)`,
    });
  };
  for (const v of index.graph.input ?? []) if (index.inputNames.has(v.name ?? '')) checkDims(v, 'input');
  for (const v of index.graph.output ?? []) checkDims(v, 'output');

  // WebGPU kernels: one warning per operator type, naming the first node.
  if (opts.webgpu) {
    const byOp = new Map<string, onnx.INodeProto[]>();
    for (const n of index.nodes) {
      const op = n.opType ?? '';
      const domain = n.domain && n.domain !== 'ai.onnx' ? n.domain : '';
      if (!domain && (WEBGPU_OPS.has(op) || OPTIMIZED_AWAY_OPS.has(op))) continue;
      const key = domain ? `${domain}.${op}` : op;
      byOp.set(key, [...(byOp.get(key) ?? []), n]);
    }
    for (const [op, nodes] of byOp) {
      const more = nodes.length > 1 ? ` (and ${nodes.length - 1} more)` : '';
      warn({
        rule: 'webgpu-unsupported', node: nodeLabel(nodes[0]),
        message: `${nodeLabel(nodes[0])}${more}: operator ${op} has no WebGPU kernel, so it runs on the CPU provider with a GPU<->CPU copy per run`,
        fix: WEBGPU_REPLACEMENTS[op] ?? 'replace it with supported operators in the model code, or accept the CPU fallback',
      });
    }
  }

  // int64 shape arithmetic feeding the compute path
  for (const n of index.nodes) {
    const op = n.opType ?? '';
    // A sink consumes shape values but yields data: the point where the int64 chain meets the hot path.
    if (op === 'Shape' || (n.output ?? []).some((o) => derived.has(o))) continue;
    const arith = new Set<onnx.INodeProto>();
    for (const i of n.input ?? []) for (const a of derived.get(i) ?? []) arith.add(a);
    if (arith.size === 0) continue;
    const names = [...arith].map(nodeLabel);
    warn({
      rule: 'int64-shape-arithmetic', node: nodeLabel(n),
      message: `${nodeLabel(n)} (${op}) depends on int64 arithmetic over Shape values (${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}); it runs on the CPU every inference and blocks static engine planning`,
      fix: 'compute sizes in Python from constants (scale factors, fixed channel counts) so they trace as constants, or fold them for a fixed input shape (onnxsim --overwrite-input-shape)',
    });
  }
  return out;
}

/** One line per warning, for the CLI. */
export function formatLint(warnings: LintWarning[]): string {
  if (warnings.length === 0) return 'lint: no warnings';
  return warnings.map((w) => `warning [${w.rule}] ${w.message}\n  fix: ${w.fix}`).join('\n');
}
