/**
 * The public contract of graph I/O transforms: which input and output formats exist, what each
 * costs on the wire, and the defaults. The graph surgery is in `input.ts` and `output.ts`; the host
 * side (building feeds, reading outputs back) in `host.ts`.
 *
 * Why: on a GPU the float32 input (12 bytes per pixel) and output (4 bytes per pixel) cross the bus
 * every run. Moving normalisation and the BGR swap into the graph lets the host send the resized
 * RGB bytes as they come from the decoder (3 bytes per pixel); shrinking the probability map to
 * fp16 or uint8 halves or quarters what comes back.
 */

/**
 * Input formats.
 * - `float32`: the model's own input, normalised NCHW float32 (unchanged graph).
 * - `uint8-nhwc`: the resized RGB image bytes as decoded, [N, H, W, 3] uint8.
 * - `uint8-nchw`: RGB planes, [N, 3, H, W] uint8.
 * - `packed-nhwc`: the same bytes as `uint8-nhwc`, viewed as little-endian uint32 words,
 *   [N, H, W*3/4]. For WebGPU, which has no 8-bit tensor type: the graph unpacks the bytes itself.
 */
export const INPUT_FORMATS = ['float32', 'uint8-nhwc', 'uint8-nchw', 'packed-nhwc'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/**
 * Output formats of the probability map.
 * - `float32`: unchanged.
 * - `float16`: [N, 1, H, W] float16 (half the bytes; values differ from float32 by < 2^-11 relative).
 * - `uint8`: round(p * 255) as [N, 1, H, W] uint8 (a quarter of the bytes; ±1/510 absolute).
 * - `packed-uint8`: the `uint8` bytes packed four to a little-endian uint32, [N, 1, H, W/4],
 *   for WebGPU (no 8-bit tensors). W must be a multiple of 4.
 */
export const OUTPUT_FORMATS = ['float32', 'float16', 'uint8', 'packed-uint8'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Bytes per input pixel and per output pixel of each format (N = 1). */
export const INPUT_BYTES_PER_PIXEL: Record<InputFormat, number> = { float32: 12, 'uint8-nhwc': 3, 'uint8-nchw': 3, 'packed-nhwc': 3 };
export const OUTPUT_BYTES_PER_PIXEL: Record<OutputFormat, number> = { float32: 4, float16: 2, uint8: 1, 'packed-uint8': 1 };

export interface IoTransformOptions {
  /** Format of the new graph input. @default 'float32' */
  input: InputFormat;
  /** Format of the probability output. @default 'float32' */
  output: OutputFormat;
  /** Name of the new input (ignored for `float32`). @default 'image' */
  inputName: string;
  /**
   * Normalisation moved into the graph (channel order of the model's input, 0..255 multiplier,
   * mean and std per channel in that order). @default PP-OCRv4 det's: BGR, 1/255, ImageNet mean/std
   */
  normalize: {
    channelOrder: 'BGR' | 'RGB';
    scale: number;
    mean: [number, number, number];
    std: [number, number, number];
  };
}

export const DEFAULT_IO_TRANSFORM_OPTIONS: IoTransformOptions = {
  input: 'float32',
  output: 'float32',
  inputName: 'image',
  normalize: { channelOrder: 'BGR', scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
};
