/** Measures and simplification of polygons given as vertex lists (pixel coordinates). */
import { Clipper } from 'clipper2-ts';
import type { Point, Polygon } from '../core';
import { numberIn } from '../core';

/** Signed shoelace area; positive for clockwise order on screen (y down). */
export function signedArea(polygon: readonly Point[]): number {
  let s = 0;
  for (let i = 0, n = polygon.length; i < n; i++) {
    const a = polygon[i];
    const b = polygon[(i + 1) % n];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** Unsigned area (shapely's `Polygon.area` for a simple polygon). */
export function polygonArea(polygon: readonly Point[]): number {
  return Math.abs(signedArea(polygon));
}

/** Closed perimeter (shapely's `Polygon.length`). */
export function perimeter(polygon: readonly Point[]): number {
  let s = 0;
  for (let i = 0, n = polygon.length; i < n; i++) {
    const a = polygon[i];
    const b = polygon[(i + 1) % n];
    s += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  return s;
}

/** Same polygon, clockwise on screen (the `Polygon` convention). Returns a new array. */
export function clockwise(polygon: readonly Point[]): Polygon {
  const out = polygon.map((p): Point => [p[0], p[1]]);
  return signedArea(out) < 0 ? out.reverse() : out;
}

/**
 * Drops vertices closer than `epsilon` pixels to the line through their neighbours (Clipper2's
 * SimplifyPath on a closed path), working at 1/`scale` pixel. Input untouched.
 */
export function simplifyPolygon(polygon: readonly Point[], epsilon: number, scale = 8): Polygon {
  numberIn('epsilon', epsilon, 0);
  const path = polygon.map((p) => ({ x: Math.round(p[0] * scale), y: Math.round(p[1] * scale) }));
  return Clipper.simplifyPath(path, epsilon * scale, true).map((p): Point => [p.x / scale, p.y / scale]);
}
