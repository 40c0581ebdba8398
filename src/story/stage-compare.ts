/**
 * Stage 5, the comparison: both engines' detections scored against the ground truth (CLEval by
 * default), the blog's final table, per-image deltas, a paired bootstrap on the HMean difference,
 * the deltas by text size, and the accuracy-vs-latency Pareto front of every variant.
 */
import { OptionError, oneOf, withDefaults } from '../core';
import { evaluateCleval, evaluateIou, fromDetBoxes, type EvalSample, type Prh } from '../eval';
import { clevalCounts, deltasBySize, iouCounts, pairedBootstrapHmean, paretoFront, type BootstrapOptions, type BootstrapResult, type ParetoMarked, type ParetoPoint, type PrCounts, type SizeBinRow } from '../stats';
import { latencyTable, type EngineRun, type StoryItem } from './stage-run';

export const METRICS = ['cleval', 'iou'] as const;
export type MetricName = (typeof METRICS)[number];

export interface CompareOptions {
  /** `cleval` (character level, the blog's metric) or `iou` (ICDAR 2015 protocol). @default 'cleval' */
  metric: MetricName;
  /** Paired bootstrap settings. @default DEFAULT_BOOTSTRAP_OPTIONS */
  bootstrap: Partial<BootstrapOptions>;
  /** Text-height bin edges in px. @default [16, 32, 64] */
  sizeEdges: number[];
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { metric: 'cleval', bootstrap: {}, sizeEdges: [16, 32, 64] };

export interface ImageScore {
  prh: Prh;
  counts: PrCounts;
  /** Matched (GT index, detection index) pairs, for overlays; split/merged matches give several pairs. */
  matches: { gt: number; det: number }[];
}

export interface Scored {
  overall: Prh;
  perImage: Map<string, ImageScore>;
}

/** The data stage's items as CLEval ground truth. */
export function gtSamples(items: readonly StoryItem[]): EvalSample[] {
  return items.map((it) => ({ name: it.id, boxes: it.boxes.map((b) => ({ points: b.points, transcription: b.text, dontCare: b.dontCare })) }));
}

/** A run's detections as prediction samples (images that failed are empty predictions). */
export function predSamples(run: EngineRun): EvalSample[] {
  return run.images.map((im) => ({ name: im.id, boxes: fromDetBoxes(im.boxes) }));
}

/** Scores predictions with the chosen metric, overall and per image (with bootstrap counts). */
export function score(gt: EvalSample[], pred: EvalSample[], metric: MetricName): Scored {
  const perImage = new Map<string, ImageScore>();
  if (metric === 'cleval') {
    const r = evaluateCleval(gt, pred);
    for (const [name, s] of Object.entries(r.perImage)) {
      const matches = s.matches.flatMap((m) => m.gt.flatMap((g) => m.det.map((d) => ({ gt: g, det: d }))));
      perImage.set(name, { prh: s.det, counts: clevalCounts(s.det), matches });
    }
    return { overall: r.det, perImage };
  }
  const r = evaluateIou(gt, pred);
  for (const [name, s] of Object.entries(r.perImage)) perImage.set(name, { prh: s.det, counts: iouCounts(s.det), matches: s.pairs.map(([g, d]) => ({ gt: g, det: d })) });
  return { overall: r.det, perImage };
}

export interface FinalRow {
  metric: string;
  reference: number;
  engine: number;
  difference: number;
  change_pct: number;
}

export interface ImageHmeanChange {
  image: string;
  refHmean: number;
  candHmean: number;
  delta: number;
  refBoxes: number;
  candBoxes: number;
}

export interface Comparison {
  metric: MetricName;
  reference: string;
  candidate: string;
  referenceScore: Prh;
  candidateScore: Prh;
  /** The blog's table: HMean, Precision, Recall and time, reference vs engine, difference and %. */
  finalTable: FinalRow[];
  /** Per-image HMean deltas, worst first. */
  perImage: ImageHmeanChange[];
  bootstrap: BootstrapResult;
  sizeBins: SizeBinRow[];
}

const pct = (ref: number, d: number) => (ref !== 0 ? (100 * d) / ref : 0);

/** Compares a candidate engine's run with the reference's on the same items. */
export function compareRuns(items: readonly StoryItem[], reference: EngineRun, candidate: EngineRun, options: Partial<CompareOptions> = {}): Comparison {
  const o = withDefaults('compare options', DEFAULT_COMPARE_OPTIONS, options);
  oneOf('compare options.metric', o.metric, METRICS);
  const okRef = new Set(reference.images.map((i) => i.id));
  const okCand = new Set(candidate.images.map((i) => i.id));
  // Score only images both engines processed, so the pairing is exact.
  const both = items.filter((it) => okRef.has(it.id) && okCand.has(it.id));
  if (both.length === 0) {
    throw new OptionError(`No image was processed by both ${reference.name} and ${candidate.name}`, { fix: 'look at the runs\' errors lists: every image failed in one of the engines' });
  }
  const ids = new Set(both.map((b) => b.id));
  const gt = gtSamples(both);
  const refPred = predSamples({ ...reference, images: reference.images.filter((i) => ids.has(i.id)) });
  const candPred = predSamples({ ...candidate, images: candidate.images.filter((i) => ids.has(i.id)) });
  const a = score(gt, refPred, o.metric);
  const b = score(gt, candPred, o.metric);
  const [latRef, latCand] = latencyTable([
    { ...reference, images: reference.images.filter((i) => ids.has(i.id)) },
    { ...candidate, images: candidate.images.filter((i) => ids.has(i.id)) },
  ]);
  const row = (metric: string, r: number, c: number): FinalRow => ({ metric, reference: r, engine: c, difference: c - r, change_pct: pct(r, c - r) });
  const finalTable = [
    row('HMean', a.overall.hmean, b.overall.hmean),
    row('Precision', a.overall.precision, b.overall.precision),
    row('Recall', a.overall.recall, b.overall.recall),
    row('inference time per image (ms, median)', latRef.infer_ms, latCand.infer_ms),
    row('total time per image (ms, median)', latRef.total_ms, latCand.total_ms),
  ];
  const boxesOf = (run: EngineRun) => new Map(run.images.map((i) => [i.id, i.boxes.length]));
  const refBoxes = boxesOf(reference);
  const candBoxes = boxesOf(candidate);
  const perImage = both
    .map((it) => {
      const r = a.perImage.get(it.id)!.prh.hmean;
      const c = b.perImage.get(it.id)!.prh.hmean;
      return { image: it.id, refHmean: r, candHmean: c, delta: c - r, refBoxes: refBoxes.get(it.id) ?? 0, candBoxes: candBoxes.get(it.id) ?? 0 };
    })
    .sort((x, y) => x.delta - y.delta || x.image.localeCompare(y.image));
  const bootstrap = pairedBootstrapHmean(
    both.map((it) => a.perImage.get(it.id)!.counts),
    both.map((it) => b.perImage.get(it.id)!.counts),
    o.bootstrap,
  );
  const metricFn = (g: EvalSample[], p: EvalSample[]) => score(g, p, o.metric).overall;
  const sizeBins = deltasBySize(gt, refPred, candPred, metricFn, { edges: o.sizeEdges });
  return { metric: o.metric, reference: reference.name, candidate: candidate.name, referenceScore: a.overall, candidateScore: b.overall, finalTable, perImage, bootstrap, sizeBins };
}

/** Accuracy (HMean) and median inference latency of every run, Pareto front marked. */
export function variantFront(items: readonly StoryItem[], runs: readonly EngineRun[], metric: MetricName = 'cleval'): ParetoMarked<ParetoPoint & { provider: string; precision: number; recall: number }>[] {
  const gt = gtSamples(items);
  const lat = latencyTable(runs);
  return paretoFront(
    runs.map((r, i) => {
      const s = score(gt, predSamples(r), metric).overall;
      return { name: r.name, provider: r.provider, accuracy: s.hmean, precision: s.precision, recall: s.recall, latencyMs: lat[i].infer_ms };
    }),
  );
}

/** The final table as terminal text, numbers formatted for people. */
export function formatFinalTable(c: Comparison): string {
  const head = ['', `reference (${c.reference})`, `engine (${c.candidate})`, 'difference', 'change'];
  const fmt = (m: string, v: number) => (m.includes('ms') ? v.toFixed(1) : v.toFixed(4));
  const rows = c.finalTable.map((r) => [r.metric, fmt(r.metric, r.reference), fmt(r.metric, r.engine), `${r.difference >= 0 ? '+' : ''}${fmt(r.metric, r.difference)}`, `${r.change_pct >= 0 ? '+' : ''}${r.change_pct.toFixed(2)}%`]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((s, i) => (i === 0 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
