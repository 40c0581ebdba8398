/**
 * What a detector model needs from the pipeline, stated exactly as the model was trained.
 * A wrong channel order or normalisation costs points on real photos while synthetic tests still
 * pass, so every field is explicit and nothing is guessed from the ONNX file.
 */

/** How the input image is resized before inference. */
export interface ResizePolicy {
  /**
   * `max`: scale down so the longer side is at most `limitSideLen` (never up) — PaddleOCR's default
   * for PP-OCRv4 det. `min`: scale so the shorter side is at least `limitSideLen`.
   * `fixed`: resize to exactly `fixedWidth` x `fixedHeight`.
   */
  limitType: 'max' | 'min' | 'fixed';
  /** Side length the limit applies to. PaddleOCR: 960. */
  limitSideLen: number;
  /** Each side is rounded to a multiple of this (PaddleOCR: 32, round half to even, at least one multiple). */
  multiple: number;
  fixedWidth?: number;
  fixedHeight?: number;
}

export interface InputSpec {
  /** Name of the graph input that takes the image tensor. */
  name: string;
  layout: 'NCHW';
  /** Channel order of the tensor's C axis. PaddleOCR models are trained on OpenCV's BGR. */
  channelOrder: 'BGR' | 'RGB';
  /** Multiplier applied to 0..255 pixel values before mean/std (1/255 for PaddleOCR). */
  scale: number;
  /** Per-channel mean, in the tensor's channel order. */
  mean: [number, number, number];
  /** Per-channel std, in the tensor's channel order. */
  std: [number, number, number];
}

/** Which post-processor turns the model's output into boxes. */
export type OutputKind = 'db' | 'pan';

export interface OutputSpec {
  /** Graph output to read (first output when omitted). */
  name?: string;
  kind: OutputKind;
}

export interface ModelSpec {
  /** Registry name, e.g. `ppocrv4-det`. */
  name: string;
  description: string;
  /** Absolute path of the .onnx file, resolved lazily (the file may come from an npm package). */
  path: () => string;
  input: InputSpec;
  resize: ResizePolicy;
  output: OutputSpec;
}
