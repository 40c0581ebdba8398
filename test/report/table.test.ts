import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OptionError } from '../../src/core';
import { formatCell, tableToCsv, tableToHtml, tableToMarkdown, tableToText, toGrid } from '../../src/report';

const rows = [
  { engine: 'fp32', hmean: 0.912345678, images: 10 },
  { engine: '<int8>', hmean: 0.9, images: 10 },
];

test('records become an HTML table with escaped text and right-aligned numbers', () => {
  const before = JSON.stringify(rows);
  const html = tableToHtml(rows, { caption: 'Final table' });
  assert.match(html, /<caption>Final table<\/caption>/);
  assert.match(html, /<th>engine<\/th><th style="text-align:right">hmean<\/th>/);
  assert.match(html, /<td>&lt;int8&gt;<\/td><td style="text-align:right">0\.9000<\/td><td style="text-align:right">10<\/td>/);
  assert.equal(JSON.stringify(rows), before, 'input unchanged');
});

test('a danfojs DataFrame renders like the equivalent records', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dfd = require('danfojs');
  const df = new dfd.DataFrame(rows);
  assert.equal(tableToHtml(df), tableToHtml(rows));
});

test('a DataFrame with row labels (describe()) keeps them as the first column', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dfd = require('danfojs');
  const stats = new dfd.DataFrame([{ ms: 10 }, { ms: 20 }, { ms: 30 }]).describe();
  const txt = tableToText(stats, { digits: 1 });
  assert.match(txt, /^\s+ms\n/);
  assert.match(txt, /\ncount\s+3\n/);
  assert.match(txt, /\nmean\s+20\n/);
});

test('long tables are never cut silently', () => {
  const many = Array.from({ length: 12 }, (_, i) => ({ i }));
  assert.match(tableToHtml(many, { maxRows: 10 }), /… 2 more rows/);
  assert.match(tableToMarkdown(many, { maxRows: 10 }), /… 2 more rows/);
  assert.doesNotMatch(tableToHtml(many), /more rows/);
});

test('Markdown escapes pipes and aligns numeric columns right', () => {
  const md = tableToMarkdown([{ name: 'a|b', x: 1.5 }], { digits: 2 });
  assert.equal(md, '| name | x |\n| --- | ---: |\n| a\\|b | 1.50 |');
});

test('text tables align columns for terminals', () => {
  const txt = tableToText([{ name: 'fp32', ms: 812.25 }, { name: 'int8', ms: 95.5 }], { digits: 1 });
  assert.equal(txt, 'name     ms\n----  -----\nfp32  812.3\nint8   95.5');
});

test('CSV keeps full precision and quotes fields that need it', () => {
  const csv = tableToCsv([{ a: 'x,y', b: 'say "hi"', c: 0.123456789, d: null }]);
  assert.equal(csv, 'a,b,c,d\n"x,y","say ""hi""",0.123456789,\n');
});

test('cells: integers plain, others fixed, infinities as symbols, booleans as yes/no', () => {
  assert.equal(formatCell(3, 2), '3');
  assert.equal(formatCell(1 / 3, 2), '0.33');
  assert.equal(formatCell(Infinity, 2), '∞');
  assert.equal(formatCell(true, 2), 'yes');
  assert.equal(formatCell(undefined, 2), '');
});

test('rejects a value that is not a table, and misspelled options', () => {
  assert.throws(() => toGrid(42 as never), (e: unknown) => e instanceof OptionError && /array of records or a DataFrame/.test(e.message));
  assert.throws(() => tableToHtml(rows, { digit: 2 } as never), (e: unknown) => e instanceof OptionError && /Unknown option "digit".*digits/.test(e.message));
});
