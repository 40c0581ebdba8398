import { loadOnnx } from './src/onnx/model';
import { PPOCRV4_DET } from './src/models';
const m = loadOnnx(PPOCRV4_DET.path());
const convs = m.graph!.node!.filter(n => n.opType === 'Conv');
console.log(convs.slice(0, 2).map(n => `${n.name} -> ${n.output}`), convs.slice(-3).map(n => `${n.name} ${n.input} -> ${n.output}`));
