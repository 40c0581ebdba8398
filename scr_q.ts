import * as fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { loadOnnx, saveOnnx } from './src/onnx/model';
import { PPOCRV4_DET } from './src/models';
import { decodeImage, toTensor } from './src/image';
import { constantsToInitializers } from './src/engine/graph-edit';
import { foldForQuantization } from './src/engine/fold';
import { planQdq, applyQdq } from './src/engine/qdq';
import { collectRanges } from './src/engine/calibrate';
(async () => {
  const method = (process.argv[2] ?? 'minmax') as any;
  const n = Number(process.argv[3] ?? 4);
  const m = loadOnnx(PPOCRV4_DET.path());
  constantsToInitializers(m);
  console.log('fold', foldForQuantization(m));
  fs.writeFileSync('/tmp/scr/folded.onnx', saveOnnx(m));
  const dir = '/work/shared/data/ic15_train_mmocr10/images';
  const files = fs.readdirSync(dir).slice(0, n);
  const feeds = [];
  for (const f of files) { const t = await toTensor(await decodeImage(`${dir}/${f}`), PPOCRV4_DET.input, PPOCRV4_DET.resize); feeds.push({ x: new ort.Tensor('float32', t.data, t.dims) }); }
  const plan = planQdq(m, ['ConvTranspose', 'Sigmoid']);
  console.log('plan', plan.nodes.size, plan.tensors.length, plan.absorbed.size);
  let t0 = performance.now();
  const ranges = await collectRanges(m, plan.tensors, feeds, { method, percentile: 99.99, bins: 2048, threads: 2 });
  console.log('calib ms', performance.now() - t0);
  const rep = applyQdq(m, plan, ranges);
  console.log(rep);
  fs.writeFileSync('/tmp/scr/int8.onnx', saveOnnx(m));
  // compare
  const ref = await ort.InferenceSession.create(PPOCRV4_DET.path(), { intraOpNumThreads: 2 });
  const fo = await ort.InferenceSession.create('/tmp/scr/folded.onnx', { intraOpNumThreads: 2 });
  const q = await ort.InferenceSession.create('/tmp/scr/int8.onnx', { intraOpNumThreads: 2, optimizedModelFilePath: '/tmp/scr/int8.opt.onnx' });
  for (const f of feeds.slice(0, 2)) {
    const a = (await ref.run(f))[ref.outputNames[0]].data as Float32Array;
    const b = (await fo.run(f))[fo.outputNames[0]].data as Float32Array;
    const c = (await q.run(f))[q.outputNames[0]].data as Float32Array;
    let e1 = 0, e2 = 0, s2 = 0; for (let i = 0; i < a.length; i++) { e1 = Math.max(e1, Math.abs(a[i]-b[i])); e2 = Math.max(e2, Math.abs(a[i]-c[i])); s2 += Math.abs(a[i]-c[i]); }
    console.log('fold maxabs', e1, 'int8 maxabs', e2, 'mean', s2 / a.length);
  }
})();
