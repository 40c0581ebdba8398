/**
 * Seeded pseudo-random numbers for the generator. sfc32 (Chris Doty-Humphrey's Small Fast Counter)
 * seeded through splitmix32: 32-bit integer arithmetic only, so the sequence is the same on every
 * machine and Node version. The generator never calls Math.random or reads the clock.
 */

/** A seeded random source with the few draws the generator needs. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** One key of a weight table, chosen in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** Approximately normal (sum of 4 uniforms), mean 0, standard deviation 1. */
  normal(): number;
  /** Log-uniform in [min, max): sizes spread evenly across scales. */
  logUniform(min: number, max: number): number;
  /** An independent stream derived from this one's seed and `label` (stable across code changes elsewhere). */
  fork(label: string | number): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a string, for deriving stream seeds from labels. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Creates an sfc32 generator from a 32-bit seed. */
export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextU32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs, as sfc32's author recommends, so close seeds decorrelate.
  for (let i = 0; i < 12; i++) nextU32();

  const rng: Rng = {
    next: () => nextU32() / 4294967296,
    uniform: (min, max) => min + (max - min) * rng.next(),
    int: (min, max) => min + Math.floor(rng.next() * (max - min + 1)),
    chance: (p) => rng.next() < p,
    pick: (items) => items[Math.floor(rng.next() * items.length)],
    weighted: (weights) => {
      const keys = Object.keys(weights) as (keyof typeof weights & string)[];
      let total = 0;
      for (const k of keys) total += weights[k];
      let r = rng.next() * total;
      for (const k of keys) {
        r -= weights[k];
        if (r < 0) return k;
      }
      return keys[keys.length - 1];
    },
    normal: () => (rng.next() + rng.next() + rng.next() + rng.next() - 2) * Math.sqrt(3),
    logUniform: (min, max) => Math.exp(rng.uniform(Math.log(min), Math.log(max))),
    fork: (label) => createRng(hash32(`${seed}/${label}`)),
  };
  return rng;
}
