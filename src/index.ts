/** The public surface of the detbench library: everything scripts and notebooks import. */
export * from './core';
