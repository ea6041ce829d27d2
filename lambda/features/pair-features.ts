import { BUDGET_TYPES, CATEGORY_FOR_BUDGET, EXPENSE_CATEGORIES } from './categories';
import { FEATURE_INDEX as F, FEATURE_COUNT } from './feature-spec';
import type { NormalisedBudget, NormalisedItem } from './normalise';
import {
  bestVendorSimilarity,
  NO_SIMILARITY,
  type VendorKey,
  type VendorSimilarity,
} from './vendor-similarity';

const DAY_MS = 86_400_000;
const LOG_DAYS_SCALE = Math.log1p(365);
const MAX_LOG_DEVIATION = 3;
const LOG_2PCT = Math.log(1.02);
const LOG_15PCT = Math.log(1.15);
const LOG_40PCT = Math.log(1.4);
// Card charges carry the merchant's local date while bookings are stamped in UTC, so a charge
// dated up to two days before the booking is still "at booking" (CONTRACT.md).
const BOOKING_SLACK_DAYS = 2;
const AFTER_TRIP_SLACK_DAYS = 7;

/**
 * Writes the features of every (budget, item) pair into one row-major Float32Array of
 * `budgets.length × items.length` rows and FEATURE_COUNT columns, budgets outer and items inner
 * (the reply's order). Vendor similarity is computed once per budget and distinct item vendor.
 */
export function pairFeatures(
  budgets: readonly NormalisedBudget[],
  items: readonly NormalisedItem[],
): Float32Array {
  const out = new Float32Array(budgets.length * items.length * FEATURE_COUNT);
  const vendorSlots = new Map<string, number>();
  const distinctVendors: VendorKey[] = [];
  const itemVendorSlot = items.map((item) => {
    if (item.vendorText === undefined || item.vendor === undefined) return -1;
    let slot = vendorSlots.get(item.vendorText);
    if (slot === undefined) {
      slot = distinctVendors.push(item.vendor) - 1;
      vendorSlots.set(item.vendorText, slot);
    }
    return slot;
  });
  let offset = 0;
  for (const budget of budgets) {
    const similarities = distinctVendors.map((vendor) =>
      budget.vendors.length > 0 ? bestVendorSimilarity(budget.vendors, vendor) : NO_SIMILARITY,
    );
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as NormalisedItem;
      const slot = itemVendorSlot[i] as number;
      writePair(
        budget,
        item,
        slot < 0 ? NO_SIMILARITY : (similarities[slot] as VendorSimilarity),
        out,
        offset,
      );
      offset += FEATURE_COUNT;
    }
  }
  return out;
}

/**
 * Writes one pair's features at `offset` of `out` (which must be zero there).
 * `vendor` is the item's best similarity to the budget's vendors.
 */
export function writePair(
  budget: NormalisedBudget,
  item: NormalisedItem,
  vendor: VendorSimilarity,
  out: Float32Array,
  offset: number,
): void {
  const set = (index: number, value: number | boolean) => {
    out[offset + index] = Number(value);
  };

  // Category agreement.
  if (budget.type === undefined) set(F.budget_type_missing, 1);
  else set(F.budget_type_flight + BUDGET_TYPES.indexOf(budget.type), 1);
  if (item.category === undefined) set(F.item_category_missing, 1);
  else set(F.item_category_airfare + EXPENSE_CATEGORIES.indexOf(item.category), 1);
  const expected = budget.type === undefined ? undefined : CATEGORY_FOR_BUDGET[budget.type];
  if (expected !== undefined && item.category !== undefined && item.category !== 'other') {
    set(F.category_agrees, item.category === expected);
    set(F.category_conflicts, item.category !== expected);
  }

  // Vendor.
  set(F.vendor_token_similarity, vendor.token);
  set(F.vendor_brand_match, vendor.brand);
  set(F.vendor_trigram_similarity, vendor.trigram);
  set(F.item_vendor_missing, item.vendor === undefined);
  set(F.budget_vendor_missing, budget.vendors.length === 0);

  // Amount: closeness to the actual cost, or to the budgeted price where that is closer or alone.
  const reference = budget.actualCost ?? budget.price;
  set(F.budget_amount_missing, reference === undefined);
  set(F.budget_amount_is_price, budget.actualCost === undefined && budget.price !== undefined);
  if (item.amount === undefined) {
    set(F.item_amount_missing, 1);
    set(F.amount_log_deviation, 1);
  } else {
    set(F.amount_negative, item.amount < 0);
    const magnitude = Math.abs(item.amount);
    let deviation = Number.POSITIVE_INFINITY;
    if (budget.actualCost !== undefined) deviation = Math.abs(Math.log(magnitude / budget.actualCost));
    if (budget.price !== undefined)
      deviation = Math.min(deviation, Math.abs(Math.log(magnitude / budget.price)));
    set(F.amount_log_deviation, Math.min(deviation, MAX_LOG_DEVIATION) / MAX_LOG_DEVIATION);
    set(F.amount_within_2pct, deviation <= LOG_2PCT);
    set(F.amount_within_15pct, deviation <= LOG_15PCT);
    set(F.amount_within_40pct, deviation <= LOG_40PCT);
  }

  // Date position relative to the booking and the trip window.
  const at = item.transactedAt;
  set(F.transaction_date_missing, at === undefined);
  set(F.booking_date_missing, budget.bookedAt === undefined);
  set(F.trip_dates_missing, budget.tripStart === undefined || budget.tripEnd === undefined);
  if (at === undefined) return;
  const fromBooking = budget.bookedAt === undefined ? undefined : (at - budget.bookedAt) / DAY_MS;
  const fromStart = budget.tripStart === undefined ? undefined : (at - budget.tripStart) / DAY_MS;
  const fromEnd = budget.tripEnd === undefined ? undefined : (at - budget.tripEnd) / DAY_MS;
  if (fromBooking !== undefined) {
    set(F.days_from_booking, squashDays(fromBooking));
    set(F.near_booking, Math.abs(fromBooking) <= BOOKING_SLACK_DAYS);
    set(F.before_booking, fromBooking < -BOOKING_SLACK_DAYS);
  }
  if (fromStart !== undefined) set(F.days_from_trip_start, squashDays(fromStart));
  if (fromEnd !== undefined) {
    set(F.days_from_trip_end, squashDays(fromEnd));
    set(F.after_trip, fromEnd > AFTER_TRIP_SLACK_DAYS);
  }
  if (fromStart !== undefined && fromEnd !== undefined) set(F.during_trip, fromStart >= -1 && fromEnd <= 1);
  if (fromBooking !== undefined && fromEnd !== undefined) {
    set(F.in_booking_window, fromBooking >= -BOOKING_SLACK_DAYS && fromEnd <= AFTER_TRIP_SLACK_DAYS);
  }
}

/** Signed log of a day count, scaled so a year is ±1 and clipped there. */
function squashDays(days: number): number {
  const v = (Math.sign(days) * Math.log1p(Math.abs(days))) / LOG_DAYS_SCALE;
  return Math.min(1, Math.max(-1, v));
}
