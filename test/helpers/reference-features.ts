// The feature code as it was before the hot-path work (issue 11), kept as the reference the
// optimised normalisation and pair features are held to, bit for bit, in tests: one pair at a
// time, every column written per pair, no scopes and no caches. Issue 12's columns (the vendor
// alias table, category compatibility, drift, closest budget and item) are written here the same
// plain way.
import type { Budget, LineItem } from '../../lambda/contract';
import {
  BOOKING_CATEGORIES,
  BUDGET_TYPES,
  bestVendorSimilarity,
  CATEGORY_FOR_BUDGET,
  canonicalBudgetType,
  canonicalExpenseCategory,
  type EVIDENCE_COLUMNS,
  EVIDENCE_WEIGHTS,
  EXPENSE_CATEGORIES,
  FEATURE_INDEX as F,
  FEATURE_COUNT,
  NO_SIMILARITY,
  type NormalisedBudget,
  type NormalisedItem,
  VendorAliases,
  type VendorKey,
  type VendorSimilarity,
  vendorKey,
} from '../../lambda/features';

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_ALNUM = /[^a-z0-9]+/g;

/**
 * Folds free text for matching: accents stripped (`Hôtel` → `hotel`), lower case, `&` read as
 * `and`, and every run of other characters turned into one space.
 *
 * @example foldText('Hôtel Lumière  *PARIS') // 'hotel lumiere paris'
 */
export function referenceFoldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(NOT_ALNUM, ' ')
    .trim();
}
const positive = (n: number | undefined): number | undefined => (n !== undefined && n > 0 ? n : undefined);

/** Normalises one parsed budget. */
export function referenceNormaliseBudget(
  budget: Budget,
  aliases: VendorAliases = VendorAliases.EMPTY,
): NormalisedBudget {
  const vendors: VendorKey[] = [];
  for (const text of [budget.travel_vendor_receipts, budget.purchase_vendor_receipts]) {
    const key = vendorKey(text, aliases);
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
export function referenceNormaliseItem(
  item: LineItem,
  aliases: VendorAliases = VendorAliases.EMPTY,
): NormalisedItem {
  const vendor = vendorKey(item.vendor_name_expense, aliases);
  const amount = item.expensed_amount_itemization;
  return {
    amount: amount === 0 ? undefined : amount,
    category: canonicalExpenseCategory([
      item.expense_category_itemization,
      item.expense_type_name_itemization,
      item.expense_category_expense,
      item.expense_type_name_expense,
    ]),
    vendorText:
      vendor && (vendor.alias < 0 ? vendor.tokens.join(' ') : `${vendor.tokens.join(' ')}#${vendor.alias}`),
    vendor,
    transactedAt: item.transaction_date_itemization,
  };
}
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
const LATE_POSTING_DAYS = 14;

/**
 * Writes the features of every (budget, item) pair into one row-major Float32Array of
 * `budgets.length × items.length` rows and FEATURE_COUNT columns, budgets outer and items inner
 * (the reply's order), one pair at a time.
 */
export function referencePairFeatures(
  budgets: readonly NormalisedBudget[],
  items: readonly NormalisedItem[],
): Float32Array {
  const out = new Float32Array(budgets.length * items.length * FEATURE_COUNT);
  let offset = 0;
  for (const budget of budgets) {
    for (const item of items) {
      const vendor =
        item.vendor === undefined || budget.vendors.length === 0
          ? NO_SIMILARITY
          : bestVendorSimilarity(budget.vendors, item.vendor);
      writePair(budget, item, vendor, out, offset);
      offset += FEATURE_COUNT;
    }
  }
  // Each item's competition among the budgets: its evidence for each, against the best other.
  const at = (b: number, i: number) => (b * items.length + i) * FEATURE_COUNT;
  items.forEach((_, i) => {
    const evidence = budgets.map((_, b) => referenceEvidence(out, at(b, i)));
    evidence.forEach((e, b) => {
      const others = evidence.filter((_, r) => r !== b);
      const other = Math.max(0, ...others);
      out[at(b, i) + F.evidence] = clip(e / 8);
      out[at(b, i) + F.evidence_margin] = clip((e - other) / 6);
    });
    // The pair's margin over the best other budget on each closeness (0 when none is closer).
    for (const [column, closeness] of [
      [F.amount_margin, amountCloseness],
      [F.date_margin, dateCloseness],
      [F.vendor_margin, vendorCloseness],
    ] as const) {
      const values = budgets.map((budget) => Math.fround(closeness(budget, items[i] as NormalisedItem)));
      values.forEach((v, b) => {
        out[at(b, i) + column] = v - Math.max(0, ...values.filter((_, r) => r !== b));
      });
    }
  });
  return out;
}

const clip = (v: number) => Math.min(1, Math.max(-1, v));

/** 1 when the item's amount is the budget's, falling to 0 at 2× or ½ off; at least 0.5 for about half. */
function amountCloseness(budget: NormalisedBudget, item: NormalisedItem): number {
  const ratio = ratioOf(budget, item);
  if (Number.isNaN(ratio)) return 0;
  const closeness = 1 - Math.min(Math.abs(ratio), Math.LN2) / Math.LN2;
  return isAboutHalf(budget, item) ? Math.max(closeness, 0.5) : closeness;
}

/** 1 on the booking's day or during the trip, falling to 0 at 28 days from the nearer of the two. */
function dateCloseness(budget: NormalisedBudget, item: NormalisedItem): number {
  const at = item.transactedAt;
  if (at === undefined) return 0;
  const distances: number[] = [];
  if (budget.bookedAt !== undefined) distances.push(Math.abs((at - budget.bookedAt) / DAY_MS));
  if (budget.tripStart !== undefined && budget.tripEnd !== undefined) {
    const before = (budget.tripStart - at) / DAY_MS;
    const after = (at - budget.tripEnd) / DAY_MS;
    distances.push(Math.max(0, before, after));
  }
  const nearest = Math.min(...distances);
  return nearest < 28 ? 1 - nearest / 28 : 0;
}

/** The best vendor similarity of the pair; 0 when a side has no vendor or the brands differ. */
function vendorCloseness(budget: NormalisedBudget, item: NormalisedItem): number {
  if (item.vendor === undefined || budget.vendors.length === 0) return 0;
  const v = bestVendorSimilarity(budget.vendors, item.vendor);
  return v.aliasConflict === 0 ? Math.max(v.alias, v.brand, v.token, v.trigram) : 0;
}

/** Whether the item's amount is 0.42–0.6 of the budget's cost or of its price (a split charge). */
function isAboutHalf(budget: NormalisedBudget, item: NormalisedItem): boolean {
  if (item.amount === undefined) return false;
  const a = Math.log(Math.abs(item.amount));
  const within = (reference: number | undefined) =>
    reference !== undefined &&
    a - Math.log(reference) >= Math.log(0.42) &&
    a - Math.log(reference) <= Math.log(0.6);
  return within(budget.actualCost) || within(budget.price);
}

/** The order the evidence is summed in (the hot path's: the order it writes the columns in). */
const EVIDENCE_SUM_ORDER = [
  'category_agrees',
  'category_conflicts',
  'category_booking_conflict',
  'vendor_token_similarity',
  'vendor_brand_match',
  'vendor_trigram_similarity',
  'vendor_alias_match',
  'vendor_alias_conflict',
  'amount_within_2pct',
  'amount_within_15pct',
  'amount_within_40pct',
  'amount_about_half',
  'amount_far',
  'near_booking',
  'before_booking',
  'posted_within_2_weeks',
  'long_after_booking',
  'in_booking_window',
  'after_trip',
  'long_after_trip',
  'during_trip',
] as const satisfies ReadonlyArray<(typeof EVIDENCE_COLUMNS)[number]>;

/** The evidence of the pair written at `o`: the weighted sum of its evidence columns. */
function referenceEvidence(out: Float32Array, o: number): number {
  let e = 0;
  for (const name of EVIDENCE_SUM_ORDER) {
    const value =
      name === 'amount_far'
        ? out[o + F.amount_signed_log_ratio] !== 0 &&
          out[o + F.amount_within_40pct] === 0 &&
          out[o + F.amount_about_half] === 0
          ? 1
          : 0
        : (out[o + F[name]] as number);
    e += value * EVIDENCE_WEIGHTS[name];
  }
  return e;
}

/** log of the amount over the closer of cost and price; NaN when either side has none. */
function ratioOf(budget: NormalisedBudget, item: NormalisedItem): number {
  if (item.amount === undefined) return Number.NaN;
  const a = Math.log(Math.abs(item.amount));
  const toCost = budget.actualCost === undefined ? Number.NaN : a - Math.log(budget.actualCost);
  const toPrice = budget.price === undefined ? Number.NaN : a - Math.log(budget.price);
  if (Number.isNaN(toCost)) return toPrice;
  if (Number.isNaN(toPrice)) return toCost;
  return Math.abs(toPrice) < Math.abs(toCost) ? toPrice : toCost;
}

/**
 * Writes one pair's features at `offset` of `out` (which must be zero there).
 * `vendor` is the item's best similarity to the budget's vendors.
 */
function writePair(
  budget: NormalisedBudget,
  item: NormalisedItem,
  vendor: VendorSimilarity,
  out: Float32Array,
  offset: number,
): void {
  const o = offset;
  let compared = 0;
  let agreeing = 0;

  // Category agreement.
  if (budget.type === undefined) out[o + F.budget_type_missing] = 1;
  else out[o + F.budget_type_flight + (BUDGET_TYPE_INDEX.get(budget.type) as number)] = 1;
  if (item.category === undefined) out[o + F.item_category_missing] = 1;
  else out[o + F.item_category_airfare + (CATEGORY_INDEX.get(item.category) as number)] = 1;
  const expected = budget.type === undefined ? undefined : CATEGORY_FOR_BUDGET[budget.type];
  if (expected !== undefined && item.category !== undefined && item.category !== 'other') {
    compared++;
    if (item.category === expected) agreeing++;
    out[o + F.category_agrees] = item.category === expected ? 1 : 0;
    const booking = BOOKING_CATEGORIES.has(item.category);
    out[o + F.category_conflicts] = item.category !== expected && !booking ? 1 : 0;
    out[o + F.category_booking_conflict] = item.category !== expected && booking ? 1 : 0;
  }

  // Vendor.
  out[o + F.vendor_token_similarity] = vendor.token;
  out[o + F.vendor_brand_match] = vendor.brand;
  out[o + F.vendor_trigram_similarity] = vendor.trigram;
  out[o + F.vendor_alias_match] = vendor.alias;
  out[o + F.vendor_alias_conflict] = vendor.aliasConflict;
  out[o + F.item_vendor_missing] = item.vendor === undefined ? 1 : 0;
  out[o + F.budget_vendor_missing] = budget.vendors.length === 0 ? 1 : 0;
  out[o + F.item_vendor_known_brand] = item.vendor !== undefined && item.vendor.alias >= 0 ? 1 : 0;
  out[o + F.budget_vendor_known_brand] = budget.vendors.some((v) => v.alias >= 0) ? 1 : 0;
  if (item.vendor !== undefined && budget.vendors.length > 0) {
    compared++;
    if (vendor.alias === 1 || vendor.brand === 1 || vendor.token >= 0.5) agreeing++;
  }

  // Amount: closeness to the actual cost, or to the budgeted price where that is closer or alone.
  const cost = budget.actualCost;
  const price = budget.price;
  out[o + F.budget_amount_missing] = (cost ?? price) === undefined ? 1 : 0;
  out[o + F.budget_amount_is_price] = cost === undefined && price !== undefined ? 1 : 0;
  const amount = item.amount;
  if (amount === undefined) out[o + F.item_amount_missing] = 1;
  else {
    out[o + F.amount_negative] = amount < 0 ? 1 : 0;
    out[o + F.item_amount_size] = Math.min(1, Math.log10(1 + Math.abs(amount)) / 4);
  }
  const ratio = ratioOf(budget, item);
  if (!Number.isNaN(ratio)) {
    const deviation = Math.abs(ratio);
    out[o + F.amount_signed_log_ratio] =
      Math.max(-MAX_LOG_DEVIATION, Math.min(ratio, MAX_LOG_DEVIATION)) / MAX_LOG_DEVIATION;
    out[o + F.amount_within_2pct] = deviation <= LOG_2PCT ? 1 : 0;
    const magnitude = Math.abs(amount as number);
    out[o + F.amount_exact] = magnitude === cost || magnitude === price ? 1 : 0;
    out[o + F.amount_within_15pct] = deviation <= LOG_15PCT ? 1 : 0;
    out[o + F.amount_within_40pct] = deviation <= LOG_40PCT ? 1 : 0;
    // A split charge: about half of the cost or of the price.
    const half = isAboutHalf(budget, item);
    out[o + F.amount_about_half] = half ? 1 : 0;
    compared++;
    if (deviation <= LOG_15PCT || half) agreeing++;
  }

  // Date position relative to the booking and the trip window.
  const at = item.transactedAt;
  const bookedAt = budget.bookedAt;
  const tripStart = budget.tripStart;
  const tripEnd = budget.tripEnd;
  out[o + F.transaction_date_missing] = at === undefined ? 1 : 0;
  out[o + F.booking_date_missing] = bookedAt === undefined ? 1 : 0;
  out[o + F.trip_dates_missing] = tripStart === undefined || tripEnd === undefined ? 1 : 0;
  out[o + F.category_only_budget] =
    budget.type !== undefined &&
    budget.vendors.length === 0 &&
    cost === undefined &&
    price === undefined &&
    bookedAt === undefined &&
    tripStart === undefined &&
    tripEnd === undefined
      ? 1
      : 0;
  if (at !== undefined) {
    if (bookedAt !== undefined) {
      const fromBooking = (at - bookedAt) / DAY_MS;
      out[o + F.days_from_booking] = squashDays(fromBooking);
      out[o + F.near_booking] = Math.abs(fromBooking) <= BOOKING_SLACK_DAYS ? 1 : 0;
      out[o + F.before_booking] = fromBooking < -BOOKING_SLACK_DAYS ? 1 : 0;
      const posted = fromBooking >= -BOOKING_SLACK_DAYS && fromBooking <= LATE_POSTING_DAYS;
      out[o + F.posted_within_2_weeks] = posted ? 1 : 0;
      out[o + F.long_after_booking] = fromBooking > 120 ? 1 : 0;
      let inWindow = posted;
      if (tripEnd !== undefined) {
        const fromEnd = (at - tripEnd) / DAY_MS;
        inWindow = fromBooking >= -BOOKING_SLACK_DAYS && fromEnd <= AFTER_TRIP_SLACK_DAYS;
        out[o + F.in_booking_window] = inWindow ? 1 : 0;
      }
      compared++;
      if (inWindow) agreeing++;
    }
    if (tripEnd !== undefined) {
      const fromEnd = (at - tripEnd) / DAY_MS;
      out[o + F.days_from_trip_end] = squashDays(fromEnd);
      out[o + F.after_trip] = fromEnd > AFTER_TRIP_SLACK_DAYS ? 1 : 0;
      out[o + F.long_after_trip] = fromEnd > 21 ? 1 : 0;
      if (tripStart !== undefined) {
        const fromStart = (at - tripStart) / DAY_MS;
        out[o + F.during_trip] = fromStart >= -1 && fromEnd <= 1 ? 1 : 0;
      }
    }
  }
  out[o + F.fields_not_compared] = (4 - compared) / 4;
  out[o + F.fields_agreeing] = compared === 0 ? 0 : agreeing / compared;
}

const BUDGET_TYPE_INDEX = new Map(BUDGET_TYPES.map((type, i) => [type, i]));
const CATEGORY_INDEX = new Map(EXPENSE_CATEGORIES.map((category, i) => [category, i]));

/** Signed log of a day count, scaled so a year is ±1 and clipped there. */
function squashDays(days: number): number {
  const v = (Math.sign(days) * Math.log1p(Math.abs(days))) / LOG_DAYS_SCALE;
  return Math.min(1, Math.max(-1, v));
}
