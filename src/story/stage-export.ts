/**
 * Stage 1, export: what the model is (inputs, opsets, operators, parameters, FLOPs) and what would
 * break an engine build (the lint). PP-OCRv4 det already ships as ONNX; a PyTorch model goes through
 * `exportTorch()` first and then through exactly this check.
 */
import * as path from 'node:path';
import { inspectModel, lintModel, type LintWarning, type ModelInspection } from '../onnx';
import { resolveModel, type ModelSpec } from '../models';
import { rankedBarChart, type ReportBlock, type VegaLiteSpec } from '../report';

export interface ModelReport {
  model: ModelSpec;
  inspection: ModelInspection;
  lint: LintWarning[];
  /** One row per fact (name, value), for a two-column table. */
  facts: { fact: string; value: string }[];
  /** Lint warnings as rows (rule, node, message, fix). */
  lintRows: { rule: string; node: string; message: string; fix: string }[];
  operatorChart: VegaLiteSpec;
  flopsChart?: VegaLiteSpec;
}

const dims = (d: (number | string)[]) => `[${d.join(', ')}]`;

/** Inspects and lints a model; `shape` (NCHW) is where FLOPs are counted. */
export function describeModel(model: string | ModelSpec = 'ppocrv4-det', shape: number[] = [1, 3, 736, 1280]): ModelReport {
  const spec = resolveModel(model);
  const file = spec.path();
  const inspection = inspectModel(file, { shape });
  const lint = lintModel(file);
  const facts = [
    { fact: 'model', value: `${spec.name}: ${spec.description}` },
    { fact: 'file', value: path.relative(process.cwd(), file) },
    { fact: 'producer / IR', value: `${inspection.producer || '?'} / IR ${inspection.irVersion}` },
    { fact: 'opsets', value: inspection.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ') },
    ...inspection.inputs.map((t) => ({ fact: `input ${t.name}`, value: `${t.dtype} ${dims(t.dims)}` })),
    ...inspection.outputs.map((t) => ({ fact: `output ${t.name}`, value: `${t.dtype} ${dims(t.dims)}` })),
    { fact: 'nodes', value: String(inspection.nodeCount) },
    { fact: 'parameters', value: `${(inspection.parameters.count / 1e6).toFixed(2)} M (${(inspection.parameters.bytes / 2 ** 20).toFixed(2)} MiB)` },
    { fact: 'preprocessing', value: `${spec.input.channelOrder}, scale ${spec.input.scale.toPrecision(4)}, mean ${spec.input.mean.join('/')}, std ${spec.input.std.join('/')}` },
    { fact: 'resize policy', value: `${spec.resize.limitType} side ${spec.resize.limitSideLen}, multiple of ${spec.resize.multiple}` },
  ];
  if (inspection.flops) facts.push({ fact: `GFLOPs at ${shape.join('x')}`, value: `${(inspection.flops.flops / 1e9).toFixed(2)} (${(inspection.flops.macs / 1e9).toFixed(2)} GMACs)` });
  const gflopsByOp = inspection.flops ? Object.fromEntries(Object.entries(inspection.flops.byOp).map(([k, v]) => [k, v / 1e9])) : undefined;
  return {
    model: spec,
    inspection,
    lint,
    facts,
    lintRows: lint.map((w) => ({ rule: w.rule, node: w.node, message: w.message, fix: w.fix })),
    operatorChart: rankedBarChart(inspection.operators, `Operators in ${spec.name}`, 'nodes (count)'),
    ...(gflopsByOp ? { flopsChart: rankedBarChart(gflopsByOp, `Compute by operator at ${shape.join('x')}`, 'GFLOPs') } : {}),
  };
}

/** The stage's part of the story report. */
export function modelBlocks(r: ModelReport): ReportBlock[] {
  const blocks: ReportBlock[] = [
    { kind: 'table', table: r.facts, caption: 'The model as the engine builder will see it', csv: 'model' },
    { kind: 'chart', spec: r.operatorChart, name: 'operators', caption: 'Operator histogram (top 15)' },
  ];
  if (r.flopsChart) blocks.push({ kind: 'chart', spec: r.flopsChart, name: 'flops', caption: 'Where the compute is' });
  blocks.push(
    r.lint.length
      ? { kind: 'table', table: r.lintRows, caption: `Engine-build lint: ${r.lint.length} warning(s)` }
      : { kind: 'text', text: 'Engine-build lint: **no warnings** (no run-time Resize sizes, no deprecated Upsample, dynamic batch/height/width, every operator has a WebGPU kernel).' },
  );
  return blocks;
}
