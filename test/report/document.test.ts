import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { OptionError } from '../../src/core';
import { writeReport } from '../../src/report';

test('writes story.md with linked assets and a self-contained story.html', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'detbench-report-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#f00' } }).png().toBuffer();
  const out = await writeReport(dir, {
    title: 'Story',
    blocks: [
      { kind: 'heading', text: '1. Export' },
      { kind: 'text', text: 'The model has `672` nodes and **one** input.' },
      { kind: 'table', table: [{ engine: 'fp32', hmean: 0.9 }], caption: 'Final', csv: 'final' },
      { kind: 'chart', name: 'latency', caption: 'Latency', spec: { data: { values: [{ a: 'x', b: 2 }] }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } } },
      { kind: 'images', images: [{ png, name: 'overlay-1', caption: 'img <1>' }] },
    ],
  });
  const md = fs.readFileSync(out.markdownFile, 'utf8');
  const html = fs.readFileSync(out.htmlFile, 'utf8');
  assert.match(md, /^# Story\n/);
  assert.match(md, /\| engine \| hmean \|/);
  assert.match(md, /!\[Latency\]\(charts\/latency\.svg\)/);
  assert.match(md, /!\[img <1>\]\(images\/overlay-1\.png\)/);
  assert.match(html, /<code>672<\/code> nodes and <strong>one<\/strong>/);
  assert.match(html, /<table class="detbench"><caption>Final<\/caption>/);
  assert.match(html, /<svg [^>]*class="marks"/);
  assert.match(html, /src="data:image\/png;base64,/);
  assert.match(html, /img &lt;1&gt;/);
  assert.equal(fs.readFileSync(path.join(dir, 'final.csv'), 'utf8'), 'engine,hmean\nfp32,0.9\n');
  assert.ok(fs.existsSync(path.join(dir, 'charts', 'latency.svg')));
  assert.deepEqual(fs.readFileSync(path.join(dir, 'images', 'overlay-1.png')), png);
  assert.equal(fs.readdirSync(dir).filter((f) => f.includes('.tmp-')).length, 0, 'no temp files left');
});

test('rejects an asset name that could escape the report folder', async () => {
  await assert.rejects(
    writeReport(os.tmpdir(), { title: 't', blocks: [{ kind: 'table', table: [{ a: 1 }], csv: '../evil' }] }),
    (e: unknown) => e instanceof OptionError && /not a safe file name/.test(e.message),
  );
});
