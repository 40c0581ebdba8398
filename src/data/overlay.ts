/**
 * Ground truth and detections drawn over an image, for notebooks and reports. With `matched`
 * given, colours say what evaluation decided: matched (green), missed ground truth (red), false
 * detection (orange), don't-care (grey, dashed). Without it, ground truth is blue and detections
 * magenta. The legend lists only the categories present.
 */
import sharp from 'sharp';
import { InputError, integerIn, numberIn, withDefaults, type DetBox, type Polygon } from '../core';
import type { GtBox } from './types';

/** One ground-truth box matched to one detection (indices into the layers' arrays). Split and merged matches are several pairs. */
export interface OverlayMatch {
  gt: number;
  det: number;
}

export interface OverlayLayers {
  gt?: GtBox[];
  detections?: DetBox[];
  /** The matches evaluation found; switches on matched / missed / false colouring. */
  matched?: OverlayMatch[];
  /** Detections evaluation ignored (they fall on don't-care regions): drawn grey. */
  ignoredDetections?: number[];
}

export interface OverlayOptions {
  /** Downscale so the longer side is at most this many pixels (0 keeps the size). Default 0. */
  maxSide: number;
  /** Line width in output pixels (0 = about 0.25% of the longer side, at least 2). Default 0. */
  strokeWidth: number;
  /** Draw the colour legend in the top-left corner. Default true. */
  legend: boolean;
  /** Write each ground-truth transcription next to its box. Default false. */
  labels: boolean;
}

export const DEFAULT_OVERLAY_OPTIONS: OverlayOptions = { maxSide: 0, strokeWidth: 0, legend: true, labels: false };

/** Overlay colours by category, shared with the legend. */
export const OVERLAY_COLORS = {
  gt: '#2f7bff',
  detection: '#e038d8',
  matched: '#19c24a',
  missed: '#ff2d2d',
  false: '#ff9900',
  dontCare: '#a0a0a0',
} as const;

type Category = keyof typeof OVERLAY_COLORS;

const LEGEND_TEXT: Record<Category, string> = {
  gt: 'ground truth',
  detection: 'detection',
  matched: 'matched',
  missed: 'missed (GT)',
  false: 'false detection',
  dontCare: "don't care",
};

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function checkIndex(name: string, i: number, length: number): void {
  integerIn(name, i, 0, Math.max(0, length - 1));
}

/** PNG of `imagePath` with the layers drawn on it. */
export async function drawOverlay(imagePath: string, layers: OverlayLayers, options?: Partial<OverlayOptions>): Promise<Buffer> {
  const o = withDefaults('drawOverlay options', DEFAULT_OVERLAY_OPTIONS, options);
  integerIn('maxSide', o.maxSide, 0);
  numberIn('strokeWidth', o.strokeWidth, 0);
  const gt = layers.gt ?? [];
  const dets = layers.detections ?? [];
  for (const m of layers.matched ?? []) {
    checkIndex('matched[].gt', m.gt, gt.length);
    checkIndex('matched[].det', m.det, dets.length);
  }
  let meta: sharp.Metadata;
  try {
    meta = await sharp(imagePath).metadata();
  } catch (err) {
    throw new InputError(`Cannot read image ${imagePath}: ${(err as Error).message}`, {
      subject: imagePath,
      fix: 'check that the file exists and is a JPEG, PNG or WebP image',
      cause: err,
    });
  }
  const width0 = meta.width ?? 0;
  const height0 = meta.height ?? 0;
  const scale = o.maxSide > 0 && Math.max(width0, height0) > o.maxSide ? o.maxSide / Math.max(width0, height0) : 1;
  const width = Math.max(1, Math.round(width0 * scale));
  const height = Math.max(1, Math.round(height0 * scale));
  const stroke = o.strokeWidth > 0 ? o.strokeWidth : Math.max(2, Math.round(Math.max(width, height) / 400));

  const matchedGt = new Set((layers.matched ?? []).map((m) => m.gt));
  const matchedDet = new Set((layers.matched ?? []).map((m) => m.det));
  const ignored = new Set(layers.ignoredDetections ?? []);
  const evaluated = layers.matched !== undefined;
  const used = new Set<Category>();
  const shapes: string[] = [];
  const poly = (points: Polygon, cat: Category, dashed: boolean): void => {
    used.add(cat);
    const pts = points.map(([x, y]) => `${(x * scale).toFixed(1)},${(y * scale).toFixed(1)}`).join(' ');
    const dash = dashed ? ` stroke-dasharray="${stroke * 3},${stroke * 2}"` : '';
    shapes.push(`<polygon points="${pts}" fill="none" stroke="${OVERLAY_COLORS[cat]}" stroke-width="${stroke}"${dash}/>`);
  };
  gt.forEach((b, i) => {
    const cat: Category = b.dontCare ? 'dontCare' : !evaluated ? 'gt' : matchedGt.has(i) ? 'matched' : 'missed';
    poly(b.points, cat, b.dontCare);
    if (o.labels && !b.dontCare && b.points.length > 0) {
      const [x, y] = b.points[0];
      shapes.push(
        `<text x="${(x * scale).toFixed(1)}" y="${(y * scale - stroke).toFixed(1)}" font-family="DejaVu Sans, sans-serif" font-size="${stroke * 6}" fill="${OVERLAY_COLORS[cat]}">${escapeXml(b.text)}</text>`,
      );
    }
  });
  dets.forEach((d, i) => {
    const cat: Category = ignored.has(i) ? 'dontCare' : !evaluated ? 'detection' : matchedDet.has(i) ? 'matched' : 'false';
    poly(d.points, cat, false);
  });
  if (o.legend && used.size > 0) {
    const fs = Math.max(12, stroke * 6);
    const cats = (Object.keys(OVERLAY_COLORS) as Category[]).filter((c) => used.has(c));
    const boxW = fs * 9;
    const boxH = fs * 1.5 * cats.length + fs * 0.5;
    shapes.push(`<rect x="0" y="0" width="${boxW}" height="${boxH}" fill="#000" opacity="0.6"/>`);
    cats.forEach((c, k) => {
      const y = fs * 0.5 + k * fs * 1.5;
      shapes.push(`<rect x="${fs * 0.4}" y="${y}" width="${fs}" height="${fs}" fill="${OVERLAY_COLORS[c]}"/>`);
      shapes.push(
        `<text x="${fs * 1.8}" y="${y + fs * 0.85}" font-family="DejaVu Sans, sans-serif" font-size="${fs}" fill="#fff">${LEGEND_TEXT[c]}</text>`,
      );
    });
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`;
  let img = sharp(imagePath);
  if (scale !== 1) img = img.resize(width, height);
  return img.composite([{ input: Buffer.from(svg), top: 0, left: 0 }]).png().toBuffer();
}
