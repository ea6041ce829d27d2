/**
 * One label: whether a (budget, line item) pair really matches. Field names are the labels
 * table's column names, so a label goes from the sink to SQL without renaming.
 */
export interface LabelRow {
  readonly budget_id: string;
  readonly itemization_id: string;
  readonly is_match: boolean;
  /** ISO-8601 UTC: when the label was given; of two labels for a pair the later one wins. */
  readonly labelled_at: string;
  /** Where it came from: `api` (`POST /feedback`), `file:<name>` (`npm run labels -- load`). */
  readonly source: string;
}
