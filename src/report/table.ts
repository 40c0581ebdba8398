/**
 * Tables for people: a danfojs DataFrame or plain records → HTML, Markdown, CSV or aligned text.
 * Duck-typed on `{ columns, values }` so this module does not load danfojs (slow to import).
 */
import { OptionError, withDefaults } from '../core';

/** Records (one object per row), or anything shaped like a danfojs DataFrame. */
export type TableLike = readonly object[] | { columns: readonly string[]; values: readonly unknown[][] | readonly unknown[] };

/**
 * What the table functions accept: a {@link TableLike}, checked at run time, because the stages
 * type their DataFrames loosely (danfojs is loaded lazily) and a notebook should not need a cast.
 */
export type AnyTable = TableLike | unknown;

export interface TableOptions {
  /** Digits after the decimal point for numbers that are not integers. @default 4 */
  digits: number;
  /** Caption shown with the table. @default undefined */
  caption: string | undefined;
  /** Rows shown before the rest is summarised in one line (tables are never cut silently). @default 1000 */
  maxRows: number;
}

export const DEFAULT_TABLE_OPTIONS: TableOptions = { digits: 4, caption: undefined, maxRows: 1000 };

export interface Grid {
  columns: string[];
  rows: unknown[][];
}

/** Columns and rows of a table. Throws OptionError for anything that is not a table. */
export function toGrid(table: AnyTable): Grid {
  if (Array.isArray(table)) {
    const columns: string[] = [];
    for (const r of table as readonly object[]) for (const k of Object.keys(r ?? {})) if (!columns.includes(k)) columns.push(k);
    return { columns, rows: (table as readonly object[]).map((r) => columns.map((c) => (r as Record<string, unknown>)[c])) };
  }
  const t = table as { columns?: unknown; values?: unknown; index?: unknown };
  if (t && Array.isArray(t.columns) && Array.isArray(t.values)) {
    const values = t.values as unknown[];
    // A danfojs Series-like single column comes as a flat array.
    const rows = values.map((v) => (Array.isArray(v) ? v : [v]));
    // Row labels (e.g. describe()'s count/mean/std) become the first column; a plain 0..n-1 index is dropped.
    const index = Array.isArray(t.index) && t.index.length === rows.length ? (t.index as unknown[]) : undefined;
    if (index && index.some((v, i) => v !== i)) {
      return { columns: ['', ...t.columns.map(String)], rows: rows.map((r, i) => [index[i], ...r]) };
    }
    return { columns: t.columns.map(String), rows };
  }
  throw new OptionError('Expected an array of records or a DataFrame (with columns and values) for a table', {
    fix: 'pass rows like [{ engine: "int8", hmean: 0.91 }] or a danfojs DataFrame',
  });
}

/** One cell as text: integers as they are, other numbers with `digits` decimals, nothing for null. */
export function formatCell(v: unknown, digits: number): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
    return Number.isInteger(v) ? String(v) : v.toFixed(digits);
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function limited(grid: Grid, maxRows: number): { rows: unknown[][]; hidden: number } {
  return grid.rows.length > maxRows ? { rows: grid.rows.slice(0, maxRows), hidden: grid.rows.length - maxRows } : { rows: grid.rows, hidden: 0 };
}

const isNumeric = (grid: Grid, c: number) => grid.rows.length > 0 && grid.rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number');

/** An HTML `<table>` (numbers right-aligned), with an optional caption. */
export function tableToHtml(table: AnyTable, options: Partial<TableOptions> = {}): string {
  const o = withDefaults('table options', DEFAULT_TABLE_OPTIONS, options);
  const grid = toGrid(table);
  const { rows, hidden } = limited(grid, o.maxRows);
  const numeric = grid.columns.map((_, c) => isNumeric(grid, c));
  const align = (c: number) => (numeric[c] ? ' style="text-align:right"' : '');
  const head = grid.columns.map((c, i) => `<th${align(i)}>${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((v, c) => `<td${align(c)}>${escapeHtml(formatCell(v, o.digits))}</td>`).join('')}</tr>`)
    .join('\n');
  const more = hidden ? `\n<tr><td colspan="${grid.columns.length}">… ${hidden} more rows (see the CSV)</td></tr>` : '';
  const caption = o.caption ? `<caption>${escapeHtml(o.caption)}</caption>` : '';
  return `<table class="detbench">${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}${more}\n</tbody></table>`;
}

/** A GitHub-flavoured Markdown table. */
export function tableToMarkdown(table: AnyTable, options: Partial<TableOptions> = {}): string {
  const o = withDefaults('table options', DEFAULT_TABLE_OPTIONS, options);
  const grid = toGrid(table);
  const { rows, hidden } = limited(grid, o.maxRows);
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `| ${grid.columns.map(cell).join(' | ')} |`,
    `| ${grid.columns.map((_, c) => (isNumeric(grid, c) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map((v) => cell(formatCell(v, o.digits))).join(' | ')} |`),
  ];
  if (hidden) lines.push(`\n… ${hidden} more rows (see the CSV)`);
  return (o.caption ? `*${o.caption}*\n\n` : '') + lines.join('\n');
}

/** Plain text with aligned columns, for terminals. */
export function tableToText(table: AnyTable, options: Partial<TableOptions> = {}): string {
  const o = withDefaults('table options', DEFAULT_TABLE_OPTIONS, options);
  const grid = toGrid(table);
  const { rows, hidden } = limited(grid, o.maxRows);
  const cells = rows.map((r) => r.map((v) => formatCell(v, o.digits)));
  const widths = grid.columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const numeric = grid.columns.map((_, c) => isNumeric(grid, c));
  const pad = (s: string, i: number) => (numeric[i] ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const lines = [
    grid.columns.map(pad).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((r) => r.map(pad).join('  ')),
  ];
  if (hidden) lines.push(`… ${hidden} more rows`);
  return (o.caption ? `${o.caption}\n` : '') + lines.map((l) => l.trimEnd()).join('\n');
}

/** RFC 4180 CSV: every value at full precision, fields quoted when they need it, CRLF-free. */
export function tableToCsv(table: AnyTable): string {
  const grid = toGrid(table);
  const field = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [grid.columns.map(field).join(','), ...grid.rows.map((r) => r.map(field).join(','))].join('\n') + '\n';
}
