import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger } from './src/core';
import { emulateFp16, DEFAULT_FP16_BLOCK_OPS } from './src/engine';
import { evaluateIou, evaluateCleval, detSample, readSubmission } from './src/eval';
import { Detector } from './src/pipeline';
import { loadOnnx, saveOnnx } from './src/onnx/model';
import { PPOCRV4_DET } from './src/models';
const DATA = process.argv[3] ?? '/work/shared/data/ic15_train_mmocr10';
(async () => {
  const configs: string[][] = JSON.parse(process.argv[2]);
  const imgs = fs.readdirSync(DATA + '/images').sort().map((f) => path.join(DATA, 'images', f));
  const gt = readSubmission(DATA + '/gt');
  const detAll = async (file: string) => { const d = await Detector.create({ modelFile: file, threads: 2 }, silentLogger); const out = []; for (const i of imgs) out.push(detSample(path.basename(i, path.extname(i)), (await d.detect(i)).boxes)); await d.dispose(); return out; };
  const ref = await detAll(PPOCRV4_DET.path());
  const refGt = ref.map((s) => ({ ...s, boxes: s.boxes.map((b) => ({ ...b, transcription: '' })) }));
  const c0 = evaluateCleval(gt, ref).det.hmean;
  for (const extra of configs) {
    const m = loadOnnx(PPOCRV4_DET.path()); emulateFp16(m, [...DEFAULT_FP16_BLOCK_OPS, ...extra]);
    fs.writeFileSync('/tmp/scr/emu.onnx', saveOnnx(m));
    const p = await detAll('/tmp/scr/emu.onnx');
    const scores = p.flatMap((s, i) => s.boxes.map((b, j) => 0));
    console.log(JSON.stringify(extra), 'iou', evaluateIou(refGt, p).det.hmean.toFixed(4), 'clevalDelta', ((evaluateCleval(gt, p).det.hmean - c0) * 100).toFixed(3), 'boxes', p.map(s => s.boxes.length).join(','), 'ref', ref.map(s=>s.boxes.length).join(','));
  }
})();
