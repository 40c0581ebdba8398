/**
 * The host side of the I/O formats: the feed for an image, and the probability map back as float32
 * for the post-processor.
 */
import * as ort from 'onnxruntime-node';
import { InputError, OptionError } from '../../core';
import { normalizeInto, type RgbImage } from '../../image';
import type { InputSpec } from '../../models';
import { INPUT_FORMATS, OUTPUT_FORMATS, type InputFormat, type OutputFormat } from './formats';

/**
 * The feed tensor for `img` (already resized to the tensor's content size) in `format`, padded with
 * zero bytes to `width` x `height` when those are larger. `spec` is used only by `float32`.
 */
export function imageFeed(format: InputFormat, img: RgbImage, spec: InputSpec, width = img.width, height = img.height): ort.Tensor {
  if (!INPUT_FORMATS.includes(format)) throw new OptionError(`Unknown input format ${JSON.stringify(format)}; valid: ${INPUT_FORMATS.join(', ')}`);
  if (width < img.width || height < img.height) {
    throw new InputError(`Image ${img.width}x${img.height} does not fit a ${width}x${height} tensor`, { fix: 'resize the image to the model input size first (targetSize + resizeRgb)' });
  }
  if (format === 'float32') {
    const data = new Float32Array(3 * width * height);
    normalizeInto(img, spec, data, width, height);
    return new ort.Tensor('float32', data, [1, 3, height, width]);
  }
  if (format === 'uint8-nchw') {
    const plane = width * height;
    const out = new Uint8Array(3 * plane);
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const s = (y * img.width + x) * 3;
        const d = y * width + x;
        out[d] = img.data[s];
        out[plane + d] = img.data[s + 1];
        out[2 * plane + d] = img.data[s + 2];
      }
    }
    return new ort.Tensor('uint8', out, [1, 3, height, width]);
  }
  // NHWC bytes: the decoder's buffer as is when no padding is needed and it is word-aligned.
  let bytes: Uint8Array;
  if (width === img.width && height === img.height) {
    bytes = img.data.byteOffset % 4 === 0 ? new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.length) : Uint8Array.from(img.data);
  } else {
    bytes = new Uint8Array(3 * width * height);
    for (let y = 0; y < img.height; y++) bytes.set(img.data.subarray(y * img.width * 3, (y + 1) * img.width * 3), y * width * 3);
  }
  if (format === 'uint8-nhwc') return new ort.Tensor('uint8', bytes, [1, height, width, 3]);
  if ((width * 3) % 4 !== 0) {
    throw new InputError(`packed-nhwc needs a width that is a multiple of 4, got ${width}`, { fix: 'use a resize policy with multiple 32 (PaddleOCR default) or the uint8-nhwc format' });
  }
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  return new ort.Tensor('uint32', words, [1, height, (width * 3) / 4]);
}

let halfTable: Float32Array | undefined;

/** float16 bits to float32 values, through a 65536-entry table (built once, 256 KiB). */
export function halfToFloat(bits: Uint16Array, out = new Float32Array(bits.length)): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) {
      const s = h & 0x8000 ? -1 : 1;
      const e = (h >> 10) & 0x1f;
      const f = h & 0x3ff;
      halfTable[h] = e === 0 ? s * f * 2 ** -24 : e === 31 ? (f ? NaN : s * Infinity) : s * (1 + f / 1024) * 2 ** (e - 15);
    }
  }
  for (let i = 0; i < bits.length; i++) out[i] = halfTable[bits[i]];
  return out;
}

const LEVELS = Float32Array.from({ length: 256 }, (_, q) => q / 255);

/** The first image's probability map of an output tensor in `format`, as float32. */
export function readProbability(t: ort.Tensor, format: OutputFormat): { data: Float32Array; width: number; height: number } {
  if (!OUTPUT_FORMATS.includes(format)) throw new OptionError(`Unknown output format ${JSON.stringify(format)}; valid: ${OUTPUT_FORMATS.join(', ')}`);
  const dims = t.dims as number[];
  const height = dims[2];
  const width = format === 'packed-uint8' ? dims[3] * 4 : dims[3];
  const n = width * height;
  switch (format) {
    case 'float32':
      return { data: (t.data as Float32Array).subarray(0, n), width, height };
    case 'float16':
      return { data: halfToFloat((t.data as Uint16Array).subarray(0, n)), width, height };
    case 'uint8':
    case 'packed-uint8': {
      const src = t.data as Uint8Array | Uint32Array;
      const bytes = format === 'uint8' ? (src as Uint8Array) : new Uint8Array(src.buffer, src.byteOffset, n);
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = LEVELS[bytes[i]];
      return { data, width, height };
    }
  }
}
