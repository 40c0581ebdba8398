/** Statistics for the comparison stage: paired bootstrap, size-bin deltas, Pareto front. */
export * from './bootstrap';
export * from './size-bins';
export * from './pareto';
export * from './counts';
