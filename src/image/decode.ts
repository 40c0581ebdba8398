/**
 * Decoding any image sharp reads (JPEG, PNG, WebP, TIFF, GIF first frame, …) into 8-bit RGB, with EXIF
 * orientation applied and a pixel limit against decompression bombs. Every failure names the file.
 */
import * as fs from 'node:fs';
import sharp from 'sharp';
import { InputError, errorText } from '../core';

export interface DecodeOptions {
  /** Refuse images with more pixels than this (decompression-bomb guard). @default 100_000_000 */
  maxPixels: number;
  /** Refuse images smaller than this on either side. @default 8 */
  minSide: number;
}

export const DEFAULT_DECODE_OPTIONS: DecodeOptions = { maxPixels: 100_000_000, minSide: 8 };

/** An 8-bit RGB image, row-major, 3 bytes per pixel, orientation already applied. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

function label(input: string | Buffer): string {
  return typeof input === 'string' ? input : '<image buffer>';
}

/** Decodes `input` (a path or encoded bytes) to 8-bit RGB. */
export async function decodeImage(input: string | Buffer, options: Partial<DecodeOptions> = {}): Promise<RgbImage> {
  const o = { ...DEFAULT_DECODE_OPTIONS, ...options };
  const name = label(input);
  if (typeof input === 'string') {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch {
      throw new InputError(`Image not found: ${input}`, { subject: input, fix: 'check the path' });
    }
    if (st.isDirectory()) {
      throw new InputError(`Expected an image file but ${input} is a directory`, { subject: input, fix: `pass the images inside it, e.g. ${input}/*.jpg` });
    }
    if (st.size === 0) throw new InputError(`Image file is empty (0 bytes): ${input}`, { subject: input, fix: 'the file was not written completely; copy it again' });
  } else if (input.length === 0) {
    throw new InputError('Image buffer is empty', { subject: name });
  }
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new InputError(`Cannot read ${name} as an image: ${errorText(err)}`, {
      subject: name,
      fix: 'pass a JPEG, PNG, WebP, TIFF or GIF file (is it a text file or a truncated download?)',
      cause: err,
    });
  }
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (width * height > o.maxPixels) {
    throw new InputError(`${name} is ${width}x${height} = ${width * height} pixels, over the limit of ${o.maxPixels}`, {
      subject: name,
      fix: 'downscale the image first, or raise maxPixels (--max-pixels) if you trust the file',
    });
  }
  if (width < o.minSide || height < o.minSide) {
    throw new InputError(`${name} is ${width}x${height}, too small for text detection (each side must be >= ${o.minSide} px)`, {
      subject: name,
      fix: 'pass the full-size image, not a thumbnail or a placeholder',
    });
  }
  try {
    // failOn 'error' rejects truncated files instead of returning a half-grey image.
    const { data, info } = await sharp(input, { failOn: 'error', limitInputPixels: o.maxPixels })
      .rotate() // EXIF orientation
      .flatten({ background: { r: 255, g: 255, b: 255 } }) // alpha over white, as paper
      .toColourspace('srgb') // grey, CMYK, 16-bit become sRGB
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw new InputError(`Cannot decode ${name}: ${errorText(err)}`, {
      subject: name,
      fix: 'the file is damaged or truncated; re-export or re-download it',
      cause: err,
    });
  }
}
