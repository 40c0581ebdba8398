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
  // Source channel (0 = R, 1 = G, 2 = B) feeding each tensor channel.
  const order = spec.channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  // One lookup table per source channel: 256 values instead of a multiply-add per pixel and channel.
  const luts = [new Float32Array(256), new Float32Array(256), new Float32Array(256)];
  const planeOf = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const a = spec.scale / spec.std[c];
    const b = -spec.mean[c] / spec.std[c];
    for (let v = 0; v < 256; v++) luts[order[c]][v] = v * a + b;
    planeOf[order[c]] = c * plane;
  }
  const [lr, lg, lb] = luts;
  const [pr, pg, pb] = planeOf;
  const w = Math.min(img.width, outWidth);
  const h = Math.min(img.height, outHeight);
  const src = img.data;
  // One pass over the pixels, writing the three planes (reading each source byte once).
  for (let y = 0; y < h; y++) {
    const row = y * outWidth;
    let si = y * img.width * 3;
    for (let x = 0; x < w; x++, si += 3) {
      const o = row + x;
      out[pr + o] = lr[src[si]];
      out[pg + o] = lg[src[si + 1]];
      out[pb + o] = lb[src[si + 2]];
    }
  }
  if (w < outWidth || h < outHeight) {
    for (let c = 0; c < 3; c++) {
      const pad = luts[order[c]][padValue];
      const base = c * plane;
      for (let y = 0; y < h; y++) out.fill(pad, base + y * outWidth + w, base + (y + 1) * outWidth);
      out.fill(pad, base + h * outWidth, base + plane);
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
