/**
 * Export stage: PyTorch -> ONNX through the bundled Python (PAN++ or any MODULE:FUNCTION), parity
 * of the ONNX model against PyTorch, and PyTorch eager timing for the baseline.
 */
export { exportTorch, torchEagerLatency, tempExportDir, ensurePanppModel, DEFAULT_EXPORT_OPTIONS, DEFAULT_EAGER_TIMING, MIN_OPSET, MAX_OPSET } from './torch';
export type { ExportOptions, ExportResult, EagerTimingOptions, EagerTiming } from './torch';
export { checkParity, compareTensors, formatParity, DEFAULT_PARITY } from './parity';
export type { ParityOptions, ParityReport, ParityRow } from './parity';
export { findTorchPython, TorchError, TORCH_APT_PACKAGES } from './python-env';
export type { PythonInfo } from './python-env';
