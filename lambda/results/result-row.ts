import type { ReplyEntry } from '../contract';

/**
 * One recorded outcome: a scored pair, or a budget/item that could not be scored. Field names are
 * the results table's column names, so a row goes from the sink to SQL without renaming.
 */
export interface ResultRow {
  readonly request_id: string;
  /** The entry's position in the reply; with `request_id` and `role` it identifies the row. */
  readonly entry_index: number;
  /** `null` when the budget had no usable id (see `error_code`). */
  readonly budget_id: string | null;
  readonly itemization_id: string | null;
  /** `null` when the pair was not scored. */
  readonly score: number | null;
  /** The decision at `threshold`; `null` when unscored. */
  readonly decision: boolean | null;
  readonly threshold: number;
  readonly model_version: string;
  /** `live`: the scores the client received; `shadow`: a candidate model's; `batch`: an offline batch job's (never counted by monitoring). */
  readonly role: 'live' | 'shadow' | 'batch';
  readonly error_code: string | null;
  /** ISO-8601 UTC. */
  readonly scored_at: string;
}

/** What every row of one scored request shares. */
export interface ScoringRun {
  readonly requestId: string;
  readonly modelVersion: string;
  readonly threshold: number;
  readonly role: ResultRow['role'];
  readonly scoredAt: Date;
}

/** Turns a request's reply entries into result rows, one per entry, in reply order. */
export function toResultRows(entries: readonly ReplyEntry[], run: ScoringRun): ResultRow[] {
  const scoredAt = run.scoredAt.toISOString();
  return entries.map((entry, index) => ({
    request_id: run.requestId,
    entry_index: index,
    budget_id: entry.budget_id ?? null,
    itemization_id: entry.itemization_id ?? null,
    score: entry.score,
    decision: 'match' in entry ? entry.match : null,
    threshold: run.threshold,
    model_version: run.modelVersion,
    role: run.role,
    error_code: 'error' in entry ? entry.error.code : null,
    scored_at: scoredAt,
  }));
}
