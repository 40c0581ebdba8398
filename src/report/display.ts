/**
 * Rich output for tslab notebooks. Each helper builds a Jupyter MIME bundle (pure, testable) and
 * sends it to the kernel in one `display_data` message, so a chart carries its SVG (shown by every
 * viewer and by nbconvert's HTML) and the vega-lite JSON (rendered live by JupyterLab) together.
 * Outside a notebook the text/plain part goes to stdout, so the same code runs in scripts.
 */
import { chartToSvg, type VegaLiteSpec } from './chart';
import { tableToHtml, tableToText, type AnyTable, type TableOptions } from './table';

/** MIME type → content (strings; JSON types as objects). */
export type MimeBundle = Record<string, unknown>;

export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';

/** Where bundles go: tslab's display channel in a kernel, stdout elsewhere; replaceable for tests. */
export type DisplaySink = (bundle: MimeBundle) => void;

type TslabWrite = (content: { data: MimeBundle; metadata: object; transient: object }, update: boolean) => void;

/** tslab's display writer, if this process is a tslab kernel (found in the module cache, never loaded here). */
function tslabWriter(): TslabWrite | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) {
      const write = (mod?.exports as { lastWriteDisplayData?: TslabWrite | null })?.lastWriteDisplayData;
      if (typeof write === 'function') return write;
    }
  }
  return undefined;
}

const defaultSink: DisplaySink = (bundle) => {
  const write = tslabWriter();
  if (write) write({ data: bundle, metadata: {}, transient: {} }, false);
  else process.stdout.write(`${String(bundle['text/plain'] ?? '')}\n`);
};

let sink: DisplaySink = defaultSink;

/** Replaces the display sink (tests, other kernels); returns the previous one. */
export function setDisplaySink(next: DisplaySink | undefined): DisplaySink {
  const prev = sink;
  sink = next ?? defaultSink;
  return prev;
}

/** Sends a bundle to the notebook (or stdout). */
export function show(bundle: MimeBundle): void {
  sink(bundle);
}

export function tableBundle(table: AnyTable, options: Partial<TableOptions> = {}): MimeBundle {
  return { 'text/html': tableToHtml(table, options), 'text/plain': tableToText(table, options) };
}

/**
 * The chart three ways: vega-lite JSON (JupyterLab renders it live), the SVG, and the SVG as an
 * `<img>` data URL in text/html. nbconvert prefers text/html and sanitises inline SVG down to its
 * text, so the `<img>` is what exported HTML and most viewers show.
 */
export async function chartBundle(spec: VegaLiteSpec): Promise<MimeBundle> {
  const svg = await chartToSvg(spec);
  const title = typeof spec.title === 'string' ? spec.title : (spec.title as { text?: string } | undefined)?.text;
  const alt = (title ?? 'chart').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const img = `<img alt="${alt}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"/>`;
  return { [VEGA_LITE_MIME]: spec, 'text/html': img, 'image/svg+xml': svg, 'text/plain': `<chart${title ? `: ${title}` : ''}>` };
}

export function pngBundle(png: Uint8Array, alt = 'image'): MimeBundle {
  return { 'image/png': Buffer.from(png).toString('base64'), 'text/plain': `<${alt}: PNG, ${png.length} bytes>` };
}

export function markdownBundle(markdown: string): MimeBundle {
  return { 'text/markdown': markdown, 'text/plain': markdown };
}

/** Shows a DataFrame or records as an HTML table. */
export function showTable(table: AnyTable, options: Partial<TableOptions> = {}): void {
  show(tableBundle(table, options));
}

/** Shows a vega-lite chart: SVG plus the vega-lite bundle. */
export async function showChart(spec: VegaLiteSpec): Promise<void> {
  show(await chartBundle(spec));
}

/** Shows PNG bytes (an overlay, a heatmap). */
export function showPng(png: Uint8Array, alt?: string): void {
  show(pngBundle(png, alt));
}

/** Shows Markdown text (a verdict, a note computed at run time). */
export function showMarkdown(markdown: string): void {
  show(markdownBundle(markdown));
}

/** Shows images side by side with captions (e.g. the same image through two engines). */
export function showImages(images: { png: Uint8Array; caption: string }[], widthPx = 640): void {
  const cells = images
    .map((im) => `<figure style="display:inline-block;margin:4px;vertical-align:top"><img style="max-width:${widthPx}px;width:100%" src="data:image/png;base64,${Buffer.from(im.png).toString('base64')}"/><figcaption>${im.caption.replace(/</g, '&lt;')}</figcaption></figure>`)
    .join('');
  show({ 'text/html': `<div>${cells}</div>`, 'text/plain': images.map((i) => `<${i.caption}>`).join(' ') });
}
