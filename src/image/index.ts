export * from './decode';
export * from './resize';
export * from './tensor';
