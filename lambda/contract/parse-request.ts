import type * as z from 'zod/mini';
import { InvalidRequestError, RequestTooLargeError } from '../errors';
import { readJsonBody } from './read-json-body';
import { type Budget, budgetSchema, type LineItem, lineItemSchema, requestEnvelopeSchema } from './request';

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
   * Most reply entries a request may ask for: budgets × items pairs, plus one per budget and
   * per item (each could be an error entry). 50,000 entries with 7-digit ids are about 3.8 MB of
   * reply, inside Lambda's 6 MB; the edge still measures the reply it sends (`reply_too_large`).
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
  const envelope = requestEnvelopeSchema.safeParse(input);
  if (!envelope.success) throw envelopeError(input as Record<string, unknown>);
  const { budgets, all_user_expense_lineitems: items } = envelope.data;
  const entries = budgets.length * items.length + budgets.length + items.length;
  if (entries > limits.maxPairs) {
    throw new RequestTooLargeError(
      'too_many_pairs',
      `${budgets.length} budgets × ${items.length} line items is ${budgets.length * items.length} pairs (${entries} reply entries counting one per budget and item); the limit is ${limits.maxPairs} a request: split the line items over several requests`,
      'budgets',
    );
  }
  return {
    budgets: budgets.map((b, i) => parseEntry(budgetSchema, b, i, 'budgets', 'budget')),
    items: items.map((it, i) => parseEntry(lineItemSchema, it, i, 'all_user_expense_lineitems', 'line item')),
  };
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

function parseEntry<S extends z.ZodMiniType>(
  schema: S,
  raw: unknown,
  index: number,
  list: string,
  noun: string,
): Parsed<z.output<S>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
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
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, index, value: result.data };
  // Only the id can fail (every other field is lenient), so the first issue names it.
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? '');
  const value = (raw as Record<string, unknown>)[key];
  const missing = value === undefined || value === null;
  return {
    ok: false,
    index,
    error: {
      code: missing ? 'missing_id' : 'invalid_id',
      message: missing
        ? `${key} is missing`
        : `${key} ${issue?.message ?? 'is invalid'} (got ${describe(value)})`,
      field: `${list}[${index}].${key}`,
    },
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
