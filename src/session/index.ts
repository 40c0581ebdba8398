export * from './options';
export * from './session';
