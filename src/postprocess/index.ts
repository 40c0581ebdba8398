/**
 * Post-processors: model output maps to boxes in original image coordinates. One file per
 * post-processor; the typed map below is the only place that names them.
 */
import { OptionError } from '../core';
import { dbPostprocess } from './db';

export { dbPostprocess, DEFAULT_DB_OPTIONS, DB_POLY_EPSILON_RATIO, type DbOptions, type ProbMap, type MapBack } from './db';

/** Post-processor name (a model registry entry's output kind) to function. */
export const POSTPROCESSORS = {
  db: dbPostprocess,
} as const;

export type PostprocessorName = keyof typeof POSTPROCESSORS;

/** The post-processor for an output kind; OptionError listing the known kinds otherwise. */
export function postprocessorFor<K extends PostprocessorName>(name: K): (typeof POSTPROCESSORS)[K];
export function postprocessorFor(name: string): (typeof POSTPROCESSORS)[PostprocessorName];
export function postprocessorFor(name: string): (typeof POSTPROCESSORS)[PostprocessorName] {
  if (Object.prototype.hasOwnProperty.call(POSTPROCESSORS, name)) return POSTPROCESSORS[name as PostprocessorName];
  const known = Object.keys(POSTPROCESSORS).map((k) => JSON.stringify(k)).join(', ');
  throw new OptionError(`Unknown post-processor ${JSON.stringify(name)}; known: ${known}`, {
    subject: 'postprocessor',
    fix: `use one of ${known}, or add the new post-processor to POSTPROCESSORS in src/postprocess/index.ts`,
  });
}
