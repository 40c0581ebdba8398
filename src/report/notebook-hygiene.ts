/**
 * Notebook hygiene (in the manner of nbdev's clean): committed notebooks carry no outputs, no
 * execution counts and no volatile metadata (kernel versions, widget state, timings), and they name
 * the tslab kernel, so diffs show only what a person changed and any checkout runs the same way.
 */

/** The kernelspec every committed notebook names (what `tslab install` registers). */
export const TSLAB_KERNELSPEC = { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } as const;

/** Cell metadata worth keeping in git (tags drive skip flags); everything else is volatile. */
export const KEPT_CELL_METADATA = ['tags'] as const;

export interface NotebookCell {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

function keptMetadata(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEPT_CELL_METADATA) if (meta && meta[k] !== undefined) out[k] = meta[k];
  return out;
}

/** A clean copy of a notebook: outputs, counts and volatile metadata removed, stable cell ids. */
export function cleanNotebook(nb: Notebook): Notebook {
  const seen = new Set<string>();
  const cells = nb.cells.map((c, i) => {
    let id = typeof c.id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(c.id) && !seen.has(c.id) ? c.id : `cell-${String(i + 1).padStart(2, '0')}`;
    while (seen.has(id)) id = `${id}-${i}`;
    seen.add(id);
    const cell: NotebookCell = { cell_type: c.cell_type, id, metadata: keptMetadata(c.metadata), source: c.source };
    if (c.cell_type === 'code') {
      cell.execution_count = null;
      cell.outputs = [];
    }
    if (c.attachments !== undefined && c.cell_type === 'markdown') cell.attachments = c.attachments;
    return cell;
  });
  return {
    cells,
    metadata: { kernelspec: { ...TSLAB_KERNELSPEC }, language_info: { name: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Serialises the way Jupyter does (one-space indent, trailing newline), so a save in JupyterLab + clean is a no-op. */
export function notebookJson(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + '\n';
}

/** What is wrong with a committed notebook, one line each; empty when it is clean. */
export function notebookProblems(nb: Notebook): string[] {
  const problems: string[] = [];
  const ks = nb.metadata?.kernelspec as Record<string, unknown> | undefined;
  if (!ks || ks.name !== TSLAB_KERNELSPEC.name || ks.language !== TSLAB_KERNELSPEC.language) {
    problems.push(`kernelspec is ${JSON.stringify(ks)}, expected ${JSON.stringify(TSLAB_KERNELSPEC)}`);
  }
  const extra = Object.keys(nb.metadata ?? {}).filter((k) => k !== 'kernelspec' && k !== 'language_info');
  if (extra.length) problems.push(`volatile notebook metadata: ${extra.join(', ')}`);
  const li = nb.metadata?.language_info as Record<string, unknown> | undefined;
  if (li && Object.keys(li).some((k) => k !== 'name')) problems.push(`volatile language_info fields: ${Object.keys(li).filter((k) => k !== 'name').join(', ')}`);
  nb.cells.forEach((c, i) => {
    const where = `cell ${i + 1} (${c.cell_type})`;
    if (c.cell_type === 'code') {
      if (c.outputs && c.outputs.length) problems.push(`${where} has ${c.outputs.length} output(s)`);
      if (c.execution_count !== null && c.execution_count !== undefined) problems.push(`${where} has execution count ${c.execution_count}`);
    }
    const metaKeys = Object.keys(c.metadata ?? {}).filter((k) => !(KEPT_CELL_METADATA as readonly string[]).includes(k));
    if (metaKeys.length) problems.push(`${where} has volatile metadata: ${metaKeys.join(', ')}`);
  });
  return problems;
}
