/**
 * Parity check: the ONNX model run by onnxruntime-node against the PyTorch outputs the export script
 * saved for the same seeded inputs. An element passes when |ort - torch| <= atol + rtol * |torch|
 * (numpy.allclose); the report gives max absolute and max relative error per output and shape.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { InputError, numberIn, withDefaults } from '../core';

export interface ParityOptions {
  /** Absolute tolerance. Default 1e-4: fp32 re-association across ~60 layers stays below it. */
  atol?: number;
  /** Relative tolerance. Default 1e-3. */
  rtol?: number;
}

export const DEFAULT_PARITY: Required<ParityOptions> = { atol: 1e-4, rtol: 1e-3 };

export interface ParityRow {
  shape: number[];
  output: string;
  maxAbs: number;
  /** max of |ort - torch| / max(|torch|, atol): relative error, values near zero judged against atol */
  maxRel: number;
  /** Elements outside atol + rtol * |torch|. */
  mismatched: number;
  pass: boolean;
}

export interface ParityReport {
  model: string;
  atol: number;
  rtol: number;
  rows: ParityRow[];
  pass: boolean;
}

interface Manifest {
  cases: { shape: number[]; input: string; outputs: Record<string, { file: string; shape: number[] }> }[];
}

function readF32(file: string): Float32Array {
  const buf = fs.readFileSync(file);
  // Copy into an aligned buffer: Buffer slices may start at an odd offset.
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

export function compareTensors(actual: Float32Array, expected: Float32Array, atol: number, rtol: number): Omit<ParityRow, 'shape' | 'output'> {
  let maxAbs = 0;
  let maxRel = 0;
  let mismatched = actual.length === expected.length ? 0 : Math.max(actual.length, expected.length);
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    const e = Math.abs(expected[i]);
    if (!(d <= atol + rtol * e)) mismatched++; // NaN counts as a mismatch
    if (d > maxAbs || Number.isNaN(d)) maxAbs = Number.isNaN(d) ? Infinity : d;
    const r = d / Math.max(e, atol);
    if (r > maxRel) maxRel = r;
  }
  return { maxAbs, maxRel, mismatched, pass: mismatched === 0 };
}

/** Runs `model` on every case under `casesDir` (manifest.json from exportTorch) and compares. */
export async function checkParity(model: string, casesDir: string, options?: ParityOptions): Promise<ParityReport> {
  const o = withDefaults('checkParity options', DEFAULT_PARITY, options);
  numberIn('atol', o.atol, 0);
  numberIn('rtol', o.rtol, 0);
  const manifestPath = path.join(casesDir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new InputError(`No parity cases in ${casesDir} (manifest.json missing)`, {
      subject: casesDir,
      fix: 'export with parityShapes (detbench export --parity-shapes 1x3x224x320,...) first',
    });
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  const session = await ort.InferenceSession.create(model);
  const rows: ParityRow[] = [];
  try {
    for (const c of manifest.cases) {
      const input = new ort.Tensor('float32', readF32(path.join(casesDir, c.input)), c.shape);
      const result = await session.run({ [session.inputNames[0]]: input });
      for (const [name, ref] of Object.entries(c.outputs)) {
        const got = result[name];
        if (!got) {
          throw new InputError(`ONNX model ${model} has no output ${name}; outputs: ${session.outputNames.join(', ')}`, { subject: name });
        }
        const sameShape = got.dims.length === ref.shape.length && got.dims.every((d, i) => d === ref.shape[i]);
        const cmp = compareTensors(got.data as Float32Array, readF32(path.join(casesDir, ref.file)), o.atol, o.rtol);
        rows.push({ shape: c.shape, output: name, ...cmp, pass: cmp.pass && sameShape });
      }
    }
  } finally {
    await session.release();
  }
  return { model, atol: o.atol, rtol: o.rtol, rows, pass: rows.length > 0 && rows.every((r) => r.pass) };
}

/** The report as a fixed-width table for the CLI and notebooks. */
export function formatParity(r: ParityReport): string {
  const head = `parity (pass if |ort-torch| <= ${r.atol} + ${r.rtol}*|torch|)`;
  const lines = r.rows.map((row) =>
    `${row.shape.join('x').padEnd(16)} ${row.output.padEnd(12)} maxAbs ${row.maxAbs.toExponential(2).padStart(9)}  maxRel ${row.maxRel.toExponential(2).padStart(9)}  ${row.pass ? 'ok' : `FAIL (${row.mismatched} elements)`}`);
  return [head, ...lines, r.pass ? 'parity: pass' : 'parity: FAIL'].join('\n');
}
