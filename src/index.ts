/**
 * The public surface of the detbench library: everything scripts and notebooks import
 * (`import { … } from 'detbench'`, or `from '../dist'` in the notebooks).
 *
 *   export ─▶ profiles ─▶ engine build ─▶ benchmark ─▶ CLEval comparison
 *   (onnx, export) (profiles) (engine)    (bench)      (eval, stats, report)
 *   with the shared stages: session, models, image, postprocess, pipeline, data
 */
export * from './core';
export * from './models';
export * from './session';
export * from './image';
export * from './postprocess';
export * as geometry from './geometry';
export * from './pipeline';
export * from './onnx';
export * from './export';
export * from './data';
export * from './eval';
export * from './profiles';
export * from './engine';
export * from './bench';
export * from './stats';
export * from './report';
export * from './story';
