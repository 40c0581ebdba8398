export * from './errors';
export * from './validate';
export * from './logger';
export * from './fsx';
export * from './types';
export * from './progress';
export * from './number';
