export * from './options';
export * from './session';
export * from './probe';
