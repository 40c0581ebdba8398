/** The public surface of the detbench library: everything scripts and notebooks import. */
export * from './core';
export * from './models';
export * from './session';
export * from './image';
export * from './pipeline';
export * from './onnx';
