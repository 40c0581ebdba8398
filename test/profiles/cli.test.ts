import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadProfile } from '../../src/profiles';
import { sharedPath, tempDir } from '../helpers/fixtures';

const SCRIPT = path.join(__dirname, 'fixtures', 'profile-cli.ts');

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('detbench profile --json designs single and bucket profiles from a dataset and writes a valid file', async (t) => {
  const data = sharedPath('data/sroie_receipts40');
  if (!data) return t.skip('shared data ../shared/data/sroie_receipts40 is missing');
  const file = path.join(tempDir(), 'p.json');
  const r = cli(['profile', '--data', data, '--buckets', '2', '--out', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.images, 40);
  assert.equal(out.buckets.length, 2);
  // Receipts are portrait: the long side is the height, limited to 960.
  assert.equal(out.single.shapes.x.max[2], 960);
  assert.equal(out.distribution.reduce((a: number, s: { count: number }) => a + s.count, 0), 40);
  assert.match(out.trtexec, /^--minShapes=x:1x3x\d+x\d+ --optShapes=/);
  assert.deepEqual(loadProfile(file).profiles.map((p) => p.name), ['bucket-1', 'bucket-2']);
});

test('detbench profile rejects --buckets together with --max-waste', () => {
  const r = cli(['profile', '--data', '.', '--buckets', '2', '--max-waste', '0.1']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--buckets or --max-waste, not both/);
  assert.equal(r.stdout, '');
});
