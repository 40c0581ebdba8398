/**
 * Resize + normalise an RGB image into the model's input tensor (NCHW float32), keeping what is
 * needed to map boxes back to the original image.
 */
import sharp from 'sharp';
import type { InputSpec, ResizePolicy } from '../models';
import type { RgbImage } from './decode';
import { targetSize } from './resize';

export interface ImageTensor {
  /** NCHW float32 data, N = 1. */
  data: Float32Array;
  dims: [1, 3, number, number];
  /** Original image size (after EXIF orientation). */
  srcWidth: number;
  srcHeight: number;
  /** Width and height of the image content inside the tensor (less than dims when padded). */
  contentWidth: number;
  contentHeight: number;
}

/** Resizes 8-bit RGB to exactly `width` x `height` (bilinear, like cv2.INTER_LINEAR). */
export async function resizeRgb(img: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (img.width === width && img.height === height) return img;
  const data = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return { data, width, height };
}

/**
 * Writes `(v * scale - mean) / std` into CHW planes in the spec's channel order. `out` may be larger
 * than the image (padding, filled with the normalised value of `padValue`).
 */
export function normalizeInto(
  img: RgbImage, spec: InputSpec, out: Float32Array, outWidth: number, outHeight: number, padValue = 0,
): void {
  const plane = outWidth * outHeight;
  const order = spec.channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  for (let c = 0; c < 3; c++) {
    const src = order[c];
    const a = spec.scale / spec.std[c];
    const b = -spec.mean[c] / spec.std[c];
    // Lookup table: 256 values instead of a multiply-add per pixel and channel.
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = v * a + b;
    const base = c * plane;
    const pad = lut[padValue];
    for (let y = 0; y < outHeight; y++) {
      const row = base + y * outWidth;
      if (y >= img.height) {
        out.fill(pad, row, row + outWidth);
        continue;
      }
      let si = y * img.width * 3 + src;
      const w = Math.min(img.width, outWidth);
      for (let x = 0; x < w; x++, si += 3) out[row + x] = lut[img.data[si]];
      if (w < outWidth) out.fill(pad, row + w, row + outWidth);
    }
  }
}

/** The whole preprocessing of one image for a model: resize by policy, normalise, CHW. */
export async function toTensor(img: RgbImage, input: InputSpec, policy: ResizePolicy): Promise<ImageTensor> {
  const { width, height } = targetSize(img.width, img.height, policy);
  const resized = await resizeRgb(img, width, height);
  const data = new Float32Array(3 * width * height);
  normalizeInto(resized, input, data, width, height);
  return { data, dims: [1, 3, height, width], srcWidth: img.width, srcHeight: img.height, contentWidth: width, contentHeight: height };
}
