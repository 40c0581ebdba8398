import * as ort from 'onnxruntime-node';
import { loadOnnx } from './src/onnx/model';
import { PPOCRV4_DET } from './src/models';
import { decodeImage, toTensor } from './src/image';
import { constantsToInitializers, GraphView } from './src/engine/graph-edit';
import { collectRanges } from './src/engine/calibrate';
(async () => {
  const m = loadOnnx(PPOCRV4_DET.path()); constantsToInitializers(m);
  const names = m.graph!.node!.map(n => n.output![0]);
  const t = await toTensor(await decodeImage('/work/shared/data/ic15_train_mmocr10/images/img_1.jpg'), PPOCRV4_DET.input, PPOCRV4_DET.resize);
  const r = await collectRanges(m, names, [{ x: new ort.Tensor('float32', t.data, t.dims) }], { method: 'minmax', percentile: 99, bins: 10, threads: 2 });
  const v = new GraphView(m.graph!);
  const big = [...r].filter(([,x]) => Math.max(-x[0], x[1]) > 1000).map(([k, x]) => `${v.producer.get(k)!.opType} ${k} ${x}`);
  console.log(big.join('\n'));
  // BN params
  for (const n of m.graph!.node!.filter(n=>n.opType==='BatchNormalization')) { const va = v.constFloats(n.input![4])!; console.log(n.name, 'min var', Math.min(...va)); }
})();
