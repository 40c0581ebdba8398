export * from './spec';
export * from './registry';
