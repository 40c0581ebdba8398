/**
 * FLOPs estimate from propagated shapes. Convolutions and matrix products count 2 FLOPs per
 * multiply-accumulate (the convention of papers and of fvcore/thop "GFLOPs" x2); every other
 * operator counts one FLOP per output element, which is small beside the convolutions anyway.
 */
import { type GraphIndex, elementCount, intAttr, intsAttr } from './graph';
import type { ShapeResult } from './shapes';

export interface FlopsEstimate {
  /** Multiply-accumulates of Conv, ConvTranspose, MatMul and Gemm. */
  macs: number;
  /** 2 x macs plus one per output element of every other operator. */
  flops: number;
  /** FLOPs by operator type, largest first. */
  byOp: Record<string, number>;
  /** Nodes whose shapes were unknown, so they are missing from the total. */
  skippedNodes: number;
}

const FREE_OPS = new Set(['Constant', 'Shape', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Gather',
  'Concat', 'Slice', 'Cast', 'Transpose', 'Split', 'Expand', 'ConstantOfShape']);

export function estimateFlops(index: GraphIndex, shapes: ShapeResult): FlopsEstimate {
  let macs = 0;
  let skipped = 0;
  const byOp: Record<string, number> = {};
  for (const n of index.nodes) {
    const op = n.opType ?? '';
    if (FREE_OPS.has(op)) continue;
    const ins = (n.input ?? []).map((i) => (i ? shapes.shapes.get(i) : undefined));
    const out = shapes.shapes.get(n.output?.[0] ?? '');
    if (!out) {
      skipped++;
      continue;
    }
    let nodeMacs = 0;
    if (op === 'Conv' && ins[0] && ins[1]) {
      const w = ins[1];
      const kernel = intsAttr(n, 'kernel_shape') ?? w.slice(2);
      // weight is [Cout, Cin/group, k...]: every output element needs Cin/group * prod(k) MACs
      nodeMacs = elementCount(out) * w[1] * elementCount(kernel);
    } else if (op === 'ConvTranspose' && ins[0] && ins[1]) {
      const w = ins[1];
      // weight is [Cin, Cout/group, k...]: every input element scatters into Cout/group * prod(k)
      nodeMacs = elementCount(ins[0]) * w[1] * elementCount(w.slice(2));
    } else if (op === 'MatMul' && ins[0]) {
      nodeMacs = elementCount(out) * ins[0][ins[0].length - 1];
    } else if (op === 'Gemm' && ins[0]) {
      nodeMacs = elementCount(out) * (intAttr(n, 'transA', 0) ? ins[0][0] : ins[0][1]);
    }
    const f = nodeMacs > 0 ? 2 * nodeMacs : elementCount(out);
    macs += nodeMacs;
    byOp[op] = (byOp[op] ?? 0) + f;
  }
  const sorted = Object.fromEntries(Object.entries(byOp).sort((a, b) => b[1] - a[1]));
  return { macs, flops: Object.values(byOp).reduce((a, b) => a + b, 0), byOp: sorted, skippedNodes: skipped };
}
