/**
 * The engine cache: one directory per slot (variant × model × provider) holding `manifest.json` and
 * the engine files. Safety rules:
 *
 *  - a build writes into a fresh `.tmp-<slot>-<pid>-<rand>` directory and renames it into place, the
 *    manifest written last: a build killed half-way leaves only a temp directory nobody trusts
 *    (removed by the next build once its process is gone);
 *  - an entry counts only if its manifest parses and every file listed has the recorded size and
 *    sha256;
 *  - a lock file (`<slot>.lock`, created exclusively, holding the builder's pid) makes a second
 *    builder of the same slot wait and then reuse the first one's result; a lock whose process is
 *    dead is taken over.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { InputError, sha256File } from '../core';
import type { EngineManifest } from './options';

export const MANIFEST_FILE = 'manifest.json';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The entry in `dir`, or why it cannot be trusted. */
export function readEntry(dir: string): { manifest: EngineManifest } | { problem: string } {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) return { problem: fs.existsSync(dir) ? 'the entry has no manifest (an interrupted build)' : 'no cached engine' };
  let manifest: EngineManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as EngineManifest;
  } catch {
    return { problem: 'the manifest is not valid JSON' };
  }
  if (manifest.schema !== 1 || !Array.isArray(manifest.files)) return { problem: 'the manifest has an unknown schema' };
  for (const f of manifest.files) {
    const p = path.join(dir, f.name);
    if (!fs.existsSync(p)) return { problem: `file ${f.name} is missing` };
    if (fs.statSync(p).size !== f.bytes) return { problem: `file ${f.name} has ${fs.statSync(p).size} bytes, the manifest says ${f.bytes}` };
    if (sha256File(p) !== f.sha256) return { problem: `file ${f.name} does not match its sha256` };
  }
  return { manifest };
}

/** A fresh temporary build directory next to the slot. */
export function tempDir(cacheDir: string, slot: string): string {
  const dir = path.join(cacheDir, `.tmp-${slot}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Removes temporary directories left by builds whose process is gone. */
export function sweepTemps(cacheDir: string): number {
  if (!fs.existsSync(cacheDir)) return 0;
  let removed = 0;
  for (const name of fs.readdirSync(cacheDir)) {
    const m = /^\.(?:tmp|old)-.*-(\d+)-[0-9a-f]{8}$/.exec(name);
    if (m && !alive(Number(m[1]))) {
      fs.rmSync(path.join(cacheDir, name), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

/**
 * Moves a finished build directory into the slot, replacing an older entry. Returns false when
 * another process published the slot first (the caller then re-reads it).
 */
export function publish(tmp: string, slotDir: string): boolean {
  if (fs.existsSync(slotDir)) {
    const old = `${path.dirname(slotDir)}/.old-${path.basename(slotDir)}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.renameSync(slotDir, old);
      fs.rmSync(old, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  try {
    fs.renameSync(tmp, slotDir);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      fs.rmSync(tmp, { recursive: true, force: true });
      return false;
    }
    throw err;
  }
}

export interface Lock {
  release(): void;
}

/**
 * Takes `<slotDir>.lock`, waiting while a live process holds it (up to `timeoutMs`), taking over a
 * lock whose holder died. `onWait` is called once when the lock is busy.
 */
export async function acquireLock(slotDir: string, timeoutMs = 30 * 60_000, onWait?: (pid: number) => void): Promise<Lock> {
  const file = `${slotDir}.lock`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const start = Date.now();
  let told = false;
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return {
        release: () => {
          try {
            if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file, { force: true });
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = NaN;
    try {
      holder = Number(fs.readFileSync(file, 'utf8'));
    } catch {
      continue; // released between open and read
    }
    if (Number.isFinite(holder) && holder > 0 && !alive(holder)) {
      fs.rmSync(file, { force: true }); // the builder died: its lock means nothing
      continue;
    }
    if (!told) {
      onWait?.(holder);
      told = true;
    }
    if (Date.now() - start > timeoutMs) {
      throw new InputError(`Engine cache slot ${slotDir} is locked by process ${holder} for over ${Math.round(timeoutMs / 1000)} s`, {
        subject: file,
        fix: `wait for that build to finish, or delete ${file} if no build is running`,
      });
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
