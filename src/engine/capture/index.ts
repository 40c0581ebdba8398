/**
 * Captured WebGPU engines: the detector graph recorded once and replayed per run, driven through
 * onnxruntime's C API (the parts onnxruntime-node does not expose). See engine.ts.
 */
export { CapturedEngine, DEFAULT_CAPTURED_ENGINE_OPTIONS, type CapturedEngineOptions } from './engine';
export { splitForCapture, type CaptureGraphs } from './split';
export { OrtCApi, onnxruntimeLibraryPath } from './capi';
