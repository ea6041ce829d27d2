import { BOOKING_CATEGORIES, BUDGET_TYPES, CATEGORY_FOR_BUDGET, EXPENSE_CATEGORIES } from './categories';
import {
  COLUMNS_OF_SCOPE,
  EVIDENCE_COLUMNS,
  EVIDENCE_WEIGHTS,
  FEATURE_COUNT,
  FEATURE_INDEX,
} from './feature-spec';
import type { NormalisedBudget, NormalisedItem } from './normalise';
import {
  bestVendorSimilarity,
  NO_SIMILARITY,
  type VendorKey,
  type VendorSimilarity,
} from './vendor-similarity';

// Module-local copies of the spec's constants: read through the import, each use is a getter
// call on the module object outside a bundle (tsx: the local server, tests), 6% of the pair
// features' time in the profile.
const F = { ...FEATURE_INDEX };
const WIDTH = FEATURE_COUNT;
const DAY_MS = 86_400_000;
const LOG_DAYS_SCALE = Math.log1p(365);
const MAX_LOG_DEVIATION = 3;
const LOG_2PCT = Math.log(1.02);
const LOG_15PCT = Math.log(1.15);
const LOG_40PCT = Math.log(1.4);
// A charge split in two (two legs, deposit and balance): each part about half the booking,
// 0.42–0.6 of its amount.
const LOG_HALF_LOW = Math.log(0.42);
const LOG_HALF_HIGH = Math.log(0.6);
const LN2 = Math.LN2;
// Closeness (for the margins over the item's other budgets): an amount is as far as 2× or ½ off
// at 0, a date 28 days from the booking or the trip at 0.
const CLOSE_DAYS = 28;
// Card charges carry the merchant's local date while bookings are stamped in UTC, so a charge
// dated up to two days before the booking is still "at booking" (docs/contract.md).
const BOOKING_SLACK_DAYS = 2;
const AFTER_TRIP_SLACK_DAYS = 7;
// Card charges post up to two weeks after the booking (batch settlement, agencies billing later).
const LATE_POSTING_DAYS = 14;
// No booking charge posts this long after the trip, or after the booking.
const LONG_AFTER_TRIP_DAYS = 21;
const LONG_AFTER_BOOKING_DAYS = 120;

/**
 * Writes the features of every (budget, item) pair into one row-major Float32Array of
 * `budgets.length × items.length` rows and FEATURE_COUNT columns, budgets outer and items inner
 * (the reply's order). Each item's columns are written once and copied into each budget's block
 * in one `set`; each budget's columns once; per pair only the pair columns
 * (`FEATURE_SCOPES`) are computed, with no allocation. Vendor similarity is computed once per
 * budget and distinct item vendor. `into`, when given, is where they are written: exactly
 * `budgets.length × items.length × FEATURE_COUNT` long, whatever it holds (every value is
 * written; serving passes a kept buffer: `matrixFor` in `lambda/matcher/match-request.ts`).
 */
export function pairFeatures(
  budgets: readonly NormalisedBudget[],
  items: readonly NormalisedItem[],
  into?: Float32Array,
): Float32Array {
  const rows = items.length;
  const out = into ?? new Float32Array(budgets.length * rows * WIDTH);
  if (out.length !== budgets.length * rows * WIDTH) {
    throw new RangeError(`pairFeatures: ${out.length} values given for ${budgets.length * rows} rows`);
  }
  // Rows start from the item block, copied whole over each budget's block; with one budget the
  // item columns are written in place, so a given array is zeroed first.
  if (into !== undefined && budgets.length === 1) out.fill(0);
  if (out.length === 0) return out;
  // With one budget the item columns go straight into its block: no template to copy.
  const itemBlock = budgets.length === 1 ? out : new Float32Array(rows * WIDTH);
  for (let i = 0; i < rows; i++) writeItemColumns(items[i] as NormalisedItem, itemBlock, i * WIDTH);

  const vendorSlots = new Map<string, number>();
  const distinctVendors: VendorKey[] = [];
  const itemVendorSlot = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const item = items[i] as NormalisedItem;
    if (item.vendorText === undefined || item.vendor === undefined) {
      itemVendorSlot[i] = -1;
      continue;
    }
    let slot = vendorSlots.get(item.vendorText);
    if (slot === undefined) {
      slot = distinctVendors.push(item.vendor) - 1;
      vendorSlots.set(item.vendorText, slot);
    }
    itemVendorSlot[i] = slot;
  }

  // Each item's and each budget's log amounts, once: the pair loop subtracts instead of taking a
  // log per pair.
  const itemLog = new Float64Array(rows);
  for (let i = 0; i < rows; i++) itemLog[i] = logMagnitude((items[i] as NormalisedItem).amount);

  const { budgetRow, budgetColumns, budgetValues } = BUDGET_SCRATCH;
  const similarities: VendorSimilarity[] = new Array(distinctVendors.length);
  // Each pair's evidence, budgets outer and items inner as the rows: compared per item below.
  const evidence = new Float64Array(budgets.length * rows);
  // Each pair's amount, date and vendor closeness, three a pair in the same order (writeCompetition).
  const closeness = new Float32Array(budgets.length * rows * 3);
  let pair = 0;
  let block = 0;
  for (let b = 0; b < budgets.length; b++) {
    const budget = budgets[b] as NormalisedBudget;
    const logCost = logMagnitude(budget.actualCost);
    const logPrice = logMagnitude(budget.price);
    if (itemBlock !== out) out.set(itemBlock, block);
    budgetRow.fill(0);
    writeBudgetColumns(budget, budgetRow, 0);
    // Only the budget's non-zero columns are copied into each row.
    let nonZero = 0;
    for (const c of BUDGET_COLUMNS) {
      const v = budgetRow[c] as number;
      if (v !== 0) {
        budgetColumns[nonZero] = c;
        budgetValues[nonZero++] = v;
      }
    }
    for (let s = 0; s < distinctVendors.length; s++) {
      similarities[s] =
        budget.vendors.length > 0
          ? bestVendorSimilarity(budget.vendors, distinctVendors[s] as VendorKey)
          : NO_SIMILARITY;
    }
    let offset = block;
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < nonZero; k++)
        out[offset + (budgetColumns[k] as number)] = budgetValues[k] as number;
      const slot = itemVendorSlot[i] as number;
      evidence[pair] = writePairColumns(
        budget,
        items[i] as NormalisedItem,
        slot < 0 ? NO_SIMILARITY : (similarities[slot] as VendorSimilarity),
        itemLog[i] as number,
        logCost,
        logPrice,
        out,
        offset,
        closeness,
        pair * 3,
      );
      pair++;
      offset += WIDTH;
    }
    block += rows * WIDTH;
  }
  writeCompetition(out, budgets.length, rows, evidence, closeness);
  return out;
}

const AMOUNT_MARGIN = F.amount_margin;
const DATE_MARGIN = F.date_margin;
const VENDOR_MARGIN = F.vendor_margin;

// The evidence columns are scaled into [-1, 1] (clipped there): the evidence ranges over about
// ±8, a margin of 6 or more is as good as certain.
const MARGIN_SCALE = 6;
const EVIDENCE_SCALE = 8;

// The evidence weights as module-local constants (read per pair: see F above).
const W = { ...EVIDENCE_WEIGHTS };

/** Whether a pair's amount is further off than 40 % and not about half (amount columns at `o`). */
function amountFar(out: Float32Array, o: number): boolean {
  return (
    (out[o + F.amount_signed_log_ratio] as number) !== 0 &&
    (out[o + F.amount_within_40pct] as number) === 0 &&
    (out[o + F.amount_about_half] as number) === 0
  );
}

/** The evidence inputs of the pair at `o` of `out`, in EVIDENCE_COLUMNS order (for fitting). */
export function evidenceInputs(out: Float32Array, o: number, inputs: Float64Array): void {
  EVIDENCE_COLUMNS.forEach((name, c) => {
    inputs[c] = name === 'amount_far' ? (amountFar(out, o) ? 1 : 0) : (out[o + F[name]] as number);
  });
}

/**
 * The item's competition among the request's budgets (scope `pair`, but computed over the
 * budgets of the request): how much more evidence this budget has for the item than the best
 * other budget (or than a budget with nothing in common, when none has more), and the same
 * margin on amount, date and vendor closeness (`closeness`: three a pair, rows in order; each in
 * [0, 1]). It depends on the item and the request's budgets only, never on the other items: a
 * request split by line items (each part with all the budgets, as the clients split it) has the
 * same features (the model's reciprocal stage, after the network, does read the other items).
 */
function writeCompetition(
  out: Float32Array,
  budgets: number,
  rows: number,
  evidence: Float64Array,
  closeness: Float32Array,
): void {
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let second = 0;
    // The same for each closeness: amount, date, vendor.
    let amount = 0;
    let amount2 = 0;
    let date = 0;
    let date2 = 0;
    let vendor = 0;
    let vendor2 = 0;
    for (let b = 0, k = i; b < budgets; b++, k += rows) {
      const e = evidence[k] as number;
      if (e > best) {
        second = best;
        best = e;
      } else if (e > second) second = e;
      const a = closeness[k * 3] as number;
      if (a > amount) {
        amount2 = amount;
        amount = a;
      } else if (a > amount2) amount2 = a;
      const d = closeness[k * 3 + 1] as number;
      if (d > date) {
        date2 = date;
        date = d;
      } else if (d > date2) date2 = d;
      const v = closeness[k * 3 + 2] as number;
      if (v > vendor) {
        vendor2 = vendor;
        vendor = v;
      } else if (v > vendor2) vendor2 = v;
    }
    for (let b = 0, k = i; b < budgets; b++, k += rows) {
      const e = evidence[k] as number;
      const o = k * WIDTH;
      // The best other budget's evidence: the runner-up for the best, the best for the others.
      const other = e === best ? second : best;
      const own = e / EVIDENCE_SCALE;
      out[o + F.evidence] = Math.min(1, Math.max(-1, own));
      const margin = (e - other) / MARGIN_SCALE;
      out[o + F.evidence_margin] = Math.min(1, Math.max(-1, margin));
      const a = closeness[k * 3] as number;
      out[o + AMOUNT_MARGIN] = a - (a === amount ? amount2 : amount);
      const d = closeness[k * 3 + 1] as number;
      out[o + DATE_MARGIN] = d - (d === date ? date2 : date);
      const v = closeness[k * 3 + 2] as number;
      out[o + VENDOR_MARGIN] = v - (v === vendor ? vendor2 : vendor);
    }
  }
}

const BUDGET_COLUMNS = COLUMNS_OF_SCOPE.budget;

// One budget's row and its non-zero columns, rewritten for each budget: module-level, since a
// call never awaits (three typed arrays fewer a request; 1 × 1 in-process allocates ~11 KB, and
// its scavenges are part of its p99: `npm run bench`).
const BUDGET_SCRATCH = {
  budgetRow: new Float32Array(WIDTH),
  budgetColumns: new Int32Array(BUDGET_COLUMNS.length),
  budgetValues: new Float32Array(BUDGET_COLUMNS.length),
};

/**
 * Writes one pair's features at `offset` of `out` (which must be zero there): its budget, item
 * and pair columns, except the evidence columns, which compare the item's budgets
 * ({@link pairFeatures} writes those), and the margin columns (amount, date, vendor), which hold
 * the pair's own closeness until {@link pairFeatures} compares the item's budgets. `vendor` is
 * the item's best similarity to the budget's vendors.
 */
export function writePair(
  budget: NormalisedBudget,
  item: NormalisedItem,
  vendor: VendorSimilarity,
  out: Float32Array,
  offset: number,
): void {
  writeBudgetColumns(budget, out, offset);
  writeItemColumns(item, out, offset);
  const closeness = new Float32Array(3);
  writePairColumns(
    budget,
    item,
    vendor,
    logMagnitude(item.amount),
    logMagnitude(budget.actualCost),
    logMagnitude(budget.price),
    out,
    offset,
    closeness,
    0,
  );
  out[offset + AMOUNT_MARGIN] = closeness[0] as number;
  out[offset + DATE_MARGIN] = closeness[1] as number;
  out[offset + VENDOR_MARGIN] = closeness[2] as number;
}

/**
 * How large an amount is, whatever it is compared with: log10(1 + |amount|) / 4, at most 1
 * ($10 is 0.26, $100 0.5, $1,000 0.75, $10,000 and more 1). Booking charges are larger than
 * everyday expenses, so a "meal" at an airfare's size is likely a mis-filed airfare.
 */
export function amountSize(amount: number): number {
  return Math.min(1, Math.log10(1 + Math.abs(amount)) / 4);
}

/** log |n|, or NaN when `n` is missing. */
export function logMagnitude(n: number | undefined): number {
  return n === undefined ? Number.NaN : Math.log(Math.abs(n));
}

/**
 * The log ratio of an amount to the budget's cost or price, whichever is closer (the cost on a
 * tie); NaN when the amount or both references are missing.
 */
export function logRatio(itemLog: number, logCost: number, logPrice: number): number {
  const toCost = itemLog - logCost;
  const toPrice = itemLog - logPrice;
  if (Number.isNaN(toCost)) return toPrice;
  if (Number.isNaN(toPrice)) return toCost;
  return Math.abs(toPrice) < Math.abs(toCost) ? toPrice : toCost;
}

/** Writes the columns that depend on the budget alone (scope `budget`) at `o` of `out` (zero there). */
export function writeBudgetColumns(budget: NormalisedBudget, out: Float32Array, o: number): void {
  if (budget.type === undefined) out[o + F.budget_type_missing] = 1;
  else out[o + F.budget_type_flight + (BUDGET_TYPE_INDEX.get(budget.type) as number)] = 1;
  out[o + F.budget_vendor_missing] = budget.vendors.length === 0 ? 1 : 0;
  for (const vendor of budget.vendors) if (vendor.alias >= 0) out[o + F.budget_vendor_known_brand] = 1;
  const cost = budget.actualCost;
  const price = budget.price;
  out[o + F.budget_amount_missing] = (cost ?? price) === undefined ? 1 : 0;
  out[o + F.budget_amount_is_price] = cost === undefined && price !== undefined ? 1 : 0;
  out[o + F.booking_date_missing] = budget.bookedAt === undefined ? 1 : 0;
  out[o + F.trip_dates_missing] = budget.tripStart === undefined || budget.tripEnd === undefined ? 1 : 0;
  // Nothing but a type to go on: no vendor, amount, booking or trip date.
  out[o + F.category_only_budget] =
    budget.type !== undefined &&
    budget.vendors.length === 0 &&
    (cost ?? price) === undefined &&
    budget.bookedAt === undefined &&
    budget.tripStart === undefined &&
    budget.tripEnd === undefined
      ? 1
      : 0;
}

/** Writes the columns that depend on the item alone (scope `item`) at `o` of `out` (zero there). */
export function writeItemColumns(item: NormalisedItem, out: Float32Array, o: number): void {
  if (item.category === undefined) out[o + F.item_category_missing] = 1;
  else out[o + F.item_category_airfare + (CATEGORY_INDEX.get(item.category) as number)] = 1;
  out[o + F.item_vendor_missing] = item.vendor === undefined ? 1 : 0;
  out[o + F.item_vendor_known_brand] = item.vendor !== undefined && item.vendor.alias >= 0 ? 1 : 0;
  if (item.amount === undefined) out[o + F.item_amount_missing] = 1;
  else {
    out[o + F.amount_negative] = item.amount < 0 ? 1 : 0;
    out[o + F.item_amount_size] = amountSize(item.amount);
  }
  out[o + F.transaction_date_missing] = item.transactedAt === undefined ? 1 : 0;
}

/**
 * Writes the columns that depend on both (scope `pair`) at `o` of `out` (zero there).
 * Plain indexed stores with numbers only: this runs once per pair (20,000 times for a 10 × 2,000
 * request); a shared `set(index, number | boolean)` closure took 17 ms for those pairs.
 */
export function writePairColumns(
  budget: NormalisedBudget,
  item: NormalisedItem,
  vendor: VendorSimilarity,
  itemLog: number,
  logCost: number,
  logPrice: number,
  out: Float32Array,
  o: number,
  closeness: Float32Array,
  c: number,
): number {
  // Category agreement; a booking category other than the budget's says "another booking",
  // while meals, fees or "other" may be a booking's charge filed under the wrong category.
  // Alongside, how many of the four fields both sides have agree: strong agreement on three
  // can outweigh a missing or mis-filed fourth.
  let compared = 0;
  let agreeing = 0;
  // The pair's evidence (EVIDENCE_WEIGHTS), summed here in this order (the reference sums in the
  // same order, EVIDENCE_SUM_ORDER): no column is read back.
  let e = 0;
  const category = item.category;
  const expected = budget.type === undefined ? undefined : CATEGORY_FOR_BUDGET[budget.type];
  if (expected !== undefined && category !== undefined && category !== 'other') {
    compared++;
    if (category === expected) {
      out[o + F.category_agrees] = 1;
      e += W.category_agrees;
      agreeing++;
    } else if (BOOKING_CATEGORIES.has(category)) {
      // One or the other: a zero costs the model call nothing.
      out[o + F.category_booking_conflict] = 1;
      e += W.category_booking_conflict;
    } else {
      out[o + F.category_conflicts] = 1;
      e += W.category_conflicts;
    }
  }

  // Vendor.
  out[o + F.vendor_token_similarity] = vendor.token;
  out[o + F.vendor_brand_match] = vendor.brand;
  out[o + F.vendor_trigram_similarity] = vendor.trigram;
  out[o + F.vendor_alias_match] = vendor.alias;
  out[o + F.vendor_alias_conflict] = vendor.aliasConflict;
  // As stored (float32), so that the sum is the reference's over the columns.
  e += Math.fround(vendor.token) * W.vendor_token_similarity;
  e += vendor.brand * W.vendor_brand_match;
  e += Math.fround(vendor.trigram) * W.vendor_trigram_similarity;
  e += vendor.alias * W.vendor_alias_match;
  e += vendor.aliasConflict * W.vendor_alias_conflict;
  if (item.vendor !== undefined && budget.vendors.length > 0) {
    compared++;
    if (vendor.alias === 1 || vendor.brand === 1 || vendor.token >= 0.5) agreeing++;
    // Vendor closeness (writeCompetition): the best of the similarities, none for known brands that differ.
    if (vendor.aliasConflict === 0) {
      closeness[c + 2] = Math.max(
        Math.max(vendor.alias, vendor.brand),
        Math.max(vendor.token, vendor.trigram),
      );
    }
  }

  // Amount: closeness to the actual cost, or to the budgeted price where that is closer or alone;
  const ratio = logRatio(itemLog, logCost, logPrice);
  // Every column that is zero in most pairs costs the model call nothing (the dense pass skips
  // zeros): no amount is 0 here (its missing flags say so).
  if (!Number.isNaN(ratio)) {
    const deviation = Math.abs(ratio);
    out[o + F.amount_signed_log_ratio] =
      Math.max(-MAX_LOG_DEVIATION, Math.min(ratio, MAX_LOG_DEVIATION)) / MAX_LOG_DEVIATION;
    const exact = deviation <= LOG_2PCT;
    out[o + F.amount_within_2pct] = exact ? 1 : 0;
    // The same amount as the cost or the price (their logs equal: amounts are parsed, never computed).
    if (exact && (itemLog === logCost || itemLog === logPrice)) out[o + F.amount_exact] = 1;
    const close = deviation <= LOG_15PCT;
    out[o + F.amount_within_15pct] = close ? 1 : 0;
    const within = deviation <= LOG_40PCT;
    out[o + F.amount_within_40pct] = within ? 1 : 0;
    const toCost = itemLog - logCost;
    const toPrice = itemLog - logPrice;
    const half =
      (toCost >= LOG_HALF_LOW && toCost <= LOG_HALF_HIGH) ||
      (toPrice >= LOG_HALF_LOW && toPrice <= LOG_HALF_HIGH);
    out[o + F.amount_about_half] = half ? 1 : 0;
    // Amount closeness (writeCompetition): 1 at the amount, 0 at 2× or ½ off; a split part 0.5.
    const amountClose = deviation < LN2 ? 1 - deviation / LN2 : 0;
    closeness[c] = half && amountClose < 0.5 ? 0.5 : amountClose;
    if (exact) e += W.amount_within_2pct;
    if (close) e += W.amount_within_15pct;
    if (within) e += W.amount_within_40pct;
    if (half) e += W.amount_about_half;
    else if (!within) e += W.amount_far;
    compared++;
    if (close || half) agreeing++;
  }

  // Date position relative to the booking and the trip window.
  const at = item.transactedAt;
  if (at !== undefined) {
    // Date closeness (writeCompetition): days to the booking or to the trip, whichever is nearer.
    let nearest = Number.POSITIVE_INFINITY;
    const bookedAt = budget.bookedAt;
    const tripStart = budget.tripStart;
    const tripEnd = budget.tripEnd;
    if (bookedAt !== undefined) {
      const fromBooking = (at - bookedAt) / DAY_MS;
      nearest = Math.abs(fromBooking);
      out[o + F.days_from_booking] = squashDays(fromBooking);
      const near = Math.abs(fromBooking) <= BOOKING_SLACK_DAYS;
      out[o + F.near_booking] = near ? 1 : 0;
      const before = fromBooking < -BOOKING_SLACK_DAYS;
      out[o + F.before_booking] = before ? 1 : 0;
      const posted = fromBooking >= -BOOKING_SLACK_DAYS && fromBooking <= LATE_POSTING_DAYS;
      out[o + F.posted_within_2_weeks] = posted ? 1 : 0;
      // Later than any booking's charge posts, trip window or not (a trip booked months ahead,
      // charged at checkout, posted late).
      const longAfter = fromBooking > LONG_AFTER_BOOKING_DAYS;
      out[o + F.long_after_booking] = longAfter ? 1 : 0;
      if (near) e += W.near_booking;
      if (before) e += W.before_booking;
      if (posted) e += W.posted_within_2_weeks;
      if (longAfter) e += W.long_after_booking;
      let inWindow = posted;
      if (tripEnd !== undefined) {
        const fromEnd = (at - tripEnd) / DAY_MS;
        inWindow = fromBooking >= -BOOKING_SLACK_DAYS && fromEnd <= AFTER_TRIP_SLACK_DAYS;
        out[o + F.in_booking_window] = inWindow ? 1 : 0;
        if (inWindow) e += W.in_booking_window;
      }
      compared++;
      if (inWindow) agreeing++;
    }
    if (tripEnd !== undefined) {
      const fromEnd = (at - tripEnd) / DAY_MS;
      out[o + F.days_from_trip_end] = squashDays(fromEnd);
      const after = fromEnd > AFTER_TRIP_SLACK_DAYS;
      out[o + F.after_trip] = after ? 1 : 0;
      const longAfter = fromEnd > LONG_AFTER_TRIP_DAYS;
      out[o + F.long_after_trip] = longAfter ? 1 : 0;
      if (after) e += W.after_trip;
      if (longAfter) e += W.long_after_trip;
      if (tripStart !== undefined) {
        const fromStart = (at - tripStart) / DAY_MS;
        const during = fromStart >= -1 && fromEnd <= 1;
        out[o + F.during_trip] = during ? 1 : 0;
        if (during) e += W.during_trip;
        // Days outside the trip (0 during it): before its start, or after its end.
        const outside = fromStart < 0 ? -fromStart : Math.max(fromEnd, 0);
        if (outside < nearest) nearest = outside;
      }
    }
    if (nearest < CLOSE_DAYS) closeness[c + 1] = 1 - nearest / CLOSE_DAYS;
  }
  out[o + F.fields_not_compared] = (4 - compared) / 4;
  out[o + F.fields_agreeing] = compared === 0 ? 0 : agreeing / compared;
  return e;
}

const BUDGET_TYPE_INDEX = new Map(BUDGET_TYPES.map((type, i) => [type, i]));
const CATEGORY_INDEX = new Map(EXPENSE_CATEGORIES.map((category, i) => [category, i]));

/** Signed log of a day count, scaled so a year is ±1 and clipped there. */
function squashDays(days: number): number {
  const v = (Math.sign(days) * Math.log1p(Math.abs(days))) / LOG_DAYS_SCALE;
  return Math.min(1, Math.max(-1, v));
}
