import type { ResultRow } from './result-row';

/**
 * Result rows as one array a column, in the results table's column order: the shape the INSERT
 * takes (`unnest` of one array parameter a column), and the shape the local journal stores, so a
 * batch goes from the sink to the database without building an object a row on either side.
 */
export interface ResultColumns {
  readonly request_id: string[];
  readonly entry_index: number[];
  readonly role: ResultRow['role'][];
  readonly budget_id: (string | null)[];
  readonly itemization_id: (string | null)[];
  readonly score: (number | null)[];
  readonly decision: (boolean | null)[];
  readonly threshold: number[];
  readonly model_version: string[];
  readonly error_code: (string | null)[];
  readonly scored_at: string[];
}

/** The columns, in the INSERT's parameter order. */
export const RESULT_COLUMNS = [
  'request_id',
  'entry_index',
  'role',
  'budget_id',
  'itemization_id',
  'score',
  'decision',
  'threshold',
  'model_version',
  'error_code',
  'scored_at',
] as const satisfies readonly (keyof ResultColumns)[];

/** Empty columns. */
export function emptyColumns(): ResultColumns {
  return {
    request_id: [],
    entry_index: [],
    role: [],
    budget_id: [],
    itemization_id: [],
    score: [],
    decision: [],
    threshold: [],
    model_version: [],
    error_code: [],
    scored_at: [],
  };
}

/** Appends rows to `columns` (in place) and returns them. */
export function appendRows(columns: ResultColumns, rows: readonly ResultRow[]): ResultColumns {
  for (const r of rows) {
    columns.request_id.push(r.request_id);
    columns.entry_index.push(r.entry_index);
    columns.role.push(r.role);
    columns.budget_id.push(r.budget_id);
    columns.itemization_id.push(r.itemization_id);
    columns.score.push(r.score);
    columns.decision.push(r.decision);
    columns.threshold.push(r.threshold);
    columns.model_version.push(r.model_version);
    columns.error_code.push(r.error_code);
    columns.scored_at.push(r.scored_at);
  }
  return columns;
}

/** Appends every row of `more` to `columns` (in place) and returns them. */
export function appendColumns(columns: ResultColumns, more: ResultColumns): ResultColumns {
  for (const name of RESULT_COLUMNS) (columns[name] as unknown[]).push(...(more[name] as unknown[]));
  return columns;
}

/** Rows `from` (included) to `to` (excluded) as new columns. */
export function sliceColumns(columns: ResultColumns, from: number, to: number): ResultColumns {
  const sliced = emptyColumns();
  for (const name of RESULT_COLUMNS) (sliced[name] as unknown[]).push(...columns[name].slice(from, to));
  return sliced;
}

/** How many rows the columns hold. */
export function columnRows(columns: ResultColumns): number {
  return columns.request_id.length;
}

/** Row `index` as a {@link ResultRow} (for logging a refused row). */
export function rowAt(columns: ResultColumns, index: number): Record<keyof ResultColumns, unknown> {
  return Object.fromEntries(RESULT_COLUMNS.map((name) => [name, columns[name][index]])) as Record<
    keyof ResultColumns,
    unknown
  >;
}
