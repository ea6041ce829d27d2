import type { Queryable } from '../db';
import { appendRows, columnRows, emptyColumns, RESULT_COLUMNS, type ResultColumns } from './result-columns';
import type { ResultRow } from './result-row';

// One statement for any number of rows: each column travels as one array parameter and
// `unnest` turns the arrays back into rows. A multi-row VALUES list needs 11 parameters a row,
// so it hits PostgreSQL's 65,535-parameter limit at 5,957 rows and must be cut into several
// statements, and every distinct batch size is a new statement for the server to parse and plan.
// `npm run bench:insert` measures the two against each other (docs/results-and-monitoring.md).
const INSERT_RESULTS = `
WITH inserted AS (
  INSERT INTO results (request_id, entry_index, role, budget_id, itemization_id, score, decision,
                       threshold, model_version, error_code, scored_at)
  SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::float8[],
                       $7::bool[], $8::float8[], $9::text[], $10::text[], $11::timestamptz[])
  ON CONFLICT (request_id, role, entry_index) DO NOTHING
  RETURNING 1
)
SELECT count(*)::int AS inserted FROM inserted`;

/**
 * Inserts result rows in one statement. A row already stored (same request, role and reply
 * position) is skipped, so a redelivered batch, or the same rows twice in one batch, never
 * duplicates a row. Returns how many rows were new.
 *
 * @example await writeResults(db, toResultRows(entries, run)); // 0 the second time
 */
export async function writeResults(db: Queryable, rows: readonly ResultRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return writeResultColumns(db, appendRows(emptyColumns(), rows));
}

/** {@link writeResults} for rows already in columns (the local journal's shape). */
export async function writeResultColumns(db: Queryable, columns: ResultColumns): Promise<number> {
  if (columnRows(columns) === 0) return 0;
  const { rows: result } = await db.query<{ inserted: number }>(
    INSERT_RESULTS,
    RESULT_COLUMNS.map((name) => columns[name]),
  );
  return result[0]?.inserted ?? 0;
}
