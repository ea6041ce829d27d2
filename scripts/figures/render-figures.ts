import type { FiguresFile, FiguresTable } from './figures-file';

/**
 * Renders figures files into the docs' marked blocks:
 *
 *     <!-- figures:bench -->        every table of docs/figures/bench.json
 *     <!-- /figures:bench -->
 *     <!-- figures:bench#seed -->   only the table whose id is "seed"
 *     <!-- /figures:bench#seed -->
 *
 * Markers stand on lines of their own (a marker quoted inside a sentence is text). Everything
 * between the two markers is replaced; everything outside is left as it is.
 */
const BLOCK =
  /^<!-- figures:([a-z0-9][a-z0-9-]*)(?:#([a-z0-9][a-z0-9-]*))? -->\n[\s\S]*?<!-- \/figures:\1(?:#\2)? -->$/gm;

export interface RenderedDoc {
  text: string;
  /** The blocks found, as `name` or `name#id`. */
  blocks: string[];
}

/** One line saying when, where and by what the figures were measured. */
export function stampLine(file: FiguresFile): string {
  const m = file.machine;
  return `*Measured ${file.date.slice(0, 10)} by \`${file.command}\` on ${m.cpu} (${m.cores} cores, ${m.memory_gib} GiB, ${m.os}), Node ${file.node}.*`;
}

export function formatCell(value: string | number | null): string {
  if (value === null) return '—';
  if (typeof value === 'number')
    return Number.isFinite(value)
      ? value.toLocaleString('en-US', { maximumFractionDigits: 6 })
      : String(value);
  return value.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function renderTable(table: FiguresTable): string {
  const align = table.columns.map((_, i) => {
    const given = table.align?.[i];
    if (given) return given;
    return table.rows.length > 0 && table.rows.every((r) => typeof r[i] === 'number' || r[i] === null)
      ? 'right'
      : 'left';
  });
  const lines: string[] = [];
  if (table.title) lines.push(table.title, '');
  lines.push(`| ${table.columns.map(formatCell).join(' | ')} |`);
  lines.push(`|${align.map((a) => (a === 'right' ? '---:' : '---')).join('|')}|`);
  for (const row of table.rows) {
    const cells = table.columns.map((_, i) => formatCell(row[i] ?? null));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The markdown that goes between a block's markers (without them). */
export function renderBlock(file: FiguresFile, tableId?: string): string {
  const tables = tableId === undefined ? file.tables : file.tables.filter((t) => t.id === tableId);
  if (tableId !== undefined && tables.length === 0)
    throw new Error(
      `figures:${file.name}#${tableId}: docs/figures/${file.name}.json has no table "${tableId}"`,
    );
  const parts = [stampLine(file), ...tables.map(renderTable)];
  if (tableId === undefined) parts.push(...(file.notes ?? []));
  return parts.join('\n\n');
}

/**
 * Re-renders every figures block of one document from `files` (by name). A block naming a
 * figures file that is not there is an error naming the document and the block.
 */
export function renderDoc(
  text: string,
  files: ReadonlyMap<string, FiguresFile>,
  source: string,
): RenderedDoc {
  const blocks: string[] = [];
  const out = text.replace(BLOCK, (_whole, name: string, id: string | undefined) => {
    const label = id === undefined ? name : `${name}#${id}`;
    blocks.push(label);
    const file = files.get(name);
    if (!file) throw new Error(`${source}: figures:${label} has no docs/figures/${name}.json`);
    return `<!-- figures:${label} -->\n${renderBlock(file, id)}\n<!-- /figures:${label} -->`;
  });
  const opened = text.match(/^<!-- figures:[a-z0-9][a-z0-9-]*(?:#[a-z0-9][a-z0-9-]*)? -->$/gm)?.length ?? 0;
  if (opened !== blocks.length)
    throw new Error(`${source}: a <!-- figures:... --> marker without its closing <!-- /figures:... -->`);
  return { text: out, blocks };
}
