import type { ErrorCode } from '../errors';
import type { ResultColumns } from './result-columns';
import type { ResultRow } from './result-row';

const NOT_FINITE: ErrorCode = 'score_not_finite';

/** A budget or line item as the results keep it: its id when usable, else its error code. */
export type PairSide = string | { readonly error: string };

/**
 * One scoring of a request in the shape it was scored, budgets × line items: every result row of
 * it (what `toResultRows` makes from the reply entries), without an object a pair. A 10 × 200
 * request is 2,000 rows; as pairs it is 210 ids and 2,000 numbers, about 19 KB of JSON against
 * 340 KB as rows. Field names are JSON's: the local journal stores it as it is.
 */
export interface ScoredPairs {
  readonly request_id: string;
  readonly role: ResultRow['role'];
  readonly model_version: string;
  readonly threshold: number;
  /** ISO-8601 UTC, as `ResultRow.scored_at`. */
  readonly scored_at: string;
  /** The request's budgets, in request order. */
  readonly budgets: readonly PairSide[];
  /** The request's line items, in request order. */
  readonly items: readonly PairSide[];
  /** The score of each usable budget × usable item, budgets outer, rounded as the reply has it. */
  readonly scores: readonly number[];
}

/** How many result rows (reply entries) the pairs make. */
export function pairsRowCount(pairs: Pick<ScoredPairs, 'budgets' | 'items'>): number {
  let goodBudgets = 0;
  for (const b of pairs.budgets) if (typeof b === 'string') goodBudgets++;
  let goodItems = 0;
  for (const i of pairs.items) if (typeof i === 'string') goodItems++;
  return goodBudgets * goodItems + (pairs.budgets.length - goodBudgets) + (pairs.items.length - goodItems);
}

/**
 * Appends the pairs' result rows to `columns` (in place), in reply order (docs/contract.md): per
 * budget in request order its pairs with the usable items (or its one error row), then one error
 * row per unusable item. The same rows `toResultRows` makes from the reply entries.
 */
export function appendPairs(columns: ResultColumns, pairs: ScoredPairs): ResultColumns {
  const items: string[] = [];
  for (const i of pairs.items) if (typeof i === 'string') items.push(i);
  let entry = 0;
  let k = 0;
  const push = (budget: string | null, item: string | null, score: number | null, error: string | null) => {
    columns.request_id.push(pairs.request_id);
    columns.entry_index.push(entry++);
    columns.role.push(pairs.role);
    columns.budget_id.push(budget);
    columns.itemization_id.push(item);
    columns.score.push(score);
    columns.decision.push(score === null ? null : score >= pairs.threshold);
    columns.threshold.push(pairs.threshold);
    columns.model_version.push(pairs.model_version);
    columns.error_code.push(error);
    columns.scored_at.push(pairs.scored_at);
  };
  for (const b of pairs.budgets) {
    if (typeof b !== 'string') {
      push(null, null, null, b.error);
      continue;
    }
    for (const item of items) {
      // A score that was not finite (JSON carries it as null) is the reply's `score_not_finite` entry.
      const score = pairs.scores[k++];
      if (typeof score === 'number' && Number.isFinite(score)) push(b, item, score, null);
      else push(b, item, null, NOT_FINITE);
    }
  }
  for (const i of pairs.items) if (typeof i !== 'string') push(null, null, null, i.error);
  return columns;
}
