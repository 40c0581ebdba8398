/**
 * One validation helper used at every public boundary (in the manner of sharp's `is.*`):
 * messages say what was expected, what came, and list the valid choices.
 */
import { OptionError } from './errors';

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Throws unless `value` is one of `choices`. */
export function oneOf<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new OptionError(
    `Expected one of ${choices.map((c) => JSON.stringify(c)).join(', ')} for ${name} but received ${show(value)}`,
    { subject: name },
  );
}

/** Throws unless `value` is a finite number within [min, max]. */
export function numberIn(name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new OptionError(`Expected a number between ${min} and ${max} for ${name} but received ${show(value)}`, {
      subject: name,
    });
  }
  return value;
}

/** Throws unless `value` is an integer within [min, max]. */
export function integerIn(name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(`Expected an integer between ${min} and ${max} for ${name} but received ${show(value)}`, {
      subject: name,
    });
  }
  return value;
}

/**
 * Rejects misspelled keys in an options object: `{ boxTresh: 0.5 }` is an error that names the
 * valid keys, never a silently ignored setting.
 */
export function knownKeys(name: string, options: object | undefined, valid: readonly string[]): void {
  if (!options) return;
  for (const key of Object.keys(options)) {
    if (!valid.includes(key)) {
      throw new OptionError(`Unknown option ${JSON.stringify(key)} in ${name}; valid options: ${valid.join(', ')}`, {
        subject: `${name}.${key}`,
      });
    }
  }
}

/** Merges user options over defaults after checking the keys. Defaults are written once, in the stage. */
export function withDefaults<T extends object>(name: string, defaults: T, options?: Partial<T>): T {
  knownKeys(name, options, Object.keys(defaults));
  const out = { ...defaults };
  if (options) {
    for (const [k, v] of Object.entries(options)) {
      if (v !== undefined) (out as Record<string, unknown>)[k] = v;
    }
  }
  return out;
}
