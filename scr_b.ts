import { buildEngine, numericalCheck } from './src/engine';
(async () => {
  const imgs = ['/work/shared/data/ic15_train_mmocr10/images/img_1.jpg', '/work/shared/data/ic15_train_mmocr10/images/img_2.jpg'];
  for (const variant of ['fp32-optimized', 'fp16', 'int8', 'webgpu'] as const) {
    const t0 = Date.now();
    const e = await buildEngine({ variant, cacheDir: '/tmp/scr/cache', calibrationSize: 4, calibrationSide: 640 });
    console.log(variant, e.cacheHit, e.buildMs, e.sizeBytes, Date.now() - t0, JSON.stringify(e.details).slice(0, 300));
    const r = await numericalCheck(e, imgs, { side: 640 });
    console.log(JSON.stringify(r.outputs), r.ranOn);
  }
})();
