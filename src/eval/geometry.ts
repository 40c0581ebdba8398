/**
 * Plane geometry for evaluation: areas, intersections and point-in-polygon tests.
 *
 * General boolean operations go through `polygon-clipping` (see `region.ts` for when they are
 * needed at all). Everything else is written to reproduce the arithmetic of the reference
 * implementation (CLEval on the `Polygon3` C library) operation for operation, because CLEval
 * compares float32 area ratios against thresholds and a different rounding could flip a match.
 */
import * as clip from 'polygon-clipping';
import type { Point } from '../core';

/** A region after boolean operations: polygons, each an outer ring followed by hole rings. */
export type MultiRing = clip.MultiPolygon;

/** Axis-aligned bounds, used to skip pairs that cannot overlap before any clipping. */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function boundsOf(points: readonly Point[]): Bounds {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of points) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

/** Closed-interval overlap: touching boxes still go to the exact test (it returns area 0). */
export function boundsOverlap(a: Bounds, b: Bounds): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;
}

/**
 * Unsigned shoelace area of one ring, summed as Polygon3's `poly_c_area` does. For a
 * self-crossing ring this is |A1 - A2| rather than A1 + A2, exactly as the reference computes a
 * detection's own area.
 */
export function ringArea(ring: readonly Point[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  let a = 0;
  for (let i = 0; i < n - 1; i++) a += (ring[i][0] + ring[i + 1][0]) * (ring[i + 1][1] - ring[i][1]);
  a += (ring[n - 1][0] + ring[0][0]) * (ring[0][1] - ring[n - 1][1]);
  return 0.5 * Math.abs(a);
}

/** Area of a clipped region: outer rings count, holes subtract. */
export function multiArea(region: MultiRing): number {
  let a = 0;
  for (const poly of region) {
    for (let r = 0; r < poly.length; r++) a += (r === 0 ? 1 : -1) * ringArea(poly[r] as Point[]);
  }
  return a;
}

/** A ring as polygon-clipping input (it closes rings itself and accepts any winding). */
export function asGeom(ring: readonly Point[]): clip.Polygon {
  return [ring.map((p) => [p[0], p[1]] as clip.Pair)];
}

/**
 * Intersection area of two regions. Self-crossing input is read with the non-zero rule by
 * polygon-clipping and the even-odd rule by Polygon3; for four-vertex rings the two agree
 * (a bow-tie's lobes wind +1 and -1).
 */
export function intersectionArea(a: clip.Geom, b: clip.Geom): number {
  const out = clip.intersection(a, b);
  return out.length === 0 ? 0 : multiArea(out);
}

/**
 * Even-odd crossing test with half-open edges (`vi.y <= y < vj.y`), the arithmetic of Polygon3's
 * `poly_c_point_inside`: a point on a left or bottom edge is inside, on a right or top edge
 * outside. Used for pseudo-character centres.
 */
export function pointInRing(ring: readonly Point[], x: number, y: number): boolean {
  let c = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
    if ((yi <= y && y < yj) || (yj <= y && y < yi)) {
      if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
  }
  return c;
}

/** Euclidean distance written as the reference writes it (not `Math.hypot`, which rounds differently). */
export function distance(a: readonly number[], b: readonly number[]): number {
  const dx = Math.abs(a[0] - b[0]);
  const dy = Math.abs(a[1] - b[1]);
  return Math.sqrt(dx * dx + dy * dy);
}

export { roundHalfEven } from '../core';

/**
 * Orientation of a convex ring of at most four vertices: +1 or -1, or 0 when the ring is not
 * convex (or is degenerate). Four vertices whose turns all go one way form a simple convex quad,
 * so the fast intersection below is exact for them; anything else goes to polygon-clipping.
 */
export function convexSign(ring: readonly Point[]): number {
  const n = ring.length;
  if (n > 4) return 0;
  let sign = 0;
  for (let i = 0; i < n; i++) {
    const a = ring[i], b = ring[(i + 1) % n], c = ring[(i + 2) % n];
    const cr = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
    if (cr === 0) continue;
    const s = cr > 0 ? 1 : -1;
    if (sign === 0) sign = s;
    else if (s !== sign) return 0;
  }
  return sign;
}

/**
 * Intersection area of a simple `subject` ring and a convex `clip` ring of orientation `clipSign`
 * (Sutherland-Hodgman; for a concave subject the output may hold zero-width bridges, which add no
 * area). With ~10,000 boxes per 100 images nearly every overlapping pair is two convex quads, and
 * this is ~50x cheaper than a general sweep.
 */
export function convexIntersectionArea(subject: readonly Point[], clip: readonly Point[], clipSign: number): number {
  // Ping-pong between two scratch buffers (x, y interleaved): no allocation per call.
  let n = subject.length;
  let si: 0 | 1 = 0;
  let src = scratch(si, n);
  for (let i = 0; i < n; i++) {
    src[2 * i] = subject[i][0];
    src[2 * i + 1] = subject[i][1];
  }
  const m = clip.length;
  for (let e = 0; e < m && n > 0; e++) {
    const c1x = clip[e][0], c1y = clip[e][1];
    const ex = clip[(e + 1) % m][0] - c1x, ey = clip[(e + 1) % m][1] - c1y;
    // A half-plane cut of an n-gon has at most 2n vertices (n for a convex subject).
    const dst = scratch(si === 0 ? 1 : 0, 2 * n);
    let out = 0;
    let px = src[2 * n - 2], py = src[2 * n - 1];
    let ps = clipSign * (ex * (py - c1y) - ey * (px - c1x));
    for (let i = 0; i < n; i++) {
      const cx = src[2 * i], cy = src[2 * i + 1];
      const cs = clipSign * (ex * (cy - c1y) - ey * (cx - c1x));
      if ((cs >= 0) !== (ps >= 0)) {
        const t = ps / (ps - cs);
        dst[2 * out] = px + t * (cx - px);
        dst[2 * out + 1] = py + t * (cy - py);
        out++;
      }
      if (cs >= 0) {
        dst[2 * out] = cx;
        dst[2 * out + 1] = cy;
        out++;
      }
      px = cx;
      py = cy;
      ps = cs;
    }
    si = si === 0 ? 1 : 0;
    src = dst;
    n = out;
  }
  if (n < 3) return 0;
  let a = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    a += (src[2 * i] + src[2 * j]) * (src[2 * j + 1] - src[2 * i + 1]);
  }
  return 0.5 * Math.abs(a);
}

const scratchBuffers: Float64Array[] = [new Float64Array(64), new Float64Array(64)];

/** A reusable buffer holding at least `points` interleaved points. */
function scratch(which: 0 | 1, points: number): Float64Array {
  if (scratchBuffers[which].length < 2 * points) scratchBuffers[which] = new Float64Array(4 * points);
  return scratchBuffers[which];
}

/**
 * For each `a` box, the indices (ascending) of `b` boxes whose bounds overlap it. Boxes of `b`
 * are bucketed into horizontal bands about one box high, so a page of text costs about
 * linear time instead of every pair.
 */
export function overlappingPairs(a: readonly Bounds[], b: readonly Bounds[]): number[][] {
  if (b.length === 0) return a.map(() => []);
  let lo = Infinity, hi = -Infinity, hSum = 0;
  for (const x of b) {
    if (x.minY < lo) lo = x.minY;
    if (x.maxY > hi) hi = x.maxY;
    hSum += x.maxY - x.minY;
  }
  const band = Math.max(1, hSum / b.length, (hi - lo) / 4096);
  const nBands = Math.floor((hi - lo) / band) + 1;
  const bandOf = (y: number) => Math.min(nBands - 1, Math.max(0, Math.floor((y - lo) / band)));
  const buckets: number[][] = Array.from({ length: nBands }, () => []);
  b.forEach((x, j) => {
    for (let k = bandOf(x.minY); k <= bandOf(x.maxY); k++) buckets[k].push(j);
  });
  const seen = new Int32Array(b.length).fill(-1);
  return a.map((x, i) => {
    const out: number[] = [];
    if (x.maxY < lo || x.minY > hi) return out;
    for (let k = bandOf(x.minY); k <= bandOf(x.maxY); k++) {
      for (const j of buckets[k]) {
        if (seen[j] === i) continue;
        seen[j] = i;
        if (boundsOverlap(x, b[j])) out.push(j);
      }
    }
    return out.sort((p, q) => p - q);
  });
}
