/**
 * Dataset summary for notebooks and the shape-profile stage: one record per image and one per
 * box (plain arrays), plus the same as danfojs DataFrames.
 */
import sharp from 'sharp';
import { errorText, type Polygon } from '../core';
import type { Dataset } from './types';

export interface ImageRecord {
  id: string;
  width: number;
  height: number;
  /** width / height */
  aspect: number;
  orientation: 'landscape' | 'portrait' | 'square';
  boxes: number;
  dontCare: number;
}

export interface BoxRecord {
  imageId: string;
  /** Text height: the shorter of the box's mean side lengths (pixels). */
  height: number;
  /** Text length along the reading direction (pixels). */
  length: number;
  /** Angle of the first edge in degrees, -180..180. */
  angle: number;
  points: number;
  dontCare: boolean;
  chars: number;
}

export interface DatasetSummary {
  images: ImageRecord[];
  boxes: BoxRecord[];
  /** Images whose size could not be read, with why. */
  errors: { id: string; error: string }[];
}

function sides(p: Polygon): { height: number; length: number; angle: number } {
  const d = (a: number, b: number) => Math.hypot(p[a][0] - p[b][0], p[a][1] - p[b][1]);
  const n = p.length;
  if (n !== 4) {
    // Polygons (Total-Text): fall back to the bounding box.
    const xs = p.map((q) => q[0]);
    const ys = p.map((q) => q[1]);
    const w = Math.max(...xs) - Math.min(...xs);
    const h = Math.max(...ys) - Math.min(...ys);
    return { height: Math.min(w, h), length: Math.max(w, h), angle: 0 };
  }
  const a = (d(0, 1) + d(2, 3)) / 2;
  const b = (d(1, 2) + d(3, 0)) / 2;
  const angle = (Math.atan2(p[1][1] - p[0][1], p[1][0] - p[0][0]) * 180) / Math.PI;
  return { height: Math.min(a, b), length: Math.max(a, b), angle };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Image sizes, boxes per image and text heights of a loaded dataset. Pure: the dataset is not changed. */
export async function summarizeDataset(ds: Dataset): Promise<DatasetSummary> {
  const images: ImageRecord[] = [];
  const boxes: BoxRecord[] = [];
  const errors: DatasetSummary['errors'] = [];
  for (const item of ds.items) {
    let size = item.size;
    if (!size) {
      try {
        const m = await sharp(item.imagePath).metadata();
        size = { width: m.width ?? 0, height: m.height ?? 0 };
      } catch (err) {
        errors.push({ id: item.id, error: errorText(err) });
        continue;
      }
    }
    const aspect = size.width / size.height;
    images.push({
      id: item.id,
      width: size.width,
      height: size.height,
      aspect: round2(aspect),
      orientation: Math.abs(aspect - 1) < 0.05 ? 'square' : aspect > 1 ? 'landscape' : 'portrait',
      boxes: item.boxes.length,
      dontCare: item.boxes.filter((b) => b.dontCare).length,
    });
    for (const b of item.boxes) {
      const s = sides(b.points);
      boxes.push({
        imageId: item.id,
        height: round2(s.height),
        length: round2(s.length),
        angle: round2(s.angle),
        points: b.points.length,
        dontCare: b.dontCare,
        chars: b.dontCare ? 0 : [...b.text].length,
      });
    }
  }
  return { images, boxes, errors };
}

/**
 * The part of a danfojs DataFrame this project relies on. danfojs ships its types behind package
 * `exports`, which this project's `moduleResolution: node` cannot see; notebooks get the full object.
 */
export interface SummaryDataFrame {
  shape: number[];
  columns: string[];
  values: unknown[];
  print(): void;
  toJSON(options?: { format?: 'column' | 'row' }): unknown;
  [method: string]: unknown;
}

/** The summary as a danfojs DataFrame: one row per image (default) or per box. */
export function summaryFrame(summary: DatasetSummary, table: 'images' | 'boxes' = 'images'): SummaryDataFrame {
  // Loaded on demand: danfojs is heavy and only notebooks need it.
  const dfd = require('danfojs') as { DataFrame: new (rows: unknown[]) => SummaryDataFrame };
  const rows = table === 'images' ? summary.images : summary.boxes.map((b) => ({ ...b, dontCare: b.dontCare ? 1 : 0 }));
  if (rows.length === 0) return new dfd.DataFrame([]);
  return new dfd.DataFrame(rows as unknown as Record<string, unknown>[]);
}

/** Counts of images by orientation and long-side band: the shape spread the profile stage needs. */
export function shapeTable(summary: DatasetSummary): { orientation: string; longSide: string; images: number }[] {
  const bands: [number, number][] = [[0, 640], [640, 960], [960, 1280], [1280, 1920], [1920, Infinity]];
  const out: { orientation: string; longSide: string; images: number }[] = [];
  for (const orientation of ['landscape', 'portrait', 'square'] as const) {
    for (const [lo, hi] of bands) {
      const n = summary.images.filter((i) => i.orientation === orientation && Math.max(i.width, i.height) >= lo && Math.max(i.width, i.height) < hi).length;
      if (n > 0) out.push({ orientation, longSide: hi === Infinity ? `>=${lo}` : `${lo}-${hi - 1}`, images: n });
    }
  }
  return out;
}
