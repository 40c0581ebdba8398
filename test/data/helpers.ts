/** Test helpers for the data stage: temp folders, tiny images, the shared-data gate. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import sharp from 'sharp';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const SHARED_DATA = path.resolve(__dirname, '..', '..', '..', 'shared', 'data');

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `detbench-${prefix}-`));
}

/** A small solid-colour image. */
export async function writeImage(file: string, width = 64, height = 48): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 180, b: 90 } } }).toFile(file);
}

/** Copies a fixture's gt/ into `dir/gt` and gives it the images named. */
export async function fixtureDataset(name: string, images: string[]): Promise<string> {
  const dir = tmpDir(name);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  for (const img of images) await writeImage(path.join(dir, 'images', img));
  return dir;
}

/** True when `p` exists; otherwise skips the test (or fails it under CI=true) with the reason. */
export function needShared(t: TestContext, p: string): boolean {
  if (fs.existsSync(p)) return true;
  if (process.env.CI === 'true') throw new Error(`shared test data missing under CI: ${p}`);
  t.skip(`shared test data not found at ${p} (the workspace's ../shared/data); skipping`);
  return false;
}
