/**
 * Polygon offsetting (DB's "unclip") through Clipper2 (the clipper2-ts port; clipper2-js 1.2.4
 * returns malformed polygons even for a rectangle), which works in integer coordinates: points are
 * scaled up by `precision`, offset, and scaled back.
 */
import { ClipperOffset, EndType, JoinType, type Path64 } from 'clipper2-ts';
import type { Point, Polygon } from '../core';
import { numberIn, oneOf, withDefaults } from '../core';
import { clockwise } from './polygon';

export type OffsetJoin = 'round' | 'square' | 'miter' | 'bevel';

export interface OffsetOptions {
  /** How corners are joined; round matches pyclipper's JT_ROUND used by DBNet. @default 'round' */
  join: OffsetJoin;
  /** Integer grid steps per pixel for Clipper's arithmetic. @default 4 */
  precision: number;
  /** Largest distance in pixels between a rounded corner's true arc and its chords (pyclipper's default). @default 0.25 */
  arcTolerance: number;
}

export const DEFAULT_OFFSET_OPTIONS: OffsetOptions = { join: 'round', precision: 4, arcTolerance: 0.25 };

const JOINS: Record<OffsetJoin, JoinType> = {
  round: JoinType.Round,
  square: JoinType.Square,
  miter: JoinType.Miter,
  bevel: JoinType.Bevel,
};

/**
 * Grows (positive `distance`) or shrinks (negative) a closed polygon. Returns zero polygons when a
 * shrink consumes it and several when it splits; each clockwise on screen. Input untouched.
 */
export function offsetPolygon(polygon: readonly Point[], distance: number, options: Partial<OffsetOptions> = {}): Polygon[] {
  const o = withDefaults('offsetPolygon options', DEFAULT_OFFSET_OPTIONS, options);
  oneOf('join', o.join, Object.keys(JOINS) as OffsetJoin[]);
  const s = numberIn('precision', o.precision, 1, 1e6);
  numberIn('arcTolerance', o.arcTolerance, 0.001);
  numberIn('distance', distance);
  const off = new ClipperOffset(2, o.arcTolerance * s);
  off.addPath(
    polygon.map((p) => ({ x: Math.round(p[0] * s), y: Math.round(p[1] * s) })),
    JOINS[o.join],
    EndType.Polygon,
  );
  const solution: Path64[] = [];
  off.execute(distance * s, solution);
  return solution.map((path) => clockwise(path.map((p): Point => [p.x / s, p.y / s])));
}
