import type { Queryable } from '../db';
import type { DayRange } from './daily-quality';
import { type Day, numberOf } from './sql-values';

/** The budget's fields as the request sent them (view `pair_errors`); `null` when not captured or absent. */
export interface CapturedBudget {
  readonly type: string | null;
  readonly price: string | null;
  readonly actualCost: string | null;
  readonly travelVendor: string | null;
  readonly purchaseVendor: string | null;
  readonly generatedAt: string | null;
  readonly tripStart: string | null;
  readonly tripEnd: string | null;
}

/** The line item's fields as the request sent them; `null` when not captured or absent. */
export interface CapturedItem {
  readonly amount: string | null;
  readonly date: string | null;
  readonly vendor: string | null;
  readonly type: string | null;
  readonly category: string | null;
  readonly expenseType: string | null;
  readonly expenseCategory: string | null;
}

/** One false positive or false negative (view `pair_errors`). */
export interface PairError {
  readonly day: Day;
  readonly modelVersion: string;
  readonly role: 'live' | 'shadow';
  /** `fp`: predicted a match that is not one; `fn`: missed a true match. */
  readonly outcome: 'fp' | 'fn';
  readonly score: number;
  readonly threshold: number;
  /** |score − threshold|: how confidently wrong. */
  readonly margin: number;
  readonly budgetId: string;
  readonly itemizationId: string;
  /** The request the score was given in: the key of its capture and of its results rows. */
  readonly requestId: string;
  readonly scoredAt: string;
  readonly labelSource: string;
  /** Whether the request was captured (its fields below are then filled where the client sent them). */
  readonly captured: boolean;
  readonly budget: CapturedBudget;
  readonly item: CapturedItem;
}

/** What to list: a day range, one version, one kind, and how many (the most confident first). */
export interface PairErrorQuery extends DayRange {
  readonly modelVersion?: string;
  readonly outcome?: 'fp' | 'fn';
  /** Rows per outcome (false positives and false negatives each). @default 20 */
  readonly limit?: number;
}

/**
 * Reads the top false positives and false negatives of a period (the rows of the view
 * `pair_errors`, through the function `pair_errors_top`):
 * up to `limit` of each per model version, most confident mistake (largest margin) first.
 *
 * @example
 * const errors = await pairErrors(db, { from: '2025-03-01', to: '2025-03-07', limit: 10 });
 * // [{ outcome: 'fp', score: 0.97, budget: { type: 'flight', travelVendor: 'Southwest' ... }, item: { ... } }, ...]
 */
export async function pairErrors(db: Queryable, query: PairErrorQuery = {}): Promise<PairError[]> {
  const limit = query.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new RangeError(`limit: ${limit} is not a whole number from 1 to 10000`);
  // pair_errors_top (011_monitoring_window.sql): the pairs of the days only, ranked before the
  // captured requests are read; the same rows as ranking the view pair_errors.
  const { rows } = await db.query(
    `SELECT e.*, to_char(e.day, 'YYYY-MM-DD') AS day_text
     FROM pair_errors_top($1::date, $2::date, $5::int, $3::text, $4::text) e
     ORDER BY e.model_version, e.outcome DESC, e.rank`,
    [query.from ?? null, query.to ?? null, query.modelVersion ?? null, query.outcome ?? null, limit],
  );
  return rows.map(toPairError);
}

function toPairError(row: Record<string, unknown>): PairError {
  const text = (key: string) => (row[key] === null || row[key] === undefined ? null : String(row[key]));
  return {
    day: String(row.day_text),
    modelVersion: String(row.model_version),
    role: row.role === 'live' ? 'live' : 'shadow',
    outcome: row.outcome === 'fp' ? 'fp' : 'fn',
    score: numberOf(row.score, 'score'),
    threshold: numberOf(row.threshold, 'threshold'),
    margin: numberOf(row.margin, 'margin'),
    budgetId: String(row.budget_id),
    itemizationId: String(row.itemization_id),
    requestId: String(row.request_id),
    scoredAt: instantText(row.scored_at),
    labelSource: String(row.label_source),
    captured: Boolean(row.captured),
    budget: {
      type: text('budget_type'),
      price: text('budget_price'),
      actualCost: text('actual_cost'),
      travelVendor: text('travel_vendor'),
      purchaseVendor: text('purchase_vendor'),
      generatedAt: text('budget_generated_at'),
      tripStart: text('trip_start'),
      tripEnd: text('trip_end'),
    },
    item: {
      amount: text('item_amount'),
      date: text('item_date'),
      vendor: text('item_vendor'),
      type: text('item_type'),
      category: text('item_category'),
      expenseType: text('expense_type'),
      expenseCategory: text('expense_category'),
    },
  };
}

function instantText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}
