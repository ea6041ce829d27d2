import type { MatcherRequestInput } from '../lambda/contract';
import { utcOffsetMinutes } from './cities';
import { ABSENT, type MessyValues, type RawValue, withoutAbsent } from './messy-values';
import type { Random } from './random';
import type { SimBudget, SimItem, SimUser } from './sim-types';

/** Ids of a rendered request: budgets and items are numbered from these. */
export interface IdBase {
  readonly budget: number;
  readonly item: number;
}

// Budgets and items without a usable id are dropped by serving (one error entry each); a few
// are generated so that training goes through the same parse step and drops them too.
const MISSING_ID_RATE = 0.003;

/**
 * Renders a simulated user as the request a client would send: every field through
 * {@link MessyValues} (strings or numbers, three date formats, missing and wrongly typed
 * values), in the contract's field names.
 */
export function renderRequest(
  rng: Random,
  messy: MessyValues,
  user: SimUser,
  ids: IdBase,
): MatcherRequestInput {
  const id = (n: number): RawValue =>
    rng.chance(MISSING_ID_RATE) ? rng.pick<RawValue>([null, ABSENT, '']) : messy.id(n);
  return {
    budgets: user.budgets.map((b, i) => renderBudget(messy, b, id(ids.budget + i))),
    all_user_expense_lineitems: user.items.map((item, i) => renderItem(messy, user, item, id(ids.item + i))),
  };
}

function renderBudget(messy: MessyValues, budget: SimBudget, id: RawValue): Record<string, unknown> {
  const homeOffset = utcOffsetMinutes(budget.home, budget.bookedAt);
  const destOffset = utcOffsetMinutes(budget.destination, budget.tripStart);
  return withoutAbsent({
    budget_id: id,
    budget_type_budget: messy.text(budget.typeText),
    budget_price_budget: messy.amount(budget.price),
    actual_cost_budget: messy.amount(budget.actualCost),
    travel_vendor_receipts: messy.text(budget.travelVendor),
    purchase_vendor_receipts: messy.text(budget.purchaseVendor),
    generated_at_budget: messy.instant(budget.bookedAt, homeOffset),
    start_datetime_trips: messy.instant(budget.tripStart, destOffset),
    end_datetime_trips: messy.instant(budget.tripEnd, destOffset),
  });
}

function renderItem(messy: MessyValues, user: SimUser, item: SimItem, id: RawValue): Record<string, unknown> {
  const offset = item.day === undefined ? 0 : utcOffsetMinutes(user.home, item.day);
  return withoutAbsent({
    itemization_id: id,
    expensed_amount_itemization: messy.amount(item.amount),
    expense_type_name_itemization: messy.text(item.type),
    transaction_date_itemization: messy.calendarDate(item.day, offset),
    expense_category_itemization: messy.text(item.category),
    vendor_name_expense: messy.text(item.vendor),
    expense_type_name_expense: messy.text(item.expenseType),
    expense_category_expense: messy.text(item.expenseCategory),
  });
}
