import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import { OptionError } from '../../src/core';
import { paretoFront, type SizeBinRow } from '../../src/stats';
import { chartToPng, chartToSvg, hmeanDeltaChart, paretoChart, sizeBinChart, stageLatencyChart } from '../../src/report';

const bar = {
  data: { values: [{ engine: 'fp32', ms: 800 }, { engine: 'int8', ms: 300 }] },
  mark: 'bar',
  encoding: { x: { field: 'engine', type: 'nominal' }, y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' } },
};

/** Texts of the SVG's <text> elements, the way a reader sees the chart's words. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

test('a vega-lite spec renders to SVG with its axis title', async () => {
  const svg = await chartToSvg(bar);
  assert.match(svg, /^<svg /);
  assert.ok(svgTexts(svg).includes('latency (ms)'));
  assert.ok(svgTexts(svg).includes('int8'));
});

test('PNG rendering is a real PNG at twice the SVG size', async () => {
  const svg = await chartToSvg(bar);
  const svgWidth = Number(/width="(\d+)"/.exec(svg)![1]);
  const png = await chartToPng(bar, 2);
  const meta = await sharp(png).metadata();
  assert.equal(meta.format, 'png');
  assert.equal(meta.width, svgWidth * 2);
});

test('an invalid spec is an OptionError that names vega-lite', async () => {
  await assert.rejects(chartToSvg({ mark: 'no-such-mark', data: { values: [] } }), (e: unknown) => e instanceof OptionError && /vega-lite cannot compile/.test(e.message));
  await assert.rejects(chartToSvg([] as never), (e: unknown) => e instanceof OptionError && /received an array/.test(e.message));
});

test('the comparison charts render with units on their axes', async () => {
  const rows: SizeBinRow[] = [
    { bin: '<16 px', minHeight: 0, maxHeight: 16, gtBoxes: 5, refPrecision: 1, refRecall: 0.8, refHmean: 0.88, candPrecision: 1, candRecall: 0.6, candHmean: 0.75, hmeanDelta: -0.13, recallDelta: -0.2 },
    { bin: '>=16 px', minHeight: 16, maxHeight: Infinity, gtBoxes: 9, refPrecision: 1, refRecall: 1, refHmean: 1, candPrecision: 1, candRecall: 1, candHmean: 1, hmeanDelta: 0, recallDelta: 0 },
  ];
  const specs = [
    hmeanDeltaChart([{ image: 'a', delta: -0.1 }, { image: 'b', delta: 0.02 }], 'int8'),
    sizeBinChart(rows, 'fp32', 'int8'),
    paretoChart(paretoFront([{ name: 'fp32', accuracy: 0.9, latencyMs: 800 }, { name: 'int8', accuracy: 0.89, latencyMs: 300 }])),
    stageLatencyChart([{ engine: 'fp32', stage: 'infer', ms: 700 }, { engine: 'fp32', stage: 'decode', ms: 10 }]),
  ];
  const units = [/HMean change \(points\)/, /change \(points\)/, /latency \(ms/, /time per image \(ms\)/];
  for (let i = 0; i < specs.length; i++) {
    const texts = svgTexts(await chartToSvg(specs[i])).join('\n');
    assert.match(texts, units[i], `chart ${i} has its unit`);
  }
});
