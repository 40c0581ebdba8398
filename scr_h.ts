import * as fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { loadOnnx, saveOnnx } from './src/onnx/model';
import { PPOCRV4_DET } from './src/models';
import { decodeImage, toTensor } from './src/image';
import { convertToFp16, emulateFp16 } from './src/engine/fp16';
(async () => {
  const m = loadOnnx(PPOCRV4_DET.path());
  console.log(convertToFp16(m));
  fs.writeFileSync('/tmp/scr/fp16.onnx', saveOnnx(m));
  const e = loadOnnx(PPOCRV4_DET.path()); emulateFp16(e); fs.writeFileSync('/tmp/scr/fp16emu.onnx', saveOnnx(e));
  const t = await toTensor(await decodeImage('/work/shared/data/ic15_train_mmocr10/images/img_1.jpg'), PPOCRV4_DET.input, PPOCRV4_DET.resize);
  const f = { x: new ort.Tensor('float32', t.data, t.dims) };
  const ref = await ort.InferenceSession.create(PPOCRV4_DET.path());
  const a = (await ref.run(f))[ref.outputNames[0]].data as Float32Array;
  for (const file of ['/tmp/scr/fp16emu.onnx', '/tmp/scr/fp16.onnx']) {
    try {
      const s = await ort.InferenceSession.create(file);
      const b = (await s.run(f))[s.outputNames[0]].data as Float32Array;
      let e1 = 0, sm=0, big=0; for (let i = 0; i < a.length; i++) { const d=Math.abs(a[i]-b[i]); e1 = Math.max(e1, d); sm+=d; if (d>0.1) big++; } console.log("mean", sm/a.length, "big", big, a.length);
      console.log(file, 'maxabs', e1);
    } catch (err) { console.log(file, 'FAILED', String(err).slice(0, 400)); }
  }
})();
