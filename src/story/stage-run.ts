/**
 * Stage 4, benchmark on the data: every engine detects every image once, interleaved image by image
 * (engine order rotating), so drift in machine load hits all engines alike. Per-image boxes and
 * stage timings are kept for scoring (stage 5) and for the latency table.
 */
import { errorText, integerIn, withDefaults, type DetBox, type Polygon } from '../core';
import { Detector, type StageTimings } from '../pipeline';
import type { ProviderName } from '../session';
import { quantileSorted } from '../stats';

/** A labelled image, structurally the data stage's DatasetItem. */
export interface StoryItem {
  id: string;
  imagePath: string;
  boxes: { points: Polygon; text: string; dontCare: boolean }[];
}

/** One engine to run: a label, and the .onnx to run with the model's preprocessing. */
export interface EngineEntry {
  /** Label in tables, e.g. `fp32` or `int8`. */
  name: string;
  /** Built engine file; undefined runs the model's own file. */
  modelFile?: string;
  provider: ProviderName;
}

export interface RunOptions {
  /** Registry name or .onnx path of the model whose preprocessing all engines share. @default 'ppocrv4-det' */
  model: string;
  /** CPU threads per session, 0 = all cores. @default 0 */
  threads: number;
  /** Images run once per engine before timing starts (graph compilation, allocator warm-up). @default 2 */
  warmup: number;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = { model: 'ppocrv4-det', threads: 0, warmup: 2 };

export interface ImageRun {
  id: string;
  width: number;
  height: number;
  inputShape: number[];
  boxes: DetBox[];
  timings_ms: StageTimings;
}

export interface EngineRun {
  name: string;
  /** The provider that really ran (after any fallback). */
  provider: string;
  images: ImageRun[];
  errors: { id: string; error: string }[];
}

/** Detects every image with every engine, interleaved. `onProgress(done, total)` counts image × engine. */
export async function runEngines(
  items: readonly StoryItem[],
  engines: readonly EngineEntry[],
  options: Partial<RunOptions> = {},
  onProgress?: (done: number, total: number) => void,
): Promise<EngineRun[]> {
  const o = withDefaults('run options', DEFAULT_RUN_OPTIONS, options);
  integerIn('run options.warmup', o.warmup, 0, 100);
  const detectors: Detector[] = [];
  try {
    for (const e of engines) detectors.push(await Detector.create({ model: o.model, modelFile: e.modelFile, provider: e.provider, threads: o.threads }));
    const runs: EngineRun[] = engines.map((e, i) => ({ name: e.name, provider: detectors[i].provider, images: [], errors: [] }));
    for (let w = 0; w < Math.min(o.warmup, items.length); w++) {
      // A bad image fails again in the timed pass below, where it is listed; warm-up only needs the runs.
      for (const d of detectors) await d.detect(items[w].imagePath).catch(() => undefined);
    }
    const total = items.length * engines.length;
    let done = 0;
    for (let i = 0; i < items.length; i++) {
      for (let k = 0; k < engines.length; k++) {
        const e = (i + k) % engines.length;
        try {
          const r = await detectors[e].detect(items[i].imagePath);
          runs[e].images.push({ id: items[i].id, width: r.width, height: r.height, inputShape: r.inputShape, boxes: r.boxes, timings_ms: r.timings_ms });
        } catch (err) {
          runs[e].errors.push({ id: items[i].id, error: errorText(err) });
        }
        onProgress?.(++done, total);
      }
    }
    return runs;
  } finally {
    for (const d of detectors) await d.dispose();
  }
}

export interface LatencyRow {
  engine: string;
  provider: string;
  images: number;
  decode_ms: number;
  preprocess_ms: number;
  infer_ms: number;
  postprocess_ms: number;
  total_ms: number;
  total_p90_ms: number;
  images_per_s: number;
}

function median(xs: number[]): number {
  return quantileSorted([...xs].sort((a, b) => a - b), 0.5);
}

/** Median per-stage times of each run over its images (p90 for the total), and the throughput they imply. */
export function latencyTable(runs: readonly EngineRun[]): LatencyRow[] {
  return runs.map((r) => {
    const t = (k: keyof StageTimings) => r.images.map((im) => im.timings_ms[k]);
    const totals = r.images.map((im) => im.timings_ms.decode + im.timings_ms.preprocess + im.timings_ms.infer + im.timings_ms.postprocess).sort((a, b) => a - b);
    const mean = totals.reduce((a, b) => a + b, 0) / Math.max(1, totals.length);
    return {
      engine: r.name,
      provider: r.provider,
      images: r.images.length,
      decode_ms: median(t('decode')),
      preprocess_ms: median(t('preprocess')),
      infer_ms: median(t('infer')),
      postprocess_ms: median(t('postprocess')),
      total_ms: quantileSorted(totals, 0.5),
      total_p90_ms: quantileSorted(totals, 0.9),
      images_per_s: mean > 0 ? 1000 / mean : 0,
    };
  });
}

/** Rows for the stacked stage chart (`stageLatencyChart`). */
export function stageRows(rows: readonly LatencyRow[]): { engine: string; stage: string; ms: number; order: number }[] {
  const stages = ['decode', 'preprocess', 'infer', 'postprocess'] as const;
  return rows.flatMap((r) => stages.map((s, i) => ({ engine: r.engine, stage: s, ms: r[`${s}_ms`], order: i })));
}
