/** The dataset contract other stages build on (evaluation, profiles, notebooks). */
import type { ImageSize, Polygon } from '../core';

/** One ground-truth text region. */
export interface GtBox {
  /** Quad (ICDAR 2015, Total-Text quads), rectangle as 4 points (ICDAR 2013) or polygon (Total-Text). */
  points: Polygon;
  /** Transcription; `###` for don't-care regions. */
  text: string;
  /** Ignored by the metrics: neither a miss nor a false detection. */
  dontCare: boolean;
}

export interface DatasetItem {
  /** Image file name without extension, e.g. `img_12`. */
  id: string;
  imagePath: string;
  gtPath?: string;
  boxes: GtBox[];
  /** Pixel size read from the image header while loading. */
  size?: ImageSize;
}

export type DatasetFormat = 'icdar2015' | 'icdar2013' | 'totaltext';
export const DATASET_FORMATS: readonly DatasetFormat[] = ['icdar2015', 'icdar2013', 'totaltext'];

export interface Dataset {
  /** The folder (or, for a zip, the folder it was unpacked to) holding images/ and gt/. */
  root: string;
  format: DatasetFormat;
  items: DatasetItem[];
  /** Files left out, with why: images without GT, GT without image, unreadable images. */
  skipped: { path: string; reason: string }[];
}
