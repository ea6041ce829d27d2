import * as z from 'zod/mini';
import { amount, id, text, timestamp } from './values';

/**
 * One travel budget as the contract describes it. Only `budget_id` is required; every other
 * field is lenient (see `values.ts`) and arrives here as a usable value or `undefined`.
 */
export const budgetSchema = z.object({
  budget_id: id,
  budget_type_budget: text,
  budget_price_budget: amount,
  actual_cost_budget: amount,
  travel_vendor_receipts: text,
  purchase_vendor_receipts: text,
  generated_at_budget: timestamp,
  start_datetime_trips: timestamp,
  end_datetime_trips: timestamp,
});

/** One expense line item. Only `itemization_id` is required. */
export const lineItemSchema = z.object({
  itemization_id: id,
  expensed_amount_itemization: amount,
  expense_type_name_itemization: text,
  transaction_date_itemization: timestamp,
  expense_category_itemization: text,
  vendor_name_expense: text,
  expense_type_name_expense: text,
  expense_category_expense: text,
});

/**
 * The request envelope. The lists are checked here as lists of anything; each element is then
 * parsed on its own so that one bad budget or item never fails the others.
 */
export const requestEnvelopeSchema = z.object(
  {
    budgets: z.array(z.unknown(), { error: 'must be a list of budgets' }),
    all_user_expense_lineitems: z.array(z.unknown(), { error: 'must be a list of expense line items' }),
  },
  { error: 'the request must be a JSON object' },
);

export type Budget = z.output<typeof budgetSchema>;
export type LineItem = z.output<typeof lineItemSchema>;
/** What a client sends for one budget (every value may be a string, a number, null or absent). */
export type BudgetInput = z.input<typeof budgetSchema>;
/** What a client sends for one line item. */
export type LineItemInput = z.input<typeof lineItemSchema>;
/** A whole request as a client writes it. */
export interface MatcherRequestInput {
  budgets: unknown[];
  all_user_expense_lineitems: unknown[];
}
