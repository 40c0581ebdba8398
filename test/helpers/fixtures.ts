/** Small helpers for tests: temp dirs and the shared-data gate (fail in CI, skip visibly elsewhere). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tempDir(prefix = 'detbench-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared');

/**
 * Returns the path under ../shared/ if it exists. When missing: throws in CI (CI=true), otherwise
 * returns undefined so the caller can `t.skip()` with a visible reason.
 */
export function sharedPath(rel: string): string | undefined {
  const p = path.join(SHARED, rel);
  if (fs.existsSync(p)) return p;
  if (process.env.CI === 'true') throw new Error(`CI=true but the shared test data ${p} is missing`);
  return undefined;
}
