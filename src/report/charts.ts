/**
 * vega-lite specs of the comparison stage, every axis titled with its unit. Plain JSON out, rendered
 * by `chart.ts` (story) or `display.ts` (notebooks).
 */
import type { ParetoMarked, ParetoPoint, SizeBinRow } from '../stats';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './chart';

const base = (title: string): VegaLiteSpec => ({
  $schema: VEGA_LITE_SCHEMA,
  title,
  config: { font: 'DejaVu Sans, Liberation Sans, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, title: { fontSize: 14 } },
});

/** Per-image HMean delta (candidate − reference, points), sorted worst first. */
export function hmeanDeltaChart(rows: { image: string; delta: number }[], candidate = 'engine', width = 640): VegaLiteSpec {
  const values = [...rows].sort((a, b) => a.delta - b.delta).map((r, rank) => ({ image: r.image, rank: rank + 1, points: r.delta * 100 }));
  return {
    ...base(`Per-image HMean change, ${candidate} vs reference (sorted)`),
    width,
    height: 220,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'rank', type: 'ordinal', title: 'image (sorted by change)', axis: { labels: values.length <= 40 } },
      y: { field: 'points', type: 'quantitative', title: 'HMean change (points)' },
      color: { condition: { test: 'datum.points < 0', value: '#c0392b' }, value: '#2e86c1' },
      tooltip: [{ field: 'image' }, { field: 'points', format: '.2f', title: 'change (points)' }],
    },
  };
}

/** HMean and recall change per text-size bin (candidate − reference, points), with the GT count per bin. */
export function sizeBinChart(rows: SizeBinRow[], reference = 'reference', candidate = 'engine'): VegaLiteSpec {
  const values = rows.flatMap((r) => [
    { bin: `${r.bin} (n=${r.gtBoxes})`, order: r.minHeight, metric: 'HMean', points: r.hmeanDelta * 100 },
    { bin: `${r.bin} (n=${r.gtBoxes})`, order: r.minHeight, metric: 'Recall', points: r.recallDelta * 100 },
  ]);
  return {
    ...base(`Change by text height, ${candidate} vs ${reference}`),
    width: 120,
    height: 220,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      column: { field: 'bin', type: 'ordinal', title: 'text height bin (px, n = GT boxes)', sort: { field: 'order' }, header: { labelOrient: 'bottom', titleOrient: 'bottom' } },
      x: { field: 'metric', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      y: { field: 'points', type: 'quantitative', title: 'change (points)' },
      color: { field: 'metric', type: 'nominal', title: 'metric', scale: { range: ['#2e86c1', '#e67e22'] } },
    },
  };
}

/** Accuracy vs latency of every engine variant, Pareto front drawn as a line. */
export function paretoChart(points: ParetoMarked<ParetoPoint>[], accuracyTitle = 'HMean (%)'): VegaLiteSpec {
  // Labels alternate above/below in latency order (neighbours never collide) and sit on the inner
  // side of their point (right of points in the left half, left of those in the right half).
  const lat = points.map((p) => p.latencyMs);
  const mid = (Math.min(...lat) + Math.max(...lat)) / 2;
  const order = [...points.keys()].sort((a, b) => lat[a] - lat[b]);
  const values = points.map((p, i) => ({
    name: p.name, latency: p.latencyMs, accuracy: p.accuracy * 100, front: p.onFront ? 'on the Pareto front' : 'dominated',
    row: order.indexOf(i) % 2, right: p.latencyMs > mid ? 1 : 0,
  }));
  const enc = {
    x: { field: 'latency', type: 'quantitative', title: 'median inference latency (ms, lower is better)', scale: { zero: false } },
    y: { field: 'accuracy', type: 'quantitative', title: `${accuracyTitle}, higher is better`, scale: { zero: false } },
  };
  const labels = [0, 1].flatMap((row) => [0, 1].map((right) => ({
    transform: [{ filter: `datum.row === ${row} && datum.right === ${right}` }],
    mark: { type: 'text', dx: right ? -8 : 8, dy: row ? 12 : -8, align: right ? 'right' : 'left', fontSize: 11 },
    encoding: { ...enc, text: { field: 'name' } },
  })));
  return {
    ...base('Accuracy vs latency of the engine variants'),
    width: 520,
    height: 300,
    data: { values },
    layer: [
      { transform: [{ filter: "datum.front === 'on the Pareto front'" }], mark: { type: 'line', strokeDash: [4, 3], color: '#888' }, encoding: { ...enc, order: { field: 'latency' } } },
      { mark: { type: 'point', filled: true, size: 90, tooltip: true }, encoding: { ...enc, color: { field: 'front', type: 'nominal', title: null, legend: { orient: 'bottom' }, scale: { domain: ['on the Pareto front', 'dominated'], range: ['#1e8449', '#aaaaaa'] } } } },
      ...labels,
    ],
  };
}

/** Median latency per engine, split by pipeline stage (stacked bars). */
export function stageLatencyChart(rows: { engine: string; stage: string; ms: number }[]): VegaLiteSpec {
  return {
    ...base('Where the time goes, per image (median)'),
    width: 520,
    height: { step: 28 },
    data: { values: rows },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'engine', type: 'nominal', title: 'engine' },
      x: { field: 'ms', type: 'quantitative', title: 'time per image (ms)', stack: 'zero' },
      color: { field: 'stage', type: 'nominal', title: 'stage', sort: ['decode', 'preprocess', 'infer', 'postprocess'] },
      order: { field: 'order' },
    },
  };
}

/** Horizontal bars of a name → value map, largest first (operator histogram, FLOPs by operator). */
export function rankedBarChart(values: Record<string, number>, title: string, valueTitle: string, top = 15): VegaLiteSpec {
  const rows = Object.entries(values)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, value]) => ({ name, value }));
  return {
    ...base(title),
    width: 420,
    height: { step: 18 },
    data: { values: rows },
    mark: { type: 'bar', tooltip: true, color: '#2e86c1' },
    encoding: {
      y: { field: 'name', type: 'nominal', title: null, sort: '-x' },
      x: { field: 'value', type: 'quantitative', title: valueTitle },
    },
  };
}
