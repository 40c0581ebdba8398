/**
 * DB post-processing speed on synthetic probability maps shaped like a real DB output: rotated
 * word boxes (ICDAR 2015-like sizes, up to 30 degrees) with soft sigmoid edges, a faint noisy
 * background and a few tiny noise blobs. Fixed seeds; one thread (the function is synchronous).
 *
 * Targets (issue 2): p50 <= 1 ms per 544x960 map with ~10-20 regions, <= 5 ms per 736x1280 map
 * with 100 regions.
 */
// The compiled library (dist/, built by npm install), as users run it: tsx-transpiled sources time
// typed-array loops up to 1.7x slower, which would measure the loader instead of the code.
import { dbPostprocess, type DbOptions, type ProbMap } from '../dist/postprocess';
import { seededRandom } from '../dist/stats';

interface Region {
  cx: number;
  cy: number;
  halfL: number;
  halfH: number;
  angle: number;
}

/** A map of `count` non-overlapping soft word boxes. */
export function syntheticDbMap(width: number, height: number, count: number, seed: number): ProbMap {
  const rand = seededRandom(seed);
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rand() * 0.08; // faint background
  const placed: Region[] = [];
  const reach = (r: Region): number => Math.hypot(r.halfL, r.halfH) + 4;
  for (let tries = 0; placed.length < count && tries < count * 200; tries++) {
    const halfL = 10 + rand() * (count > 40 ? 45 : 110);
    const halfH = 5 + rand() * (count > 40 ? 8 : 14);
    const r: Region = {
      cx: halfL + 6 + rand() * (width - 2 * halfL - 12),
      cy: halfL * 0.5 + 6 + rand() * (height - halfL - 12),
      halfL,
      halfH,
      angle: ((rand() * 2 - 1) * 30 * Math.PI) / 180,
    };
    if (placed.some((q) => Math.hypot(q.cx - r.cx, q.cy - r.cy) < reach(q) + reach(r))) continue;
    placed.push(r);
  }
  for (const r of placed) {
    const c = Math.cos(r.angle);
    const s = Math.sin(r.angle);
    const R = Math.ceil(Math.hypot(r.halfL, r.halfH) + 4);
    for (let y = Math.max(0, Math.floor(r.cy - R)); y <= Math.min(height - 1, Math.ceil(r.cy + R)); y++) {
      for (let x = Math.max(0, Math.floor(r.cx - R)); x <= Math.min(width - 1, Math.ceil(r.cx + R)); x++) {
        const u = (x - r.cx) * c + (y - r.cy) * s;
        const v = -(x - r.cx) * s + (y - r.cy) * c;
        const inside = Math.min(r.halfL - Math.abs(u), r.halfH - Math.abs(v)); // signed distance-ish
        const p = 0.97 / (1 + Math.exp(-1.2 * inside)) - rand() * 0.04;
        const i = y * width + x;
        if (p > data[i]) data[i] = p;
      }
    }
  }
  // Tiny noise blobs (1-2 px) that must be dropped by minSize.
  for (let k = 0; k < 10; k++) {
    const x = Math.floor(rand() * (width - 2));
    const y = Math.floor(rand() * (height - 2));
    data[y * width + x] = 0.8;
    if (k % 2) data[y * width + x + 1] = 0.8;
  }
  return { data, width, height };
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

interface Case {
  name: string;
  width: number;
  height: number;
  regions: number;
  options?: Partial<DbOptions>;
}

export async function run(opts: { quick: boolean }): Promise<{ name: string; rows: Record<string, unknown>[]; notes?: string[] }> {
  const cases: Case[] = [
    { name: 'ic15-like 544x960, 15 regions', width: 960, height: 544, regions: 15 },
    { name: 'dense 736x1280, 100 regions', width: 1280, height: 736, regions: 100 },
    { name: 'ic15-like 544x960, slow score', width: 960, height: 544, regions: 15, options: { scoreMode: 'slow' } },
    { name: 'ic15-like 544x960, poly boxes', width: 960, height: 544, regions: 15, options: { boxType: 'poly' } },
  ];
  const mapsPerCase = opts.quick ? 4 : 16;
  const reps = opts.quick ? 20 : 100;
  const rows: Record<string, unknown>[] = [];
  for (const c of cases) {
    const maps = Array.from({ length: mapsPerCase }, (_, i) => syntheticDbMap(c.width, c.height, c.regions, 1000 + i));
    const back = { srcWidth: c.width * 1.5, srcHeight: c.height * 1.5 };
    let boxes = 0;
    for (const m of maps) for (let i = 0; i < 5; i++) boxes = dbPostprocess(m, back, c.options).length; // warm-up
    const times: number[] = [];
    let found = 0;
    for (let r = 0; r < reps; r++) {
      for (const m of maps) {
        const t0 = process.hrtime.bigint();
        const out = dbPostprocess(m, back, c.options);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r === 0) found += out.length;
      }
    }
    times.sort((a, b) => a - b);
    void boxes;
    rows.push({
      case: c.name,
      maps: maps.length,
      runs: times.length,
      boxes_per_map: +(found / maps.length).toFixed(1),
      p50_ms: +percentile(times, 0.5).toFixed(3),
      p90_ms: +percentile(times, 0.9).toFixed(3),
      min_ms: +times[0].toFixed(3),
    });
  }
  return {
    name: 'postprocess',
    rows,
    notes: [
      'dbPostprocess on synthetic soft-edged DB maps (fixed seeds), single thread.',
      'Targets: p50 <= 1 ms for 544x960 with ~15 regions, <= 5 ms for 736x1280 with 100 regions.',
    ],
  };
}

// Direct use: `node --import tsx bench/postprocess.ts [--quick]`
if (require.main === module) {
  run({ quick: process.argv.includes('--quick') }).then((r) => {
    console.table(r.rows);
    console.log(JSON.stringify(r));
  });
}
