/**
 * `generateSynth`: renders a preset's images in parallel and writes them in ICDAR 2015 layout
 * (`images/img_<n>.jpg`, `gt/gt_img_<n>.txt`) with a `manifest.json` that records the seed, preset,
 * generator version, fonts and the sha256 of every file written. Nothing depends on the clock or
 * on Math.random: the same seed, preset, version, fonts and sharp build give the same bytes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import {
  InputError, defaultLogger, integerIn, oneOf, sha256, withDefaults, writeFileAtomic, writeJsonAtomic, type Logger,
} from '../../core';
import type { GtBox } from '../types';
import { resolveFamilies } from './fonts';
import { renderSynthImage } from './image';
import { PRESET_NAMES, PRESETS, SYNTH_VERSION, type PresetName, type SceneKind } from './presets';

export interface SynthOptions {
  /** Output folder, created if needed. Required. */
  out: string;
  /** Number of images; 0 means the preset's own count (200 for `default`). Default 0. */
  count: number;
  /** Seed, an integer in [0, 2^32 - 1]. Default 1. */
  seed: number;
  /** Preset name (see PRESETS). Default `default`. */
  preset: PresetName;
  /** Images rendered at once; 0 means the number of CPUs plus one (sharp works while JS draws). Default 0. */
  concurrency: number;
  /** Allow writing into a folder that already holds files. Default false. */
  overwrite: boolean;
  /** Where font warnings go. Default: the process-wide default logger. */
  logger: Logger | undefined;
  /** Called after each image is written. Default: none. */
  onProgress: ((done: number, total: number) => void) | undefined;
}

export const DEFAULT_SYNTH_OPTIONS: SynthOptions = {
  out: '',
  count: 0,
  seed: 1,
  preset: 'default',
  concurrency: 0,
  overwrite: false,
  logger: undefined,
  onProgress: undefined,
};

export interface SynthManifest {
  generator: 'detbench-synth';
  version: number;
  seed: number;
  preset: PresetName;
  count: number;
  format: 'icdar2015';
  fonts: { family: string; file: string; sha256: string }[];
  missingFonts: string[];
  sharp: string;
  libvips: string;
  counts: { images: number; boxes: number; dontCare: number; kinds: Record<SceneKind, number> };
  /** sha256 of every written file, by path relative to the output folder. */
  files: Record<string, string>;
}

export interface SynthResult {
  out: string;
  manifest: SynthManifest;
}

/** Writes one GT file's text: `x1,y1,…,x4,y4,transcription` per line, LF, trailing newline. */
export function formatIcdar15(boxes: GtBox[]): string {
  return boxes.map((b) => `${b.points.flat().join(',')},${b.text}\n`).join('');
}

/** Generates a synthetic dataset; resolves with its manifest once every file is written. */
export async function generateSynth(options: Partial<SynthOptions> & { out: string }): Promise<SynthResult> {
  const o = withDefaults('generateSynth options', DEFAULT_SYNTH_OPTIONS, options);
  if (typeof o.out !== 'string' || o.out === '') {
    throw new InputError('generateSynth needs an output folder', { subject: 'out', fix: 'pass { out: "path/to/folder" }' });
  }
  const presetName = oneOf('preset', o.preset, PRESET_NAMES);
  const preset = PRESETS[presetName];
  const seed = integerIn('seed', o.seed, 0, 0xffffffff);
  const count = integerIn('count', o.count, 0, 100000) || preset.count;
  const concurrency = integerIn('concurrency', o.concurrency, 0, 64) || os.availableParallelism() + 1;
  const logger = o.logger ?? defaultLogger();
  const out = path.resolve(o.out);
  if (!o.overwrite && fs.existsSync(out) && fs.readdirSync(out).length > 0) {
    throw new InputError(`Output folder ${out} is not empty`, {
      subject: out,
      fix: 'choose a new folder, empty this one, or pass overwrite (--overwrite)',
    });
  }

  const fonts = resolveFamilies(preset.families);
  if (fonts.missing.length > 0) {
    logger.warn(
      `synth: font families ${fonts.missing.map((m) => `${m.family} (${m.debian})`).join(', ')} are not installed; ` +
        'substitutes are used, so images differ from the reference set',
    );
  }
  fs.mkdirSync(path.join(out, 'images'), { recursive: true });
  fs.mkdirSync(path.join(out, 'gt'), { recursive: true });

  const files: Record<string, string> = {};
  const kinds: Record<SceneKind, number> = { scene: 0, sign: 0, document: 0 };
  let boxes = 0;
  let dontCare = 0;
  let next = 1;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next <= count) {
      const index = next++;
      const img = await renderSynthImage(seed, presetName, preset, index, fonts.substitute);
      const imageRel = `images/img_${index}.jpg`;
      const gtRel = `gt/gt_img_${index}.txt`;
      const gtText = formatIcdar15(img.boxes);
      writeFileAtomic(path.join(out, imageRel), img.jpeg);
      writeFileAtomic(path.join(out, gtRel), gtText);
      files[imageRel] = sha256(img.jpeg);
      files[gtRel] = sha256(gtText);
      kinds[img.kind]++;
      boxes += img.boxes.length;
      dontCare += img.boxes.filter((b) => b.dontCare).length;
      o.onProgress?.(++done, count);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));

  const sorted: Record<string, string> = {};
  for (const k of Object.keys(files).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) sorted[k] = files[k];
  const manifest: SynthManifest = {
    generator: 'detbench-synth',
    version: SYNTH_VERSION,
    seed,
    preset: presetName,
    count,
    format: 'icdar2015',
    fonts: fonts.found.map((f) => ({ family: f.family, file: f.file, sha256: f.sha256 })),
    missingFonts: fonts.missing.map((m) => m.family),
    sharp: sharp.versions.sharp ?? 'unknown',
    libvips: sharp.versions.vips,
    counts: { images: count, boxes, dontCare, kinds },
    files: sorted,
  };
  writeJsonAtomic(path.join(out, 'manifest.json'), manifest);
  return { out, manifest };
}
