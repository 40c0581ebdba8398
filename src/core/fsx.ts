/**
 * Atomic file writes and the cache location. Caches and reports are written to a temporary file in
 * the same directory and renamed into place, so a killed process never leaves a half-written file
 * that a later run trusts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';

/** Writes `data` to `file` atomically (temp file in the same directory + rename). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** JSON with a trailing newline, written atomically. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/**
 * The project's cache root: `$DETBENCH_CACHE` if set, else `.cache/detbench` under the current
 * working directory's package root (found by walking up to a package.json), else the OS temp dir.
 */
export function cacheRoot(): string {
  if (process.env.DETBENCH_CACHE) return path.resolve(process.env.DETBENCH_CACHE);
  let dir = process.cwd();
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, '.cache', 'detbench');
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return path.join(require('node:os').tmpdir(), 'detbench-cache');
}

/** sha256 of a file's bytes, hex. */
export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** sha256 of bytes or a string, hex. */
export function sha256(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}
