import type * as z from 'zod/mini';
import {
  type Budget,
  budgetSchema,
  describe,
  type LineItem,
  lineItemSchema,
  type Parsed,
  type ParsedRequest,
  parseRequest,
  requestEnvelopeSchema,
} from '../../lambda/contract';

/**
 * The reference the hand-written parser (`lambda/contract/parse-request.ts`) is held to: each
 * entry parsed by the contract's zod schemas, as the service did before the fast path. Property
 * tests compare the two; `npm run bench` times both.
 */
export function parseRequestWithSchemas(input: unknown): ParsedRequest {
  const envelope = requestEnvelopeSchema.safeParse(input);
  // The envelope's errors are the fast path's own (tested on their own): delegate to it.
  if (!envelope.success) return parseRequest(input);
  const { budgets, all_user_expense_lineitems: items } = envelope.data;
  return {
    budgets: budgets.map((b, i) => parseEntryWithSchema<Budget>(budgetSchema, b, i, 'budgets', 'budget')),
    items: items.map((it, i) =>
      parseEntryWithSchema<LineItem>(lineItemSchema, it, i, 'all_user_expense_lineitems', 'line item'),
    ),
  };
}

/** One budget or item through its zod schema, errors worded as the contract says. */
export function parseEntryWithSchema<T>(
  schema: z.ZodMiniType,
  raw: unknown,
  index: number,
  list: string,
  noun: string,
): Parsed<T> {
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
  if (result.success) return { ok: true, index, value: result.data as T };
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
