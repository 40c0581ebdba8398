#!/usr/bin/env node
/** Compares two `detbench detect --json` outputs: same boxes per image? and each side's stage times. */
'use strict';
const fs = require('node:fs');
const [a, b] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const key = (box) => JSON.stringify(box.points.map((p) => p.map((v) => Math.round(v * 1000))));
const med = (xs) => { const s = [...xs].sort((x, y) => x - y); return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN; };
const byImage = new Map(b.results.map((r) => [r.image, r]));
let identical = 0;
const images = a.results.map((ra) => {
  const rb = byImage.get(ra.image);
  const same = !!rb && ra.boxes.length === rb.boxes.length && ra.boxes.map(key).sort().join() === rb.boxes.map(key).sort().join();
  if (same) identical++;
  return { image: ra.image.split('/').pop(), boxes: [ra.boxes.length, rb ? rb.boxes.length : null], identical: same };
});
const times = (r) => Object.fromEntries(['decode', 'preprocess', 'infer', 'postprocess'].map((k) => [`${k}_p50_ms`, Number(med(r.results.map((x) => x.timings_ms[k])).toFixed(2))]));
const out = {
  providers: [a.results[0]?.provider, b.results[0]?.provider],
  identical_images: `${identical}/${a.results.length}`,
  timings: { [a.results[0]?.provider ?? 'a']: times(a), [b.results[0]?.provider ?? 'b']: times(b) },
  note: 'each side runs every image once in one process: its first images include shader compilation / warm-up',
  images,
};
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
process.exitCode = identical === a.results.length ? 0 : 1;
