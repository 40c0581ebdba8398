import { entropyThreshold } from './src/engine/calibrate';
const hist = new Float64Array(2048);
for (let i = 0; i < 2048; i++) hist[i] = Math.round(1e6 * Math.exp(-i / 100));
console.log(entropyThreshold(hist, 8, 128), entropyThreshold(hist, 8, 256));
