import type { EntryError } from './parse-request';

/** A scored pair: the three contract fields plus `match`, the decision at the model's threshold. */
export interface ScoredEntry {
  readonly budget_id: string;
  readonly itemization_id: string;
  readonly score: number;
  readonly match: boolean;
}

/**
 * An entry that could not be scored. A budget or item without a usable id is reported once,
 * by its position in its list (`budget_index` / `itemization_index`).
 */
export interface ErrorEntry {
  readonly budget_id?: string;
  readonly budget_index?: number;
  readonly itemization_id?: string;
  readonly itemization_index?: number;
  readonly score: null;
  readonly error: EntryError;
}

export type ReplyEntry = ScoredEntry | ErrorEntry;

/** The body of a whole-request failure, for API Gateway replies and direct invoke alike. */
export interface ErrorReply {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}
