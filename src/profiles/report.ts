/**
 * The profile report: rows per profile (shape range, images served, coverage, padding waste) as
 * records or a danfojs DataFrame, and a vega-lite spec of the shape distribution with the profiles
 * drawn over it (a plain JSON object; `src/report` renders specs).
 */
import type { Profile, ShapeCount } from './types';

export interface ProfileRow {
  profile: string;
  min: string;
  opt: string;
  max: string;
  images: number;
  coverage: number;
  waste: number;
}

/** One row per profile, for `input` (default: the profile's first input). */
export function profileRows(dist: readonly ShapeCount[], profiles: readonly Profile[], input?: string): ProfileRow[] {
  const total = dist.reduce((a, s) => a + s.count, 0);
  return profiles.map((p) => {
    const name = input ?? Object.keys(p.shapes)[0];
    const r = p.shapes[name];
    const coverage = p.coverage ?? dist.filter((s) => s.height >= r.min[2] && s.height <= r.max[2] && s.width >= r.min[3] && s.width <= r.max[3]).reduce((a, s) => a + s.count, 0) / Math.max(1, total);
    return {
      profile: p.name, min: r.min.join('x'), opt: r.opt.join('x'), max: r.max.join('x'),
      images: Math.round(coverage * total), coverage: round(coverage), waste: round(p.waste ?? 0),
    };
  });
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** The rows as a danfojs DataFrame (danfojs is loaded only when this is called: it is slow to import). */
export function profileFrame(dist: readonly ShapeCount[], profiles: readonly Profile[], input?: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dfd = require('danfojs') as { DataFrame: new (rows: object[]) => unknown };
  return new dfd.DataFrame(profileRows(dist, profiles, input));
}

/** A vega-lite spec: one circle per tensor shape (area ~ image count), one rectangle per profile, opt marked. */
export function profileChartSpec(dist: readonly ShapeCount[], profiles: readonly Profile[], input?: string): Record<string, unknown> {
  const boxes = profiles.map((p) => {
    const r = p.shapes[input ?? Object.keys(p.shapes)[0]];
    return { profile: p.name, minW: r.min[3], maxW: r.max[3], minH: r.min[2], maxH: r.max[2], optW: r.opt[3], optH: r.opt[2] };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Input tensor shapes and profiles',
    width: 420,
    height: 320,
    layer: [
      {
        data: { values: boxes },
        mark: { type: 'rect', fillOpacity: 0.08, strokeWidth: 1.5 },
        encoding: {
          x: { field: 'minW', type: 'quantitative', title: 'tensor width (px)' },
          x2: { field: 'maxW' },
          y: { field: 'minH', type: 'quantitative', title: 'tensor height (px)' },
          y2: { field: 'maxH' },
          color: { field: 'profile', type: 'nominal' },
          stroke: { field: 'profile', type: 'nominal' },
        },
      },
      {
        data: { values: dist.map((s) => ({ width: s.width, height: s.height, images: s.count })) },
        mark: { type: 'circle', color: '#333', opacity: 0.8 },
        encoding: {
          x: { field: 'width', type: 'quantitative' },
          y: { field: 'height', type: 'quantitative' },
          size: { field: 'images', type: 'quantitative', title: 'images' },
          tooltip: [{ field: 'width' }, { field: 'height' }, { field: 'images' }],
        },
      },
      {
        data: { values: boxes },
        mark: { type: 'point', shape: 'cross', size: 120, filled: true },
        encoding: {
          x: { field: 'optW', type: 'quantitative' },
          y: { field: 'optH', type: 'quantitative' },
          color: { field: 'profile', type: 'nominal' },
          tooltip: [{ field: 'profile' }, { field: 'optW', title: 'opt width' }, { field: 'optH', title: 'opt height' }],
        },
      },
    ],
  };
}
