/**
 * Regions as sums of simple pieces, so that intersection areas never depend on a general
 * clipper where a cheaper exact method exists.
 *
 * - A ring of at most four vertices is split into convex pieces: itself when convex, two
 *   triangles along the reflex vertex's diagonal when it is a dart, its two lobes when it is a
 *   bow-tie (the even-odd reading of the reference's GPC clipper), nothing when it has no area.
 * - A piece meets a convex piece by Sutherland-Hodgman clipping (exact for a simple subject).
 * - Only two non-convex pieces (long POLY rings, rings left by subtraction) go to polygon-clipping.
 *   polygon-clipping 0.15 can throw "Unable to complete output ring" on some inputs (about 0.4% of
 *   random small-integer quad pairs); those pairs are triangulated by ear clipping and summed.
 */
import * as clip from 'polygon-clipping';
import type { Point } from '../core';
import {
  boundsOf,
  boundsOverlap,
  convexIntersectionArea,
  convexSign,
  multiArea,
  type Bounds,
  type MultiRing,
} from './geometry';

interface Piece {
  ring: Point[];
  bounds: Bounds;
  /** ±1 when convex (orientation), 0 otherwise. */
  convex: number;
  /** +1 for filled pieces, -1 for holes. */
  sign: number;
}

export interface Region {
  pieces: Piece[];
  bounds: Bounds;
  /** The region as polygon-clipping input, for subtraction. */
  geom: clip.Geom;
}

function piece(ring: Point[], sign = 1): Piece {
  return { ring, bounds: boundsOf(ring), convex: convexSign(ring), sign };
}

function signedArea(r: readonly Point[]): number {
  let a = 0;
  for (let i = 0; i < r.length; i++) {
    const j = (i + 1) % r.length;
    a += r[i][0] * r[j][1] - r[j][0] * r[i][1];
  }
  return a / 2;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/** Proper crossing point of segments ab and cd (endpoints excluded), or null. */
function crossing(a: Point, b: Point, c: Point, d: Point): Point | null {
  const d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  }
  return null;
}

/** Convex pieces of a ring with at most four vertices, or null when no clean split applies. */
function quadPieces(r: Point[]): Piece[] | null {
  if (convexSign(r) !== 0) return [piece(r)];
  if (r.length !== 4) return null;
  const [p0, p1, p2, p3] = r;
  const x = crossing(p0, p1, p2, p3);
  if (x) return [piece([x, p1, p2]), piece([x, p3, p0])];
  const y = crossing(p1, p2, p3, p0);
  if (y) return [piece([y, p2, p3]), piece([y, p0, p1])];
  const area = signedArea(r);
  if (area === 0) return [];
  const turns = r.map((_, i) => cross(r[i], r[(i + 1) % 4], r[(i + 2) % 4]));
  if (turns.some((t) => t === 0)) return null;
  const reflex = turns.map((t, i) => (Math.sign(t) !== Math.sign(area) ? (i + 1) % 4 : -1)).filter((i) => i >= 0);
  if (reflex.length !== 1) return null;
  const k = reflex[0];
  const at = (i: number) => r[(k + i) % 4];
  return [piece([at(0), at(1), at(2)]), piece([at(2), at(3), at(0)])];
}

/** The region of one ring (a box). */
export function regionOfRing(ring: readonly Point[]): Region {
  const r = ring.map((p) => [p[0], p[1]] as Point);
  const pieces = quadPieces(r) ?? [piece(r)];
  return { pieces, bounds: boundsOf(r), geom: [r.map((p) => [p[0], p[1]] as clip.Pair)] };
}

/** The region of a clipped result: outer rings add, holes subtract. */
export function regionOfMulti(m: MultiRing): Region {
  const pieces: Piece[] = [];
  for (const poly of m) {
    poly.forEach((ring, i) => {
      const r = (ring as Point[]).slice(0, -1); // polygon-clipping repeats the first vertex last
      if (r.length >= 3) pieces.push(piece(r, i === 0 ? 1 : -1));
    });
  }
  const all = pieces.flatMap((p) => p.ring);
  const bounds = all.length ? boundsOf(all) : { minX: 0, minY: 0, maxX: -1, maxY: -1 };
  return { pieces, bounds, geom: m };
}

/** Ear-clipping triangulation of a simple ring (fan triangulation if no ear is found); counter-clockwise triangles. */
export function triangulate(ring: Point[]): Point[][] {
  const pts = signedArea(ring) < 0 ? [...ring].reverse() : [...ring];
  const out: Point[][] = [];
  const idx = pts.map((_, i) => i);
  let guard = 0;
  while (idx.length > 3 && guard++ < 10000) {
    let cut = -1;
    for (let i = 0; i < idx.length && cut < 0; i++) {
      const a = pts[idx[(i + idx.length - 1) % idx.length]], b = pts[idx[i]], c = pts[idx[(i + 1) % idx.length]];
      if (cross(a, b, c) <= 0) continue;
      const inside = idx.some((j) => {
        const p = pts[j];
        if (p === a || p === b || p === c) return false;
        return cross(a, b, p) >= 0 && cross(b, c, p) >= 0 && cross(c, a, p) >= 0;
      });
      if (!inside) cut = i;
    }
    if (cut < 0) break;
    const n = idx.length;
    out.push([pts[idx[(cut + n - 1) % n]], pts[idx[cut]], pts[idx[(cut + 1) % n]]]);
    idx.splice(cut, 1);
  }
  for (let i = 1; i + 1 < idx.length; i++) out.push([pts[idx[0]], pts[idx[i]], pts[idx[i + 1]]]);
  return out;
}

function generalArea(a: Point[], b: Point[]): number {
  try {
    const out = clip.intersection([a as clip.Pair[]], [b as clip.Pair[]]);
    return out.length === 0 ? 0 : multiArea(out);
  } catch {
    let s = 0;
    const tb = triangulate(b);
    for (const ta of triangulate(a)) for (const t of tb) s += convexIntersectionArea(ta, t, 1);
    return s;
  }
}

function pieceArea(a: Piece, b: Piece): number {
  if (!boundsOverlap(a.bounds, b.bounds)) return 0;
  if (b.convex !== 0) return convexIntersectionArea(a.ring, b.ring, b.convex);
  if (a.convex !== 0) return convexIntersectionArea(b.ring, a.ring, a.convex);
  return generalArea(a.ring, b.ring);
}

/** Area of the intersection of two regions. */
export function regionIntersectionArea(a: Region, b: Region): number {
  if (!boundsOverlap(a.bounds, b.bounds)) return 0;
  let s = 0;
  for (const pa of a.pieces) for (const pb of b.pieces) s += pa.sign * pb.sign * pieceArea(pa, pb);
  return s;
}

/**
 * `a` minus `b`, or null when polygon-clipping cannot compute it (the caller keeps `a` and says so).
 */
export function regionDifference(a: Region, b: Region): Region | null {
  try {
    return regionOfMulti(clip.difference(a.geom, b.geom));
  } catch {
    return null;
  }
}
