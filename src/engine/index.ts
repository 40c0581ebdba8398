/**
 * Engine build: cached fp32-optimized / fp16 / int8 / webgpu artifacts with manifests, and the
 * numerical check against the fp32 reference.
 *
 *   source .onnx ──(variant converter)──▶ temp dir ──loader check──▶ manifest ──rename──▶ cache slot
 */
export { buildEngine, defaultCalibrationDir, ORT_VERSION, BUILDER_VERSION } from './build';
export { listEngines, type CachedEngine } from './list';
export { numericalCheck, DEFAULT_NUMERICAL_CHECK_OPTIONS, type NumericalCheckOptions, type NumericalReport, type OutputError } from './check';
export { VARIANTS, VARIANT_PROVIDER, DEFAULT_BUILD_OPTIONS, type Variant, type BuildOptions, type Engine, type EngineManifest, type EngineFile } from './options';
export { CALIBRATION_METHODS, type CalibrationMethod } from './calibrate';
export { convertToFp16, emulateFp16, DEFAULT_FP16_BLOCK_OPS, toHalfBits, fromHalfBits } from './fp16';
export { foldForQuantization } from './fold';
export { fuseForDispatch, type FuseReport } from './fuse';
export { planQdq, applyQdq, QUANTIZABLE_OPS } from './qdq';
export * from './capture';
