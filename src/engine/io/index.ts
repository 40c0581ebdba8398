/**
 * Graph I/O transforms for GPU engines: uint8 image input with normalisation and the BGR swap in
 * the graph, and a smaller probability output (fp16 or uint8).
 *
 *   model.onnx ─loadOnnx─▶ ModelProto ─transformInput─▶ ─transformOutput─▶ saveOnnx ─▶ bytes
 *   host: RGB bytes ─imageFeed─▶ session.run ─readProbability─▶ Float32 map ─▶ post-process
 */
import { OptionError, withDefaults } from '../../core';
import { loadOnnx, onnx, saveOnnx } from '../../onnx/model';
import { DEFAULT_IO_TRANSFORM_OPTIONS, INPUT_FORMATS, OUTPUT_FORMATS, type IoTransformOptions } from './formats';
import { transformInput } from './input';
import { transformOutput } from './output';

export * from './formats';
export { imageFeed, readProbability, halfToFloat } from './host';
export { normalizationTable } from './input';

/** A copy of `model` with the I/O formats of `options`; the input model is not changed. */
export function transformIo(model: onnx.IModelProto, options: Partial<IoTransformOptions> = {}): onnx.ModelProto {
  const o = withDefaults('io transform options', DEFAULT_IO_TRANSFORM_OPTIONS, options);
  if (!INPUT_FORMATS.includes(o.input)) throw new OptionError(`Expected one of ${INPUT_FORMATS.join(', ')} for input but received ${JSON.stringify(o.input)}`, { subject: 'input' });
  if (!OUTPUT_FORMATS.includes(o.output)) throw new OptionError(`Expected one of ${OUTPUT_FORMATS.join(', ')} for output but received ${JSON.stringify(o.output)}`, { subject: 'output' });
  const copy = onnx.ModelProto.decode(saveOnnx(model));
  const graph = copy.graph as onnx.GraphProto;
  transformInput(graph, o.input, o);
  transformOutput(graph, o.output);
  return copy;
}

/** Reads an .onnx file (or bytes), applies {@link transformIo} and returns the new model's bytes. */
export function transformIoFile(source: string | Uint8Array, options: Partial<IoTransformOptions> = {}): Uint8Array {
  return saveOnnx(transformIo(loadOnnx(source), options));
}
