import * as ort from 'onnxruntime-node';
const file = process.argv[2];
(async () => {
  const s = await ort.InferenceSession.create(file, { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const x = new ort.Tensor('float32', new Float32Array(3*736*1280).map(()=>Math.random()*2-1), [1,3,736,1280]);
  for (let i=0;i<2;i++) await s.run({[s.inputNames[0]]: x});
  const t: number[] = [];
  for (let i=0;i<5;i++){ const t0=performance.now(); await s.run({[s.inputNames[0]]: x}); t.push(performance.now()-t0);}
  t.sort((a,b)=>a-b); console.log(file, 'median ms', t[2].toFixed(1), t.map(v=>v.toFixed(0)).join(' '));
})();
