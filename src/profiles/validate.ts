/**
 * Checks before any run: a shape against a profile (a ShapeError naming the dimension, the bound
 * and the resize setting that would bring it inside), and a profile file's consistency.
 */
import { InputError, ShapeError } from '../core';
import { PROFILE_SCHEMA_ID, type Profile, type ProfileFile } from './types';

const AXIS = ['batch', 'channels', 'height', 'width'];

function fmt(shape: readonly number[]): string {
  return shape.join('x');
}

/** The first reason `shape` is outside `profile`'s range for `input`, or undefined when inside. */
function outside(shape: readonly number[], profile: Profile, input: string): string | undefined {
  const r = profile.shapes[input];
  if (!r) return `profile ${profile.name} has no range for input ${input} (it lists ${Object.keys(profile.shapes).join(', ')})`;
  if (shape.length !== r.min.length) return `rank ${shape.length} differs from the profile's rank ${r.min.length}`;
  for (let d = 0; d < shape.length; d++) {
    const name = `dimension ${d} (${AXIS[d] ?? 'axis'})`;
    if (shape[d] < r.min[d]) return `${name} = ${shape[d]} is below the profile's min ${r.min[d]}`;
    if (shape[d] > r.max[d]) return `${name} = ${shape[d]} is above the profile's max ${r.max[d]}`;
  }
  return undefined;
}

function resizeHint(shape: readonly number[], profiles: readonly Profile[], input: string): string {
  const ranges = profiles.map((p) => p.shapes[input]).filter(Boolean);
  if (ranges.length === 0 || shape.length !== 4) return 'build a profile that covers this shape (detbench profile --data DIR)';
  const maxSide = Math.max(...ranges.map((r) => Math.min(r.max[2], r.max[3])));
  const minSide = Math.min(...ranges.map((r) => Math.max(r.min[2], r.min[3])));
  if (shape[2] > maxSide || shape[3] > maxSide) {
    return `resize with limitType "max" and limitSideLen ${maxSide} (longer side at most ${maxSide}), or design a profile that covers ${fmt(shape)} (detbench profile --data DIR)`;
  }
  if (shape[2] < minSide || shape[3] < minSide) {
    return `pad the image to at least ${minSide} per side (bucketed or fixed strategy), or use limitType "min" with limitSideLen ${minSide}`;
  }
  return `use one of the profiles' shapes (bucketed strategy pads to the nearest), or design a profile that covers ${fmt(shape)}`;
}

/**
 * Throws a ShapeError unless `shape` lies inside `profile` (or inside one of the profiles of a
 * profile file) for `input` (default: the first dynamic input). Returns the matching profile.
 */
export function validateShape(shape: readonly number[], profile: Profile | ProfileFile | readonly Profile[], input?: string): Profile {
  const profiles: readonly Profile[] = Array.isArray(profile) ? profile : 'profiles' in (profile as ProfileFile) ? (profile as ProfileFile).profiles : [profile as Profile];
  const name = input ?? ('dynamicInputs' in (profile as ProfileFile) ? (profile as ProfileFile).dynamicInputs[0] : Object.keys(profiles[0]?.shapes ?? {})[0]);
  if (!shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ShapeError(`Shape ${JSON.stringify(shape)} of input ${name} is not a list of positive integers`, { subject: name, fix: 'pass the tensor dims, e.g. [1, 3, 736, 1280]' });
  }
  const reasons: string[] = [];
  for (const p of profiles) {
    const why = outside(shape, p, name);
    if (!why) return p;
    const r = p.shapes[name];
    reasons.push(`${p.name}: ${why}${r ? ` (min ${fmt(r.min)}, max ${fmt(r.max)})` : ''}`);
  }
  throw new ShapeError(`Input ${name} shape ${fmt(shape)} is outside the engine's profile${profiles.length > 1 ? 's' : ''}: ${reasons.join('; ')}`, {
    subject: name,
    fix: resizeHint(shape, profiles, name),
  });
}

/**
 * Checks a parsed profile file: schema id, every dynamic input listed in every profile, equal
 * ranks, min <= opt <= max per dimension, positive integers, spatial dims multiples of `multiple`.
 * `where` names the file in messages. Returns the value typed.
 */
export function validateProfileFile(value: unknown, where = 'profile'): ProfileFile {
  const bad = (msg: string, fix: string): never => {
    throw new InputError(`${where}: ${msg}`, { subject: where, fix });
  };
  const v = value as ProfileFile;
  if (!v || typeof v !== 'object') bad('is not a JSON object', 'write it with saveProfile() or `detbench profile --out FILE`');
  if (v.schema !== PROFILE_SCHEMA_ID) bad(`has schema ${JSON.stringify(v.schema)}, expected ${JSON.stringify(PROFILE_SCHEMA_ID)}`, `set "schema": "${PROFILE_SCHEMA_ID}"`);
  if (!Array.isArray(v.dynamicInputs) || v.dynamicInputs.length === 0) bad('lists no dynamicInputs', 'list the names of the dynamic inputs, e.g. ["x"]');
  if (!Number.isInteger(v.multiple) || v.multiple < 1) bad(`multiple ${JSON.stringify(v.multiple)} is not a positive integer`, 'use the model resize multiple, e.g. 32');
  if (!Array.isArray(v.profiles) || v.profiles.length === 0) bad('has no profiles', 'add at least one profile with min/opt/max shapes');
  for (const p of v.profiles) {
    const label = `profile ${JSON.stringify(p?.name)}`;
    if (!p || typeof p.name !== 'string' || typeof p.shapes !== 'object') bad(`${label} needs a name and shapes`, 'see PROFILE_JSON_SCHEMA');
    for (const input of v.dynamicInputs) {
      const r = p.shapes[input];
      if (!r) bad(`${label} has no range for dynamic input ${input}`, `add "${input}": {"min": [...], "opt": [...], "max": [...]}`);
      const dims = [r.min, r.opt, r.max];
      if (!dims.every((d) => Array.isArray(d) && d.every((x) => Number.isInteger(x) && x > 0))) {
        bad(`${label} input ${input}: min/opt/max must be lists of positive integers`, 'write shapes like [1, 3, 736, 1280]');
      }
      if (!(r.min.length === r.opt.length && r.opt.length === r.max.length)) bad(`${label} input ${input}: min, opt and max have different ranks`, 'give all three the same number of dimensions');
      for (let d = 0; d < r.min.length; d++) {
        if (!(r.min[d] <= r.opt[d] && r.opt[d] <= r.max[d])) {
          bad(`${label} input ${input} dimension ${d} (${AXIS[d] ?? 'axis'}): min ${r.min[d]} <= opt ${r.opt[d]} <= max ${r.max[d]} does not hold`, 'order the bounds so that min <= opt <= max in every dimension');
        }
        if (r.min.length === 4 && d >= 2) {
          for (const [k, x] of [['min', r.min[d]], ['opt', r.opt[d]], ['max', r.max[d]]] as const) {
            if (x % v.multiple !== 0) bad(`${label} input ${input} ${k} ${AXIS[d]} ${x} is not a multiple of ${v.multiple}`, `round it to a multiple of ${v.multiple} (e.g. ${Math.round(x / v.multiple) * v.multiple || v.multiple})`);
          }
        }
      }
    }
  }
  return v;
}
