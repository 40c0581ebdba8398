/**
 * Renders every word of an image once, untransformed, into one SVG "atlas" (one sharp call per
 * image instead of one per word), then cuts out each word's alpha mask and measures its ink box
 * from the pixels. The ink box, not the font metrics, is what the ground-truth quad is built from.
 */
import sharp from 'sharp';
import type { Box } from './geometry';

export interface WordStyle {
  text: string;
  /** Family name as fontconfig knows it (already resolved to an installed pinned family). */
  family: string;
  bold: boolean;
  italic: boolean;
  /** Font size in pixels (em size). */
  size: number;
  /** Letters stacked top to bottom instead of a horizontal run. */
  stacked: boolean;
}

export interface WordMask {
  width: number;
  height: number;
  /** Alpha coverage 0..255, row-major, `width * height`. */
  alpha: Uint8Array;
  /** Continuous ink box in mask pixel coordinates (pixel i spans [i, i+1)). */
  ink: Box;
  /** Baseline y in mask coordinates (horizontal words), for aligning words of one line. */
  baseline: number;
}

/** Empty pixels kept around the ink in each mask, so bilinear sampling fades to zero. */
const MASK_MARGIN = 2;

interface Cell {
  x: number;
  y: number;
  w: number;
  h: number;
  baseline: number;
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cellSize(w: WordStyle, slack: number): { w: number; h: number } {
  const pad = Math.ceil(w.size * 0.3) + 4;
  if (w.stacked) {
    return { w: Math.ceil(w.size * 1.6 * slack) + 2 * pad, h: Math.ceil(w.size * (1.25 * w.text.length + 0.6)) + 2 * pad };
  }
  return { w: Math.ceil(w.size * (0.95 * w.text.length + 0.6) * slack) + 2 * pad, h: Math.ceil(w.size * 1.8 * slack) + 2 * pad };
}

function textElements(w: WordStyle, cell: Cell): string {
  const attrs =
    `font-family="${escapeXml(w.family)}" font-size="${w.size}" font-weight="${w.bold ? 'bold' : 'normal'}" ` +
    `font-style="${w.italic ? 'italic' : 'normal'}" fill="#000"`;
  if (!w.stacked) {
    return `<text x="${cell.x + Math.ceil(w.size * 0.3) + 4}" y="${cell.y + cell.baseline}" ${attrs}>${escapeXml(w.text)}</text>`;
  }
  const cx = cell.x + Math.round(cell.w / 2);
  return [...w.text]
    .map((ch, i) => {
      const y = cell.y + Math.ceil(w.size * 0.3) + 4 + Math.round(w.size * (1.0 + 1.25 * i));
      return `<text x="${cx}" y="${y}" text-anchor="middle" ${attrs}>${escapeXml(ch)}</text>`;
    })
    .join('');
}

let textQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs SVG text renders one after another. librsvg lays text out through pango and fontconfig,
 * which crash (SIGSEGV, about one run in two of the 200-image preset on two cores) when several
 * libvips threads shape text at once; text-free background SVGs still render in parallel.
 */
function oneAtATime<T>(job: () => Promise<T>): Promise<T> {
  const run = textQueue.then(job, job);
  textQueue = run.catch(() => undefined);
  return run;
}

/** Shelf-packs the cells left to right, top to bottom. */
function pack(words: WordStyle[], slack: number): { cells: Cell[]; width: number; height: number } {
  const sizes = words.map((w) => cellSize(w, slack));
  const width = Math.max(1024, ...sizes.map((s) => s.w));
  const cells: Cell[] = [];
  let x = 0;
  let y = 0;
  let shelf = 0;
  for (let i = 0; i < words.length; i++) {
    const s = sizes[i];
    if (x + s.w > width) {
      x = 0;
      y += shelf;
      shelf = 0;
    }
    const pad = Math.ceil(words[i].size * 0.3) + 4;
    cells.push({ x, y, w: s.w, h: s.h, baseline: pad + Math.round(words[i].size * 1.25 * slack) });
    x += s.w;
    shelf = Math.max(shelf, s.h);
  }
  return { cells, width, height: Math.max(1, y + shelf) };
}

/** Renders the words and returns one mask per word, in order. Words whose ink reached their cell's edge are rendered again with more room. */
export async function renderMasks(words: WordStyle[], slack = 1): Promise<WordMask[]> {
  if (words.length === 0) return [];
  const { cells, width, height } = pack(words, slack);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    words.map((w, i) => textElements(w, cells[i])).join('') +
    '</svg>';
  const { data } = await oneAtATime(() =>
    sharp(Buffer.from(svg), { limitInputPixels: false }).extractChannel(3).raw().toBuffer({ resolveWithObject: true }),
  );
  const out: (WordMask | undefined)[] = [];
  const retry: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const c = cells[i];
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -1;
    let y1 = -1;
    for (let y = c.y; y < c.y + c.h; y++) {
      const row = y * width;
      for (let x = c.x; x < c.x + c.w; x++) {
        if (data[row + x] > 0) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    if (x1 < 0) throw new RangeError(`word ${JSON.stringify(words[i].text)} rendered no ink`);
    if (x0 === c.x || y0 === c.y || x1 === c.x + c.w - 1 || y1 === c.y + c.h - 1) {
      retry.push(i);
      out.push(undefined);
      continue;
    }
    const mw = x1 - x0 + 1 + 2 * MASK_MARGIN;
    const mh = y1 - y0 + 1 + 2 * MASK_MARGIN;
    const alpha = new Uint8Array(mw * mh);
    for (let y = y0; y <= y1; y++) {
      const src = y * width;
      alpha.set(data.subarray(src + x0, src + x1 + 1), (y - y0 + MASK_MARGIN) * mw + MASK_MARGIN);
    }
    out.push({
      width: mw,
      height: mh,
      alpha,
      ink: { x0: MASK_MARGIN, y0: MASK_MARGIN, x1: mw - MASK_MARGIN, y1: mh - MASK_MARGIN },
      baseline: c.y + c.baseline - y0 + MASK_MARGIN,
    });
  }
  if (retry.length > 0) {
    if (slack > 4) throw new RangeError(`word ${JSON.stringify(words[retry[0]].text)} does not fit its cell`);
    const again = await renderMasks(retry.map((i) => words[i]), slack * 2);
    retry.forEach((i, k) => (out[i] = again[k]));
  }
  return out as WordMask[];
}
