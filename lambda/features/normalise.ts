import type { Budget, LineItem } from '../contract';
import {
  type BudgetType,
  canonicalBudgetType,
  canonicalExpenseCategory,
  type ExpenseCategory,
} from './categories';
import { type VendorKey, vendorKey } from './vendor-similarity';

/** A budget reduced to what the pair features read; computed once per budget per request. */
export interface NormalisedBudget {
  readonly type: BudgetType | undefined;
  readonly vendors: readonly VendorKey[];
  /** Positive actual cost, else undefined. */
  readonly actualCost: number | undefined;
  /** Positive budgeted price, else undefined. */
  readonly price: number | undefined;
  readonly bookedAt: number | undefined;
  readonly tripStart: number | undefined;
  readonly tripEnd: number | undefined;
}

/** A line item reduced to what the pair features read; computed once per item per request. */
export interface NormalisedItem {
  /** Signed amount (negative for refunds and credits); undefined when missing or zero. */
  readonly amount: number | undefined;
  readonly category: ExpenseCategory | undefined;
  /** The folded vendor text, used to compare each distinct vendor once per budget. */
  readonly vendorText: string | undefined;
  readonly vendor: VendorKey | undefined;
  readonly transactedAt: number | undefined;
}

const positive = (n: number | undefined): number | undefined => (n !== undefined && n > 0 ? n : undefined);

/** Normalises one parsed budget. */
export function normaliseBudget(budget: Budget): NormalisedBudget {
  const vendors: VendorKey[] = [];
  for (const text of [budget.travel_vendor_receipts, budget.purchase_vendor_receipts]) {
    const key = vendorKey(text);
    if (key && !vendors.some((v) => v.compact === key.compact)) vendors.push(key);
  }
  let tripStart = budget.start_datetime_trips;
  let tripEnd = budget.end_datetime_trips;
  // A swapped window is still a window.
  if (tripStart !== undefined && tripEnd !== undefined && tripEnd < tripStart) {
    [tripStart, tripEnd] = [tripEnd, tripStart];
  }
  return {
    type: canonicalBudgetType(budget.budget_type_budget),
    vendors,
    actualCost: positive(budget.actual_cost_budget),
    price: positive(budget.budget_price_budget),
    bookedAt: budget.generated_at_budget,
    tripStart,
    tripEnd,
  };
}

/** Normalises one parsed line item. */
export function normaliseItem(item: LineItem): NormalisedItem {
  const vendor = vendorKey(item.vendor_name_expense);
  const amount = item.expensed_amount_itemization;
  return {
    amount: amount === 0 ? undefined : amount,
    category: canonicalExpenseCategory([
      item.expense_category_itemization,
      item.expense_type_name_itemization,
      item.expense_category_expense,
      item.expense_type_name_expense,
    ]),
    vendorText: vendor?.tokens.join(' '),
    vendor,
    transactedAt: item.transaction_date_itemization,
  };
}
