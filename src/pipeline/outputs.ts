/**
 * How a model's raw outputs feed its post-processor. DB heads give one probability map; PAN++ gives
 * text, kernel and embedding maps. The model spec's `output.kind` picks the entry.
 */
import { ModelError, type DetBox } from '../core';
import type { ModelSpec, OutputKind } from '../models';
import { dbPostprocess, type MapBack } from '../postprocess';
import { panPostprocess } from '../postprocess/pan';

/** The primary map (H x W) plus every output tensor of one inference. */
export interface ModelMaps {
  data: Float32Array;
  width: number;
  height: number;
  outputs: Record<string, { data: Float32Array; dims: number[] }>;
}

type Decoder = (maps: ModelMaps, back: MapBack, options: Record<string, unknown>, spec: ModelSpec) => DetBox[];

function output(maps: ModelMaps, name: string, spec: ModelSpec): { data: Float32Array; dims: number[] } {
  const o = maps.outputs[name];
  if (!o) {
    throw new ModelError(`Model ${spec.name} has no output named ${JSON.stringify(name)} (outputs: ${Object.keys(maps.outputs).join(', ')})`, {
      fix: 'export the model with output names text, kernel, embedding (detbench export does)',
    });
  }
  return o;
}

const DECODERS: Record<OutputKind, Decoder> = {
  db: (maps, back, options) => dbPostprocess({ data: maps.data, width: maps.width, height: maps.height }, back, options),
  pan: (maps, back, options, spec) => {
    const text = output(maps, 'text', spec);
    const kernel = output(maps, 'kernel', spec);
    const emb = output(maps, 'embedding', spec);
    const [, , h, w] = text.dims;
    return panPostprocess(
      { text: text.data, kernel: kernel.data, embedding: emb.data, width: w, height: h, embDim: emb.dims[1] },
      back,
      options,
    );
  },
};

/** Boxes from one inference's outputs, by the spec's output kind. */
export function decodeOutputs(spec: ModelSpec, maps: ModelMaps, back: MapBack, options: Record<string, unknown>): DetBox[] {
  const decoder = DECODERS[spec.output.kind];
  if (!decoder) {
    throw new ModelError(`No post-processor for output kind ${JSON.stringify(spec.output.kind)}; known: ${Object.keys(DECODERS).join(', ')}`);
  }
  return decoder(maps, back, options, spec);
}
