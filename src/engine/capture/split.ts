/**
 * Splits a detector into the three graphs a captured WebGPU engine runs, so that the big one can be
 * recorded once and replayed with its inputs and outputs at fixed device addresses:
 *
 *   host bytes ─[prologue: unpack + normalise]─▶ X (device) ─[core: detector + output packing]─▶ Y (device)
 *   Y ─[readback: Identity]─▶ host bytes
 *
 * onnxruntime replays a captured graph without copying feeds in or fetches out, so the copies live
 * in the two small graphs around it, which run normally.
 */
import { ModelError } from '../../core';
import { loadOnnx, onnx, saveOnnx } from '../../onnx/model';
import { transformIo, type IoTransformOptions } from '../io';
import { DT, dimsOf, node, valueInfo } from '../io/proto';

export interface CaptureGraphs {
  /** host input (format `io.input`) → the detector's float32 input. */
  prologue: Uint8Array;
  /** float32 input → probability output in format `io.output`: the graph that is captured. */
  core: Uint8Array;
  /** probability output on the device → the same tensor on the host. */
  readback: Uint8Array;
  names: { input: string; x: string; y: string; output: string };
}

/** The nodes that `target` depends on, in graph order, and the initializers they read. */
function upstream(graph: onnx.IGraphProto, target: string): { nodes: onnx.INodeProto[]; inits: onnx.ITensorProto[] } {
  const producer = new Map<string, onnx.INodeProto>();
  for (const n of graph.node ?? []) for (const o of n.output ?? []) producer.set(o, n);
  const keep = new Set<onnx.INodeProto>();
  const used = new Set<string>();
  const stack = [target];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (used.has(name)) continue;
    used.add(name);
    const p = producer.get(name);
    if (p && !keep.has(p)) {
      keep.add(p);
      stack.push(...(p.input ?? []).filter((i) => i !== ''));
    }
  }
  return {
    nodes: (graph.node ?? []).filter((n) => keep.has(n)),
    inits: (graph.initializer ?? []).filter((t) => used.has(t.name as string)),
  };
}

function model(template: onnx.IModelProto, graph: onnx.IGraphProto): Uint8Array {
  return saveOnnx({ ...template, graph });
}

/** Builds the three graphs for `source` (an .onnx path or bytes) with the graph I/O formats of `io`. */
export function splitForCapture(source: string | Uint8Array, io: Pick<IoTransformOptions, 'input' | 'output'> & Partial<IoTransformOptions>): CaptureGraphs {
  const base = loadOnnx(source);
  const graph = base.graph as onnx.IGraphProto;
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const x = (graph.input ?? []).find((i) => !initNames.has(i.name))?.name as string | undefined;
  if (!x) throw new ModelError('The model has no graph input to capture', { fix: 'pass a detector with a float32 [N, 3, H, W] input' });

  const core = transformIo(base, { ...io, input: 'float32' });
  const coreGraph = core.graph as onnx.IGraphProto;
  const out = coreGraph.output?.[0];
  if (!out) throw new ModelError('The model has no output to read back', { fix: 'pass a detector whose first output is its probability map' });
  const y = out.name as string;
  // Only the probability map is computed and read back; other outputs would be recorded but never fetched.
  coreGraph.output = [out];

  let prologue: Uint8Array;
  let input = x;
  if (io.input === 'float32') {
    // No conversion: the prologue only moves the host tensor onto the device.
    const xInfo = (graph.input ?? []).find((i) => i.name === x) as onnx.IValueInfoProto;
    input = `${x}_host`;
    prologue = model(base, {
      name: 'detbench_capture_prologue', node: [node('Identity', [input], [x])], initializer: [],
      input: [{ ...xInfo, name: input }], output: [xInfo],
    });
  } else {
    const full = transformIo(base, { ...io, output: 'float32' });
    const fullGraph = full.graph as onnx.IGraphProto;
    const { nodes, inits } = upstream(fullGraph, x);
    const fullInits = new Set((fullGraph.initializer ?? []).map((t) => t.name));
    const newInput = (fullGraph.input ?? []).find((i) => !fullInits.has(i.name)) as onnx.IValueInfoProto;
    input = newInput.name as string;
    const xDims = dimsOf((graph.input ?? []).find((i) => i.name === x) as onnx.IValueInfoProto);
    prologue = model(full, {
      name: 'detbench_capture_prologue', node: nodes, initializer: inits,
      input: [newInput], output: [valueInfo(x, DT.FLOAT, xDims)],
    });
  }

  const yInfo = out;
  const output = `${y}_host`;
  const readback = model(base, {
    name: 'detbench_capture_readback', node: [node('Identity', [y], [output])], initializer: [],
    input: [yInfo], output: [{ ...yInfo, name: output }],
  });
  return { prologue, core: saveOnnx(core), readback, names: { input, x, y, output } };
}
