/**
 * The reference engine through the harness: PP-OCRv4 det fp32 on CPU, inference alone at 1x3x736x1280
 * and the whole pipeline on the shared IC15 sample (when present). Uses the same code as `detbench bench`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runBench } from '../src/bench';

const DATA = path.resolve(__dirname, '..', '..', 'shared', 'data', 'ic15_train_mmocr10', 'images');

export async function run(opts: { quick: boolean }): Promise<{ name: string; rows: Record<string, unknown>[]; notes?: string[] }> {
  const images = fs.existsSync(DATA) ? fs.readdirSync(DATA).filter((f) => f.endsWith('.jpg')).sort().map((f) => path.join(DATA, f)) : [];
  const result = await runBench({
    engines: ['fp32@cpu'],
    shapes: [[1, 3, 736, 1280]],
    images: opts.quick ? images.slice(0, 3) : images,
    measure: opts.quick ? { warmupMs: 0, warmupIterations: 1, durationMs: 0, iterations: 3 } : { warmupMs: 500, warmupIterations: 3, durationMs: 5000, iterations: 10 },
    progress: true,
  });
  const notes = [
    `environment: ${result.environment.cpu} x${result.environment.cores}, node ${result.environment.node}, onnxruntime ${result.environment.onnxruntime}, GPU ${result.environment.gpu}; peak RSS ${result.peakRssMiB} MiB`,
    ...(images.length === 0 ? [`no pipeline rows: ${DATA} is missing`] : []),
    ...result.warnings,
  ];
  return { name: 'pipeline', rows: result.rows.map(({ warnings, ...r }) => ({ ...r, trust: warnings.length ? 'WARN' : 'ok' })), notes };
}
