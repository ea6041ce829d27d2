import { InvalidRequestError, RequestTooLargeError } from '../errors';
import { readJsonBody } from './read-json-body';
import { type IdProblem, readAmount, readId, readText, TimestampReader } from './read-values';
import type { Budget, LineItem } from './request';

/** Why one budget or line item could not be scored; serialised as the entry's `error`. */
export interface EntryError {
  readonly code: string;
  readonly message: string;
  readonly field: string;
}

/** One element of a request list: parsed, or the reason it could not be. */
export type Parsed<T> =
  | { readonly ok: true; readonly index: number; readonly value: T }
  | { readonly ok: false; readonly index: number; readonly error: EntryError };

/** A request whose envelope was valid; each budget and item parsed on its own. */
export interface ParsedRequest {
  readonly budgets: readonly Parsed<Budget>[];
  readonly items: readonly Parsed<LineItem>[];
}

/** Size limits a request must respect; over them the whole request fails with 413. */
export interface RequestLimits {
  /** Largest body, in bytes (Lambda's synchronous payload limit is 6 MB). */
  readonly maxBodyBytes: number;
  /**
   * Most pairs a request may ask for: budgets × line items, counting every budget and item the
   * request lists (usable or not). 50 budgets × 1,000 items is 50,000 pairs and fits the
   * default. Error entries (at most one per budget and item) are not counted as pairs, but the
   * two lists together may not hold more than this many entries either. 50,000 pairs with
   * 7-digit ids are about 3.8 MB of reply, inside Lambda's 6 MB; the edge still measures the
   * reply it sends (`reply_too_large`).
   */
  readonly maxPairs: number;
}

export const DEFAULT_LIMITS: RequestLimits = { maxBodyBytes: 6 * 1024 * 1024, maxPairs: 50_000 };

const LISTS = ['budgets', 'all_user_expense_lineitems'] as const;

/**
 * Parses a request body (a JSON string) into a {@link ParsedRequest}.
 * @throws RequestTooLargeError over `limits.maxBodyBytes`; InvalidRequestError when not JSON
 *   or not a matcher request (see {@link parseRequest}).
 */
export function parseRequestBody(body: string, limits: RequestLimits = DEFAULT_LIMITS): ParsedRequest {
  return parseRequest(readJsonBody(body, limits.maxBodyBytes), limits);
}

/**
 * Parses an already-decoded request. The envelope must be an object holding both lists, or the
 * whole request fails; within the lists, each budget and item is parsed on its own, so a bad one
 * becomes its own error entry and never costs the others their scores.
 *
 * @example
 * const parsed = parseRequest({ budgets: [{ budget_id: 1 }], all_user_expense_lineitems: [] });
 * parsed.budgets[0]; // { ok: true, index: 0, value: { budget_id: '1', ... } }
 */
export function parseRequest(input: unknown, limits: RequestLimits = DEFAULT_LIMITS): ParsedRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidRequestError(
      'invalid_request',
      `the request must be a JSON object with "budgets" and "all_user_expense_lineitems" lists, not ${describe(input)}`,
      'body',
    );
  }
  const envelope = input as Record<string, unknown>;
  const budgets = envelope.budgets;
  const items = envelope.all_user_expense_lineitems;
  if (!Array.isArray(budgets) || !Array.isArray(items)) throw envelopeError(envelope);
  const pairs = budgets.length * items.length;
  if (pairs > limits.maxPairs) {
    throw new RequestTooLargeError(
      'too_many_pairs',
      `${budgets.length} budgets × ${items.length} line items is ${pairs} pairs; the limit is ${limits.maxPairs} pairs (budgets × line items) a request: split the line items over several requests`,
      'budgets',
    );
  }
  // Each budget and item could be an error entry of its own: long lists with few pairs (a
  // million budgets and no items) are bounded too.
  if (budgets.length + items.length > limits.maxPairs) {
    const field = budgets.length >= items.length ? 'budgets' : 'all_user_expense_lineitems';
    throw new RequestTooLargeError(
      'too_many_pairs',
      `${budgets.length} budgets and ${items.length} line items are ${budgets.length + items.length} entries; a request may list at most ${limits.maxPairs} (the pair limit): split them over several requests`,
      field,
    );
  }
  // Dates repeat across a user's budgets and items: each distinct string is parsed once.
  const timestamps = new TimestampReader();
  const parsedBudgets: Parsed<Budget>[] = new Array(budgets.length);
  for (let i = 0; i < budgets.length; i++) parsedBudgets[i] = parseBudget(budgets[i], i, timestamps);
  const parsedItems: Parsed<LineItem>[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) parsedItems[i] = parseItem(items[i], i, timestamps);
  return { budgets: parsedBudgets, items: parsedItems };
}

function envelopeError(input: Record<string, unknown>): InvalidRequestError {
  const missing = LISTS.filter((name) => input[name] === undefined || input[name] === null);
  if (missing.length === LISTS.length) {
    return new InvalidRequestError(
      'not_a_matcher_request',
      'neither "budgets" nor "all_user_expense_lineitems" is present; a matcher request needs both lists',
      'budgets',
    );
  }
  const [first] = missing;
  if (first)
    return new InvalidRequestError('missing_field', `"${first}" is missing; it must be a list`, first);
  const notList = LISTS.find((name) => !Array.isArray(input[name])) ?? 'budgets';
  return new InvalidRequestError(
    'not_a_list',
    `"${notList}" must be a list, not ${describe(input[notList])}`,
    notList,
  );
}

/** One budget, field by field as `budgetSchema` reads it (held to it by property tests). */
export function parseBudget(raw: unknown, index: number, timestamps = new TimestampReader()): Parsed<Budget> {
  if (!isEntry(raw)) return notAnEntry(raw, index, 'budgets', 'budget');
  const id = readId(raw.budget_id);
  if (typeof id !== 'string') return idError(raw, 'budget_id', id, index, 'budgets');
  return {
    ok: true,
    index,
    value: {
      budget_id: id,
      budget_type_budget: readText(raw.budget_type_budget),
      budget_price_budget: readAmount(raw.budget_price_budget),
      actual_cost_budget: readAmount(raw.actual_cost_budget),
      travel_vendor_receipts: readText(raw.travel_vendor_receipts),
      purchase_vendor_receipts: readText(raw.purchase_vendor_receipts),
      generated_at_budget: timestamps.read(raw.generated_at_budget),
      start_datetime_trips: timestamps.read(raw.start_datetime_trips),
      end_datetime_trips: timestamps.read(raw.end_datetime_trips),
    },
  };
}

/** One line item, field by field as `lineItemSchema` reads it (held to it by property tests). */
export function parseItem(raw: unknown, index: number, timestamps = new TimestampReader()): Parsed<LineItem> {
  if (!isEntry(raw)) return notAnEntry(raw, index, 'all_user_expense_lineitems', 'line item');
  const id = readId(raw.itemization_id);
  if (typeof id !== 'string') return idError(raw, 'itemization_id', id, index, 'all_user_expense_lineitems');
  return {
    ok: true,
    index,
    value: {
      itemization_id: id,
      expensed_amount_itemization: readAmount(raw.expensed_amount_itemization),
      expense_type_name_itemization: readText(raw.expense_type_name_itemization),
      transaction_date_itemization: timestamps.read(raw.transaction_date_itemization),
      expense_category_itemization: readText(raw.expense_category_itemization),
      vendor_name_expense: readText(raw.vendor_name_expense),
      expense_type_name_expense: readText(raw.expense_type_name_expense),
      expense_category_expense: readText(raw.expense_category_expense),
    },
  };
}

function isEntry(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

function notAnEntry(raw: unknown, index: number, list: string, noun: string): Parsed<never> {
  return {
    ok: false,
    index,
    error: {
      code: 'invalid_entry',
      message: `each ${noun} must be an object, not ${describe(raw)}`,
      field: `${list}[${index}]`,
    },
  };
}

/** The entry error for an unusable id: missing (absent or null), or invalid saying why. */
export function idError(
  raw: Record<string, unknown>,
  key: string,
  problem: IdProblem | undefined,
  index: number,
  list: string,
): Parsed<never> {
  const value = raw[key];
  const missing = value === undefined || value === null;
  return {
    ok: false,
    index,
    error: {
      code: missing ? 'missing_id' : 'invalid_id',
      message: missing
        ? `${key} is missing`
        : `${key} ${problem?.message ?? 'is invalid'} (got ${describe(value)})`,
      field: `${list}[${index}].${key}`,
    },
  };
}

/** How an unexpected value is named in error messages (`a list`, `an empty string`, ...). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
