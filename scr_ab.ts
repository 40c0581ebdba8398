import * as ort from 'onnxruntime-node';
(async () => {
  const files = process.argv.slice(2);
  const ss = await Promise.all(files.map(f => ort.InferenceSession.create(f, { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' })));
  const x = new ort.Tensor('float32', new Float32Array(3*736*1280).map(()=>Math.random()*2-1), [1,3,736,1280]);
  for (const s of ss) for (let i=0;i<2;i++) await s.run({[s.inputNames[0]]: x});
  const t: number[][] = ss.map(()=>[]);
  for (let r=0;r<9;r++) for (let k=0;k<ss.length;k++){ const t0=performance.now(); await ss[k].run({[ss[k].inputNames[0]]: x}); t[k].push(performance.now()-t0);}
  t.forEach((a,k)=>{a.sort((p,q)=>p-q); console.log(files[k], 'median', a[4].toFixed(1), 'min', a[0].toFixed(1));});
})();
