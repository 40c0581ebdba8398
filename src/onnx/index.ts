/**
 * ONNX stage: load/save (model.ts), inspection (inputs, opsets, operators, parameters, FLOPs) and
 * the engine-build lint that catches export pitfalls before an engine build does.
 */
export * from './model';
export { inspectModel, formatInspection, parseShape } from './inspect';
export type { ModelInspection, InspectOptions, TensorSummary } from './inspect';
export type { FlopsEstimate } from './flops';
export { propagateShapes } from './shapes';
export type { ShapeResult } from './shapes';
export { lintModel, formatLint, LINT_RULES, DEFAULT_LINT_OPTIONS } from './lint';
export type { LintWarning, LintOptions, LintRule } from './lint';
export { WEBGPU_OPS } from './webgpu-ops';
