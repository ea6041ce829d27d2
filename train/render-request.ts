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

/** Groups of fields that some clients never send at all. */
const FIELD_GROUPS = ['amounts', 'dates', 'vendors', 'categories'] as const;
type FieldGroup = (typeof FIELD_GROUPS)[number];

/** Which field groups a client leaves out of its budgets and of its line items. */
interface ClientGaps {
  readonly budgets: ReadonlySet<FieldGroup>;
  readonly items: ReadonlySet<FieldGroup>;
}

// Field damage one value at a time (MessyValues) never shows a request whose amounts or dates are
// all missing, and a model that has never seen one extrapolates: before these gaps, a pair of
// two ids and nothing else scored 0.999. So one client in ten leaves a whole group out (of the
// budgets, the items or both), and one entry in three hundred arrives with nothing but its id.
// (Issue 12: one group, not any number of them: a client without vendors, amounts and dates
// leaves two bookings of one kind indistinguishable, noise no feature can see.)
const SPARSE_CLIENT_RATE = 0.1;
const HOLLOW_ENTRY_RATE = 0.003;

function clientGaps(rng: Random): ClientGaps {
  const none = new Set<FieldGroup>();
  if (!rng.chance(SPARSE_CLIENT_RATE)) return { budgets: none, items: none };
  const gaps = new Set([rng.pick(FIELD_GROUPS)]);
  const side = rng.weighted<'both' | 'budgets' | 'items'>([
    ['both', 50],
    ['budgets', 25],
    ['items', 25],
  ]);
  return { budgets: side === 'items' ? none : gaps, items: side === 'budgets' ? none : gaps };
}

/** The groups an entry leaves out: its client's gaps, or every group for a hollow entry. */
function entryGaps(rng: Random, clientGroups: ReadonlySet<FieldGroup>): ReadonlySet<FieldGroup> {
  return rng.chance(HOLLOW_ENTRY_RATE) ? new Set(FIELD_GROUPS) : clientGroups;
}

/** A rendered request, and whether its client leaves whole field groups out. */
export interface RenderedRequest {
  readonly request: MatcherRequestInput;
  readonly sparseClient: boolean;
}

/**
 * Renders a simulated user as the request a client would send: every field through
 * {@link MessyValues} (strings or numbers, three date formats, missing and wrongly typed
 * values), in the contract's field names.
 */
export function renderRequest(rng: Random, messy: MessyValues, user: SimUser, ids: IdBase): RenderedRequest {
  const id = (n: number): RawValue =>
    rng.chance(MISSING_ID_RATE) ? rng.pick<RawValue>([null, ABSENT, '']) : messy.id(n);
  const gaps = clientGaps(rng);
  const request = {
    budgets: user.budgets.map((b, i) =>
      renderBudget(messy, b, id(ids.budget + i), entryGaps(rng, gaps.budgets)),
    ),
    all_user_expense_lineitems: user.items.map((item, i) =>
      renderItem(messy, user, item, id(ids.item + i), entryGaps(rng, gaps.items)),
    ),
  };
  return { request, sparseClient: gaps.budgets.size + gaps.items.size > 0 };
}

/** `value`, or nothing when its group is one the entry leaves out. */
function unless<T>(gaps: ReadonlySet<FieldGroup>, group: FieldGroup, value: T | undefined): T | undefined {
  return gaps.has(group) ? undefined : value;
}

function renderBudget(
  messy: MessyValues,
  budget: SimBudget,
  id: RawValue,
  gaps: ReadonlySet<FieldGroup>,
): Record<string, unknown> {
  const homeOffset = utcOffsetMinutes(budget.home, budget.bookedAt);
  const destOffset = utcOffsetMinutes(budget.destination, budget.tripStart);
  return withoutAbsent({
    budget_id: id,
    budget_type_budget: messy.text(unless(gaps, 'categories', budget.typeText)),
    budget_price_budget: messy.amount(unless(gaps, 'amounts', budget.price)),
    actual_cost_budget: messy.amount(unless(gaps, 'amounts', budget.actualCost)),
    travel_vendor_receipts: messy.text(unless(gaps, 'vendors', budget.travelVendor)),
    purchase_vendor_receipts: messy.text(unless(gaps, 'vendors', budget.purchaseVendor)),
    generated_at_budget: messy.instant(unless(gaps, 'dates', budget.bookedAt), homeOffset),
    start_datetime_trips: messy.instant(unless(gaps, 'dates', budget.tripStart), destOffset),
    end_datetime_trips: messy.instant(unless(gaps, 'dates', budget.tripEnd), destOffset),
  });
}

function renderItem(
  messy: MessyValues,
  user: SimUser,
  item: SimItem,
  id: RawValue,
  gaps: ReadonlySet<FieldGroup>,
): Record<string, unknown> {
  const offset = item.day === undefined ? 0 : utcOffsetMinutes(user.home, item.day);
  return withoutAbsent({
    itemization_id: id,
    expensed_amount_itemization: messy.amount(unless(gaps, 'amounts', item.amount)),
    expense_type_name_itemization: messy.text(unless(gaps, 'categories', item.type)),
    transaction_date_itemization: messy.calendarDate(unless(gaps, 'dates', item.day), offset),
    expense_category_itemization: messy.text(unless(gaps, 'categories', item.category)),
    vendor_name_expense: messy.text(unless(gaps, 'vendors', item.vendor)),
    expense_type_name_expense: messy.text(unless(gaps, 'categories', item.expenseType)),
    expense_category_expense: messy.text(unless(gaps, 'categories', item.expenseCategory)),
  });
}
