import type { EntryError, Parsed } from '../contract';
import type { LabelRow } from '../results';
import type { FeedbackItem } from './feedback-request';

/** One entry of the `POST /feedback` reply, in request order. */
export type FeedbackEntry =
  | { readonly budget_id: string; readonly itemization_id: string; readonly accepted: true }
  | { readonly index: number; readonly accepted: false; readonly error: EntryError };

/**
 * Turns parsed feedback into the labels to record and the reply: one entry per item, accepted
 * or with its error. Every accepted label carries the same `labelled_at` (`now`).
 */
export function acceptFeedback(
  items: readonly Parsed<FeedbackItem>[],
  source: string,
  now: Date = new Date(),
): { labels: LabelRow[]; entries: FeedbackEntry[] } {
  const labelledAt = now.toISOString();
  const labels: LabelRow[] = [];
  const entries = items.map((item): FeedbackEntry => {
    if (!item.ok) return { index: item.index, accepted: false, error: item.error };
    const { budget_id, itemization_id, match } = item.value;
    labels.push({ budget_id, itemization_id, is_match: match, labelled_at: labelledAt, source });
    return { budget_id, itemization_id, accepted: true };
  });
  return { labels, entries };
}
