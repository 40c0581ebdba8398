/**
 * Outer contours by border following (Moore neighbourhood, radial sweep, Jacob's stopping rule):
 * starting at a component's first pixel in raster order, walk its outer border clockwise on screen
 * with the region on the right. Holes are not traced: DB and PAN++ want the outer border only.
 */
import type { Point, Polygon } from '../core';
import { OptionError, oneOf, withDefaults } from '../core';
import { labelImage, type Components } from './components';

export interface ContourOptions {
  /**
   * 'none' keeps every border pixel; 'simple' keeps only the ends of straight stretches (OpenCV's
   * CHAIN_APPROX_SIMPLE), which describes the same polygon with far fewer vertices.
   * @default 'simple'
   */
  approx: 'none' | 'simple';
}

export const DEFAULT_CONTOUR_OPTIONS: ContourOptions = { approx: 'simple' };

// Clockwise on screen (y down), starting east.
const DX = [1, 1, 0, -1, -1, -1, 0, 1];
const DY = [0, 1, 1, 1, 0, -1, -1, -1];

/**
 * Traces the outer border of the region `labels == label` that contains `start`, which must be its
 * first pixel in raster order (its west, north-west, north and north-east neighbours are outside).
 * Pixel centres are at integer coordinates; a single pixel gives a one-point contour.
 */
export function traceOuterContour(
  labels: ArrayLike<number>,
  width: number,
  height: number,
  label: number,
  start: Point,
  options: Partial<ContourOptions> = {},
): Polygon {
  const { approx } = withDefaults('traceOuterContour options', DEFAULT_CONTOUR_OPTIONS, options);
  oneOf('approx', approx, ['none', 'simple'] as const);
  const [sx, sy] = start;
  const fg = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === label;
  if (!fg(sx, sy)) {
    throw new OptionError(`start pixel (${sx}, ${sy}) does not carry label ${label}`, {
      subject: 'start',
      fix: "pass the component's first pixel in raster order",
    });
  }
  // Next border direction from (x, y), sweeping clockwise from just after `back`.
  const sweep = (x: number, y: number, back: number): number => {
    for (let k = 1; k <= 8; k++) {
      const d = (back + k) & 7;
      if (fg(x + DX[d], y + DY[d])) return d;
    }
    return -1;
  };
  const first = sweep(sx, sy, 4);
  const pts: Polygon = [[sx, sy]];
  if (first < 0) return pts;
  let x = sx;
  let y = sy;
  let dir = first;
  // Every step visits a border pixel; 4 * pixels + 8 bounds it, so a bug cannot loop forever.
  for (let guard = 4 * width * height + 8; guard > 0; guard--) {
    x += DX[dir];
    y += DY[dir];
    const next = sweep(x, y, (dir + 4) & 7);
    if (x === sx && y === sy && next === first) break;
    pts.push([x, y]);
    dir = next;
  }
  return approx === 'simple' ? dropStraightPoints(pts) : pts;
}

/** Keeps the vertices where the chain changes direction. */
function dropStraightPoints(pts: Polygon): Polygon {
  const n = pts.length;
  if (n < 3) return pts;
  const out: Polygon = [];
  for (let i = 0; i < n; i++) {
    const p = pts[(i + n - 1) % n];
    const c = pts[i];
    const q = pts[(i + 1) % n];
    if (c[0] - p[0] !== q[0] - c[0] || c[1] - p[1] !== q[1] - c[1]) out.push(c);
  }
  return out.length > 0 ? out : [pts[0]];
}

/**
 * Outer contours of components `0 .. limit - 1` (all by default), in component order, clockwise
 * on screen. Builds one label image and traces each component from its first pixel.
 */
export function outerContours(
  components: Components,
  options: Partial<ContourOptions> & { limit?: number } = {},
): Polygon[] {
  const { limit, ...rest } = options;
  const labels = labelImage(components);
  const n = Math.min(components.count, limit ?? components.count);
  const out: Polygon[] = [];
  for (let c = 0; c < n; c++) {
    const k = components.firstRun[c];
    out.push(
      traceOuterContour(labels, components.width, components.height, c + 1, [components.runX0[k], components.runY[k]], rest),
    );
  }
  return out;
}
