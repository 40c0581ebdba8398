import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { VEGA_LITE_MIME, chartBundle, pngBundle, setDisplaySink, showChart, showTable, tableBundle, type MimeBundle } from '../../src/report';

const spec = { title: 'Latency', data: { values: [{ a: 'x', b: 1 }] }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } };

test('a chart bundle carries the SVG, the vega-lite spec and a text fallback together', async () => {
  const b = await chartBundle(spec);
  assert.match(String(b['image/svg+xml']), /^<svg /);
  assert.deepEqual(b[VEGA_LITE_MIME], spec);
  assert.equal(b['text/plain'], '<chart: Latency>');
  // nbconvert strips inline SVG in HTML export; the <img> data URL survives it.
  const html = String(b['text/html']);
  assert.match(html, /^<img alt="Latency" src="data:image\/svg\+xml;base64,/);
  assert.equal(Buffer.from(html.split('base64,')[1].replace(/"\/>$/, ''), 'base64').toString(), b['image/svg+xml']);
});

test('a table bundle has HTML and aligned text', () => {
  const b = tableBundle([{ engine: 'int8', ms: 3 }]);
  assert.match(String(b['text/html']), /<table/);
  assert.match(String(b['text/plain']), /engine {2}ms/);
});

test('a PNG bundle is base64 of the bytes', () => {
  const bytes = Uint8Array.from([137, 80, 78, 71]);
  assert.equal(pngBundle(bytes)['image/png'], 'iVBORw==');
});

test('show* helpers send one bundle each to the display sink', async () => {
  const seen: MimeBundle[] = [];
  const prev = setDisplaySink((b) => seen.push(b));
  try {
    showTable([{ a: 1 }]);
    await showChart(spec);
  } finally {
    setDisplaySink(prev);
  }
  assert.equal(seen.length, 2);
  assert.ok('text/html' in seen[0]);
  assert.ok('image/svg+xml' in seen[1] && VEGA_LITE_MIME in seen[1]);
});
