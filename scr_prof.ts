import * as ort from 'onnxruntime-node';
import * as fs from 'node:fs';
(async () => {
  const file = process.argv[2];
  const s = await ort.InferenceSession.create(file, { intraOpNumThreads: 2, interOpNumThreads: 1, enableProfiling: true, profileFilePrefix: '/tmp/scr/prof' } as any);
  const x = new ort.Tensor('float32', new Float32Array(3*736*1280).map(()=>Math.random()*2-1), [1,3,736,1280]);
  for (let i=0;i<4;i++) await s.run({[s.inputNames[0]]: x});
  const f = (s as any).endProfiling ? (s as any).endProfiling() : undefined;
  await s.release();
  const files = fs.readdirSync('/tmp/scr').filter(n=>n.startsWith('prof')).map(n=>'/tmp/scr/'+n).sort((a,b)=>fs.statSync(b).mtimeMs-fs.statSync(a).mtimeMs);
  const ev = JSON.parse(fs.readFileSync(files[0],'utf8'));
  const by: Record<string, number> = {};
  for (const e of ev) if (e.cat === 'Node' && e.name.endsWith('_kernel_time')) { const op = e.args.op_name; by[op] = (by[op] ?? 0) + e.dur / 4000; }
  console.log(Object.entries(by).sort((a,b)=>b[1]-a[1]).map(([k,v])=>`${k} ${v.toFixed(1)}ms`).join('\n'));
  fs.rmSync(files[0]);
})();
