/**
 * A report as a list of blocks, written twice: `story.md` (charts and images as files beside it,
 * tables as Markdown) and a self-contained `story.html` (inline SVG, PNG as data URLs) that opens
 * anywhere and survives being mailed around. Tables with a `csv` name are also written as CSV.
 */
import * as path from 'node:path';
import { OptionError, writeFileAtomic } from '../core';
import { chartToSvg, type VegaLiteSpec } from './chart';
import { escapeHtml, tableToCsv, tableToHtml, tableToMarkdown, type AnyTable } from './table';

export type ReportBlock =
  | { kind: 'heading'; text: string; level?: 1 | 2 | 3 }
  /** A paragraph; `code` and **bold** are the only inline markup. */
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'table'; table: AnyTable; caption?: string; digits?: number; csv?: string }
  | { kind: 'chart'; spec: VegaLiteSpec; name: string; caption?: string }
  | { kind: 'images'; images: { png: Uint8Array; name: string; caption: string }[] };

export interface ReportDocument {
  title: string;
  blocks: ReportBlock[];
}

export interface WrittenReport {
  markdownFile: string;
  htmlFile: string;
  /** Every file written, absolute paths. */
  files: string[];
}

const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

function checkName(kind: string, name: string): string {
  if (!SAFE_NAME.test(name)) {
    throw new OptionError(`Report ${kind} name ${JSON.stringify(name)} is not a safe file name`, { fix: 'use letters, digits, ".", "_" and "-" only' });
  }
  return name;
}

function inlineHtml(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

const CSS = `body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;max-width:1280px;margin:24px auto;padding:0 16px;color:#222;line-height:1.45}
h1{border-bottom:2px solid #444;padding-bottom:4px}h2{margin-top:32px;border-bottom:1px solid #ccc}
table.detbench{border-collapse:collapse;margin:12px 0;font-size:13px}table.detbench th,table.detbench td{border:1px solid #bbb;padding:3px 8px}
table.detbench th{background:#f0f0f0}table.detbench caption{caption-side:top;text-align:left;font-style:italic;padding:4px 0}
pre{background:#f6f6f6;padding:8px;overflow-x:auto;font-size:12px}code{background:#f3f3f3;padding:0 3px}
figure{display:inline-block;margin:8px;vertical-align:top}figure img{max-width:600px;border:1px solid #ddd}figcaption{font-size:12px;color:#555}
.chart svg{max-width:100%;height:auto}`;

/** Writes `story.md`, `story.html` and their assets into `dir`. */
export async function writeReport(dir: string, doc: ReportDocument, baseName = 'story'): Promise<WrittenReport> {
  checkName('file', baseName);
  const md: string[] = [`# ${doc.title}`, ''];
  const html: string[] = [`<h1>${escapeHtml(doc.title)}</h1>`];
  const files: string[] = [];
  const write = (rel: string, data: string | Uint8Array) => {
    const file = path.join(dir, rel);
    writeFileAtomic(file, data);
    files.push(file);
  };
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'heading': {
        const level = b.level ?? 2;
        md.push(`${'#'.repeat(level)} ${b.text}`, '');
        html.push(`<h${level}>${escapeHtml(b.text)}</h${level}>`);
        break;
      }
      case 'text':
        md.push(b.text, '');
        html.push(`<p>${inlineHtml(b.text)}</p>`);
        break;
      case 'code':
        md.push('```', b.text, '```', '');
        html.push(`<pre>${escapeHtml(b.text)}</pre>`);
        break;
      case 'table': {
        const opts = { caption: b.caption, ...(b.digits !== undefined ? { digits: b.digits } : {}) };
        md.push(tableToMarkdown(b.table, opts), '');
        html.push(tableToHtml(b.table, opts));
        if (b.csv) {
          const rel = `${checkName('csv', b.csv)}.csv`;
          write(rel, tableToCsv(b.table));
          md.push(`([${rel}](${rel}))`, '');
        }
        break;
      }
      case 'chart': {
        const svg = await chartToSvg(b.spec);
        const rel = `charts/${checkName('chart', b.name)}.svg`;
        write(rel, svg);
        md.push(`![${b.caption ?? b.name}](${rel})`, '');
        if (b.caption) md.push(`*${b.caption}*`, '');
        html.push(`<figure class="chart">${svg.replace(/^<\?xml[^>]*>/, '')}${b.caption ? `<figcaption>${inlineHtml(b.caption)}</figcaption>` : ''}</figure>`);
        break;
      }
      case 'images': {
        const figs: string[] = [];
        for (const im of b.images) {
          const rel = `images/${checkName('image', im.name)}.png`;
          write(rel, im.png);
          md.push(`![${im.caption}](${rel})`, `*${im.caption}*`, '');
          figs.push(`<figure><img src="data:image/png;base64,${Buffer.from(im.png).toString('base64')}" alt="${escapeHtml(im.caption)}"/><figcaption>${inlineHtml(im.caption)}</figcaption></figure>`);
        }
        html.push(`<div>${figs.join('')}</div>`);
        break;
      }
    }
  }
  const markdownFile = path.join(dir, `${baseName}.md`);
  const htmlFile = path.join(dir, `${baseName}.html`);
  writeFileAtomic(markdownFile, md.join('\n'));
  writeFileAtomic(
    htmlFile,
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title><style>${CSS}</style></head>\n<body>\n${html.join('\n')}\n</body></html>\n`,
  );
  files.push(markdownFile, htmlFile);
  return { markdownFile, htmlFile, files };
}
