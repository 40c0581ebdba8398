/**
 * The story: the five stages run end to end (`runStory`), and the stage recipes the notebooks call
 * one by one (describe the model, design profiles, build variants, run engines, compare).
 */
export * from './story';
export * from './stage-export';
export * from './stage-profiles';
export * from './stage-engines';
export * from './stage-bench';
export * from './stage-run';
export * from './stage-compare';
export * from './stage-views';
export * from './stage-gpu';
