import * as ort from 'onnxruntime-node';
import { loadOnnx } from './src/onnx/model';
(async () => {
  for (const level of ['basic', 'all'] as const) {
    const s = await ort.InferenceSession.create('/tmp/scr/fp16.onnx', { graphOptimizationLevel: level, optimizedModelFilePath: `/tmp/scr/fp16.${level}.onnx` });
    await s.release();
    const m = loadOnnx(`/tmp/scr/fp16.${level}.onnx`);
    const h: Record<string, number> = {};
    for (const n of m.graph!.node!) h[`${n.opType}${n.domain ? '@' + n.domain : ''}`] = (h[`${n.opType}${n.domain ? '@' + n.domain : ''}`] ?? 0) + 1;
    console.log(level, h);
  }
})();
