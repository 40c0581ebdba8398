export * from './detector';
export * from './outputs';
