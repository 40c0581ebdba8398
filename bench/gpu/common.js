/** Helpers shared by the GPU scripts (plain CommonJS: the GPU host runs them without tsx). */
'use strict';
const path = require('node:path');
const { summarize } = require(path.resolve(__dirname, '../../dist/bench/stats'));

/** `--name value` from argv, or `dflt`. */
const flag = (args, name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
const round = (v, d = 3) => Number(v.toFixed(d));

/** The latency statistics of one row, in ms. */
function statsRow(samples) {
  const s = summarize(samples);
  return { p50_ms: round(s.median), p90_ms: round(s.p90), p99_ms: round(s.p99), min_ms: round(s.min), mean_ms: round(s.mean), cov: round(s.cov, 4), iterations: s.n };
}

/** Boxes equal when every point matches to 1e-6 px, in any order. */
function sameBoxes(a, b) {
  const key = (x) => JSON.stringify(x.points.map((p) => p.map((v) => Math.round(v * 1e6))));
  return a.length === b.length && a.map(key).sort().join() === b.map(key).sort().join();
}

module.exports = { flag, log, round, statsRow, sameBoxes };
