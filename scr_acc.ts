import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger } from './src/core';
import { buildEngine } from './src/engine';
import { evaluateIou, evaluateCleval, detSample, readSubmission } from './src/eval';
import { Detector } from './src/pipeline';
const DATA = process.argv[3] ?? '/work/shared/data/ic15_train_mmocr10';
(async () => {
  const configs = JSON.parse(process.argv[2]);
  const imgs = fs.readdirSync(DATA + '/images').sort().map((f) => path.join(DATA, 'images', f));
  const gt = readSubmission(DATA + '/gt');
  const detAll = async (file: string) => { const d = await Detector.create({ modelFile: file, threads: 2 }, silentLogger); const out = []; for (const i of imgs) out.push(detSample(path.basename(i, path.extname(i)), (await d.detect(i)).boxes)); await d.dispose(); return out; };
  const ref = await detAll((await buildEngine({ variant: 'fp32' })).modelPath);
  const refGt = ref.map((s) => ({ ...s, boxes: s.boxes.map((b) => ({ ...b, transcription: '' })) }));
  console.log('fp32 cleval', evaluateCleval(gt, ref).det.hmean, 'boxes', ref.map(s => s.boxes.length).join(','));
  for (const c of configs) {
    const e = await buildEngine({ variant: 'int8', calibration: '/work/shared/data/ic15_train_mmocr10', cacheDir: '/tmp/scr/cache2', ...c }, silentLogger);
    const p = await detAll(e.modelPath);
    console.log(JSON.stringify(c), 'iou', evaluateIou(refGt, p).det.hmean.toFixed(4), 'cleval', evaluateCleval(gt, p).det.hmean.toFixed(4), 'boxes', p.map(s => s.boxes.length).join(','));
  }
})();
