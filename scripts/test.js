#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner (through tsx). Node 20's --test does not expand
// globs or pick up .ts files from a directory, so the file list is built here.
// Usage: npm test [-- substring...]   (only files whose path contains one of the substrings)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passthrough = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = fs
  .readdirSync(path.join(root, 'test'), { recursive: true })
  .map((f) => path.join('test', String(f)))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(', ')}`);
  process.exit(1);
}
const reporter = process.env.CI ? ['--test-reporter=spec'] : [];
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...reporter, ...passthrough, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
