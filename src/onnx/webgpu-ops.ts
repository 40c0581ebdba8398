/**
 * ai.onnx operators that have a kernel in onnxruntime's native WebGPU execution provider
 * (`onnxruntime/core/providers/webgpu/webgpu_execution_provider.cc`, kernel registry read for ORT
 * 1.2x). A node outside this set runs on the CPU provider instead: the session still works, but each
 * such node costs a GPU->CPU->GPU round trip per run.
 */
export const WEBGPU_OPS: ReadonlySet<string> = new Set([
  // element-wise unary
  'Abs', 'Neg', 'Floor', 'Ceil', 'Reciprocal', 'Sqrt', 'Exp', 'Erf', 'Sigmoid', 'HardSigmoid', 'Log', 'Sin', 'Cos',
  'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'Tanh', 'Not', 'Cast',
  // activations
  'Clip', 'Elu', 'Relu', 'LeakyRelu', 'ThresholdedRelu', 'Gelu',
  // reductions
  'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceProd', 'ReduceSum', 'ReduceL1', 'ReduceL2', 'ReduceLogSum',
  'ReduceSumSquare', 'ReduceLogSumExp', 'ArgMax', 'ArgMin',
  // binary
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual', 'Where',
  // shape and data movement
  'Shape', 'Reshape', 'Squeeze', 'Unsqueeze', 'Transpose', 'DepthToSpace', 'Concat', 'Split', 'Expand', 'Gather',
  'GatherElements', 'Slice', 'Flatten', 'Tile', 'Pad', 'Range', 'If', 'CumSum',
  // compute
  'Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'Gemm', 'MatMul', 'Softmax',
  'Resize', 'LayerNormalization', 'InstanceNormalization', 'BatchNormalization', 'Einsum', 'DequantizeLinear',
]);

/** Operators ORT's graph optimizer removes or folds before any provider sees them. */
export const OPTIMIZED_AWAY_OPS: ReadonlySet<string> = new Set(['Constant', 'Identity', 'Dropout']);

/** Suggested replacements for unsupported operators that detection exports commonly contain. */
export const WEBGPU_REPLACEMENTS: Record<string, string> = {
  Upsample: 're-export with opset >= 11 so it becomes Resize',
  HardSwish: 'express it as x * HardSigmoid(x) (alpha 1/6, beta 0.5), as paddle2onnx does',
  PRelu: 'use LeakyRelu with a fixed slope, or accept the CPU fallback',
  ConstantOfShape: 'fix the input shape so the exporter folds it, or accept the CPU fallback',
  NonZero: 'move the step after the model (post-processing) where it belongs',
  TopK: 'move the step after the model (post-processing)',
  ScatterND: 'rewrite the update with Concat/Slice, or accept the CPU fallback',
};
