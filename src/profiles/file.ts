/** Profile files: JSON validated on load and on save, written atomically. */
import * as fs from 'node:fs';
import { InputError, OptionError, writeJsonAtomic } from '../core';
import { bucketShapes, type BucketShape } from './strategies';
import { validateProfileFile } from './validate';
import type { ProfileFile } from './types';

/** Reads and validates a profile file; every problem is an InputError naming the file and the fix. */
export function loadProfile(file: string): ProfileFile {
  if (!fs.existsSync(file)) throw new InputError(`Profile file not found: ${file}`, { subject: file, fix: 'create one with `detbench profile --data DIR --out FILE`' });
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${file} is not valid JSON: ${(err as Error).message}`, { subject: file, fix: 'fix the syntax, or regenerate it with `detbench profile --out FILE`', cause: err });
  }
  return validateProfileFile(value, file);
}

/** Validates `profile` and writes it to `file` (temp file + rename). */
export function saveProfile(file: string, profile: ProfileFile): void {
  validateProfileFile(profile, file);
  writeJsonAtomic(file, profile);
}

/**
 * Bucket shapes from a command line: `544x960,960x544` (height x width each), or a profile file whose
 * profiles' `opt` shapes of `input` are the buckets (`detbench profile --buckets K --out FILE`).
 */
export function parseBuckets(text: string, input: string): BucketShape[] {
  if (/\.json$/i.test(text) || fs.existsSync(text)) {
    const shapes = bucketShapes(loadProfile(text).profiles, input);
    if (shapes.length === 0) throw new InputError(`${text} has no profile shapes for input ${input}`, { subject: text, fix: `design profiles for this model: detbench profile --buckets K --out ${text}` });
    return shapes;
  }
  return text.split(',').map((part) => {
    const m = /^\s*(\d+)x(\d+)\s*$/.exec(part);
    if (!m) {
      throw new OptionError(`Bucket ${JSON.stringify(part)} is not HEIGHTxWIDTH`, {
        subject: '--buckets', fix: 'write e.g. --buckets 544x960,960x544,960x960, or pass a profile file from `detbench profile --buckets K --out FILE`',
      });
    }
    return { height: Number(m[1]), width: Number(m[2]) };
  });
}
