import type { QualityTrend } from '../lambda/monitoring';

/** The table's columns: heading and how each row shows. */
const COLUMNS: readonly (readonly [string, (r: QualityTrend) => string])[] = [
  ['day', (r) => r.day],
  ['model version', (r) => r.modelVersion],
  ['role', (r) => r.role],
  ['support', (r) => String(r.support)],
  ['precision', (r) => figure(r.precision)],
  ['recall', (r) => figure(r.recall)],
  ['F1', (r) => figure(r.f1)],
  ['P ewma', (r) => figure(r.precisionTrend.ewma)],
  ['R ewma', (r) => figure(r.recallTrend.ewma)],
  ['flags', flags],
];

/** A figure to 3 decimals; `—` where it is undefined. */
export function figure(value: number | null): string {
  return value === null ? '—' : value.toFixed(3);
}

/** `precision`, `recall`, both or nothing: which of the day's figures fell off their trend. */
export function flags(row: QualityTrend): string {
  return [row.precisionTrend.flag && 'precision', row.recallTrend.flag && 'recall']
    .filter(Boolean)
    .join(', ');
}

/** The headings and cells of the report table, one row per day and model version. */
export function tableRows(rows: readonly QualityTrend[]): { head: string[]; body: string[][] } {
  return { head: COLUMNS.map(([h]) => h), body: rows.map((r) => COLUMNS.map(([, cell]) => cell(r))) };
}

/** The report table as fixed-width text for a terminal; text columns left, numbers right. */
export function formatTable(rows: readonly QualityTrend[]): string {
  const { head, body } = tableRows(rows);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const numeric = (i: number) => i >= 3 && i < head.length - 1;
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
