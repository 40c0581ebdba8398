/**
 * Shape profiles: from a dataset's image sizes and a model's resize policy to the input shapes an
 * engine will see, single and bucketed min/opt/max profiles, validation before any run, profile
 * files, exports for trtexec / ORT-TensorRT / Triton, and the strategies that produce tensors.
 *
 *   image sizes ──resize policy──▶ shape distribution ──design──▶ profiles ──▶ file / flags / report
 */
export * from './types';
export { shapeDistribution, imageSizes } from './distribution';
export { designProfile, designBuckets, bucketCost, DEFAULT_DESIGN_OPTIONS, type DesignOptions, type BucketTarget } from './design';
export { validateShape, validateProfileFile } from './validate';
export { loadProfile, saveProfile, parseBuckets } from './file';
export { toTrtexecFlags, toOrtTensorRtOptions, toTritonConfig } from './export';
export { dynamic, bucketed, fixed, STRATEGIES, smallestBucket, bucketShapes, type BucketShape, type Strategy, type StrategySpec, type Prepared } from './strategies';
export { profileRows, profileFrame, profileChartSpec, type ProfileRow } from './report';
