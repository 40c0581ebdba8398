/** Profile files: JSON validated on load and on save, written atomically. */
import * as fs from 'node:fs';
import { InputError, writeJsonAtomic } from '../core';
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
