import { loadOnnx } from './src/onnx/model';
const m = loadOnnx(process.argv[2]);
const h: Record<string, number> = {};
for (const n of m.graph!.node!) h[n.opType!] = (h[n.opType!] ?? 0) + 1;
console.log(h);
