/**
 * `loadDataset`: pairs images with ground-truth files, detects the format, parses every file and
 * lists what it left out (and why) instead of dropping anything silently.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { InputError, errorText, oneOf, withDefaults } from '../core';
import { parseIcdar13 } from './icdar13';
import { parseIcdar15 } from './icdar15';
import { datasetFolder, locateFolders } from './source';
import { coord, gtLines } from './text';
import { parseTotalText } from './totaltext';
import { DATASET_FORMATS, type Dataset, type DatasetFormat, type DatasetItem, type GtBox } from './types';

/** Parser per format: bytes and file name in, boxes out; throws InputError with file:line. */
export const PARSERS: Readonly<Record<DatasetFormat, (bytes: Uint8Array, file: string) => GtBox[]>> = {
  icdar2015: parseIcdar15,
  icdar2013: parseIcdar13,
  totaltext: parseTotalText,
};

export interface LoadOptions {
  /** Ground-truth format, or `auto` to detect it from the files. Default `auto`. */
  format: DatasetFormat | 'auto';
  /** Images folder, relative to the dataset root; detected (images/, imgs/, …) when empty. Default ''. */
  images: string;
  /** Ground-truth folder, relative to the dataset root; detected (gt/, gts/, …) when empty. Default ''. */
  gt: string;
  /** Throw on the first malformed GT file (true) or list it under `skipped` (false). Default true. */
  strict: boolean;
}

export const DEFAULT_LOAD_OPTIONS: LoadOptions = { format: 'auto', images: '', gt: '', strict: true };

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.gif', '.tif', '.tiff']);
const GT_PREFIXES = ['poly_gt_', 'gt_'];

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function gtId(file: string): string {
  const stem = path.basename(file, path.extname(file));
  for (const p of GT_PREFIXES) if (stem.startsWith(p)) return stem.slice(p.length);
  return stem;
}

/** Leading numeric fields of a comma- or space-separated line. */
function leadingNumbers(line: string): number {
  const fields = line.includes(',') ? line.split(',') : line.trim().split(/\s+/);
  let n = 0;
  while (n < fields.length && coord(fields[n]) !== undefined) n++;
  return n;
}

/** Guesses the format from the first lines of up to 20 GT files. */
export function detectFormat(samples: { file: string; bytes: Uint8Array }[]): DatasetFormat {
  const counts: number[] = [];
  for (const s of samples.slice(0, 20)) {
    let lines;
    try {
      lines = gtLines(s.bytes, s.file);
    } catch {
      continue;
    }
    for (const l of lines.slice(0, 50)) {
      if (/^\s*x:\s*\[\[/.test(l.text)) return 'totaltext';
      counts.push(leadingNumbers(l.text));
    }
  }
  if (counts.length === 0) return 'icdar2015';
  // Polygons of 3 or 5+ points only occur in Total-Text; odd counts are transcriptions that start
  // with a digit, and a few malformed lines should not outvote the rest (they fail later with file:line).
  if (counts.some((n) => n % 2 === 0 && (n === 6 || n >= 10))) return 'totaltext';
  const freq = new Map<number, number>();
  for (const n of counts) freq.set(n, (freq.get(n) ?? 0) + 1);
  const mode = [...freq].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  if (mode === 4) return 'icdar2013';
  if (mode >= 8) return 'icdar2015';
  throw new InputError(
    `Cannot tell the ground-truth format (lines start with ${[...new Set(counts)].sort().join(', ')} numbers)`,
    { subject: 'format', fix: `pass format: one of ${DATASET_FORMATS.join(', ')} (--format)` },
  );
}

/** Loads a dataset folder (images/ + gt/) or a zip of one. */
export async function loadDataset(datasetPath: string, options?: Partial<LoadOptions>): Promise<Dataset> {
  const o = withDefaults('loadDataset options', DEFAULT_LOAD_OPTIONS, options);
  if (o.format !== 'auto') oneOf('format', o.format, DATASET_FORMATS);
  const root = datasetFolder(datasetPath);
  const dirs = locateFolders(root, o.images || undefined, o.gt || (o.format === 'totaltext' && fs.existsSync(path.join(root, 'gt_poly')) ? 'gt_poly' : undefined));
  const skipped: Dataset['skipped'] = [];

  const images = new Map<string, string>();
  for (const name of fs.readdirSync(dirs.images).sort(naturalCompare)) {
    const p = path.join(dirs.images, name);
    if (name.startsWith('.') || fs.statSync(p).isDirectory()) continue;
    if (!IMAGE_EXT.has(path.extname(name).toLowerCase())) {
      skipped.push({ path: p, reason: `not an image file (extensions read: ${[...IMAGE_EXT].join(' ')})` });
      continue;
    }
    const id = path.basename(name, path.extname(name));
    if (images.has(id)) {
      skipped.push({ path: p, reason: `a second image with id ${id} (kept ${images.get(id)})` });
      continue;
    }
    images.set(id, p);
  }
  const gts = new Map<string, string>();
  for (const name of fs.readdirSync(dirs.gt).sort(naturalCompare)) {
    const p = path.join(dirs.gt, name);
    if (name.startsWith('.') || fs.statSync(p).isDirectory()) continue;
    if (path.extname(name).toLowerCase() !== '.txt') {
      skipped.push({ path: p, reason: 'not a .txt ground-truth file' });
      continue;
    }
    gts.set(gtId(name), p);
  }
  for (const [id, p] of gts) {
    if (!images.has(id)) skipped.push({ path: p, reason: `ground truth without an image (no ${id}.* in ${dirs.images})` });
  }

  const pairs = [...images].filter(([id, p]) => {
    if (gts.has(id)) return true;
    skipped.push({ path: p, reason: `image without ground truth (no gt_${id}.txt in ${dirs.gt})` });
    return false;
  });
  const bytes = new Map(pairs.map(([id]) => [id, fs.readFileSync(gts.get(id) as string)]));
  const format =
    o.format === 'auto' ? detectFormat(pairs.map(([id]) => ({ file: gts.get(id) as string, bytes: bytes.get(id) as Uint8Array }))) : o.format;
  const parse = PARSERS[format];

  const items: DatasetItem[] = [];
  await Promise.all(
    pairs.map(async ([id, imagePath]) => {
      const gtPath = gts.get(id) as string;
      let boxes: GtBox[];
      try {
        boxes = parse(bytes.get(id) as Uint8Array, gtPath);
      } catch (err) {
        if (o.strict) throw err;
        skipped.push({ path: gtPath, reason: errorText(err) });
        return;
      }
      try {
        const meta = await sharp(imagePath).metadata();
        if (!meta.width || !meta.height) throw new Error('no size in header');
        items.push({ id, imagePath, gtPath, boxes, size: { width: meta.width, height: meta.height } });
      } catch (err) {
        skipped.push({ path: imagePath, reason: `unreadable image: ${errorText(err)}` });
      }
    }),
  );
  items.sort((a, b) => naturalCompare(a.id, b.id));
  skipped.sort((a, b) => naturalCompare(a.path, b.path));
  return { root, format, items, skipped };
}
