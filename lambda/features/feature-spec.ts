import { createHash } from 'node:crypto';
import { BUDGET_TYPES, EXPENSE_CATEGORIES } from './categories';

/**
 * The feature specification: the names and order of the columns that `pairFeatures` writes.
 * Training and serving share it; a model artifact records its hash and serving refuses an
 * artifact whose hash differs (DESIGN.md #1).
 *
 * Bump FEATURE_SPEC_VERSION whenever what a column means changes, not only its name or order:
 * `test/lambda/features/pair-features.test.ts` pins the vectors of sample pairs to catch it.
 */
// 2: "air" matched only as a whole word ("Airbnb", "Airport Hotel" were read as flights).
// 3: budget types ground and event, category registration; the vendor alias table (alias match
//    and conflict, known-brand flags); category compatibility; split-charge and drift direction
//    amounts (the signed log ratio replaces the unsigned deviation); late posting; the share of
//    compared fields that agree; category_conflicts only for a category that is not another
//    booking's (category_booking_conflict is that one), no days_from_trip_start (days to the
//    trip's end and during_trip say it): fewer non-zero columns for the model call (issue 12). Every column depends on its budget and item only,
//    never on the request's other entries: a request split into several calls has the same features.
// 4: the item's competition among the request's budgets: the pair's evidence (a fixed logistic
//    score of its vendor, amount, date and category columns, EVIDENCE_WEIGHTS) and its margin over
//    the best other budget's evidence for the same item; long_after_trip and long_after_booking.
//    These depend on the request's budgets, never on its other line items: a request split by
//    line items (each call with all the budgets, as the clients split it) has the same features.
// 5: the pair's margin over the item's best other budget on amount, date and vendor closeness
//    (amount_margin, date_margin, vendor_margin; as the evidence margin, they depend on the
//    request's budgets, never on its other line items), a budget that names only a category
//    (category_only_budget), and a wider "about half" band for split charges: 0.42–0.6 of the
//    budget's amount (was 0.446–0.56).
// 6: amount_exact: the item's amount is the budget's actual cost or price to the cent (a booking's
//    charge usually is; a coincidence at that precision is rare), so that an exact amount can
//    outweigh a mis-filed category or a missing field.
// The features still never read the request's other line items; the model's reciprocal stage,
// after the network, does (lambda/model/reciprocal-stage.ts): the served scores of a request split
// by line items can differ from one call's, its features cannot.
export const FEATURE_SPEC_VERSION = 'pair-features/6';

export const FEATURE_NAMES = [
  ...BUDGET_TYPES.map((t) => `budget_type_${t}` as const),
  'budget_type_missing',
  ...EXPENSE_CATEGORIES.map((c) => `item_category_${c}` as const),
  'item_category_missing',
  'category_agrees',
  'category_conflicts',
  'category_booking_conflict',
  'vendor_token_similarity',
  'vendor_brand_match',
  'vendor_trigram_similarity',
  'vendor_alias_match',
  'vendor_alias_conflict',
  'item_vendor_known_brand',
  'budget_vendor_known_brand',
  'item_vendor_missing',
  'budget_vendor_missing',
  'amount_signed_log_ratio',
  'amount_within_2pct',
  'amount_within_15pct',
  'amount_within_40pct',
  'amount_about_half',
  'amount_negative',
  'item_amount_missing',
  'budget_amount_missing',
  'budget_amount_is_price',
  'days_from_booking',
  'days_from_trip_end',
  'near_booking',
  'before_booking',
  'during_trip',
  'after_trip',
  'long_after_trip',
  'long_after_booking',
  'in_booking_window',
  'posted_within_2_weeks',
  'transaction_date_missing',
  'booking_date_missing',
  'trip_dates_missing',
  'fields_not_compared',
  'fields_agreeing',
  'evidence',
  'evidence_margin',
  'amount_margin',
  'date_margin',
  'vendor_margin',
  'category_only_budget',
  'amount_exact',
  'item_amount_size',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];
export const FEATURE_COUNT = FEATURE_NAMES.length;

/**
 * What each column depends on: the budget alone, the line item alone, or the pair. Not part of
 * the spec's hash (it says how to compute a column, not what it means): `pairFeatures` writes
 * budget and item columns once per budget and item and only the pair columns once per pair. A
 * new column names its scope here, and its writer goes in the matching `write…Columns` function.
 */
export type FeatureScope = 'budget' | 'item' | 'pair';

const SCOPE_OF_PREFIX: ReadonlyArray<readonly [string, FeatureScope]> = [
  ['budget_type_', 'budget'],
  ['item_category_', 'item'],
];

/** The scope of every column, by name. */
export const FEATURE_SCOPES: Readonly<Record<FeatureName, FeatureScope>> = Object.fromEntries(
  FEATURE_NAMES.map((name) => [name, scopeOf(name)]),
) as Record<FeatureName, FeatureScope>;

function scopeOf(name: FeatureName): FeatureScope {
  switch (name) {
    case 'budget_vendor_missing':
    case 'budget_vendor_known_brand':
    case 'budget_amount_missing':
    case 'budget_amount_is_price':
    case 'booking_date_missing':
    case 'trip_dates_missing':
    case 'category_only_budget':
      return 'budget';
    case 'item_vendor_missing':
    case 'item_vendor_known_brand':
    case 'item_amount_missing':
    case 'amount_negative':
    case 'item_amount_size':
    case 'transaction_date_missing':
      return 'item';
    default:
      return SCOPE_OF_PREFIX.find(([prefix]) => name.startsWith(prefix))?.[1] ?? 'pair';
  }
}

/** Column indices of each scope, in spec order. */
export const COLUMNS_OF_SCOPE: Readonly<Record<FeatureScope, readonly number[]>> = {
  budget: FEATURE_NAMES.flatMap((n, i) => (FEATURE_SCOPES[n] === 'budget' ? [i] : [])),
  item: FEATURE_NAMES.flatMap((n, i) => (FEATURE_SCOPES[n] === 'item' ? [i] : [])),
  pair: FEATURE_NAMES.flatMap((n, i) => (FEATURE_SCOPES[n] === 'pair' ? [i] : [])),
};

/** Column index of each feature, for code that reads a matrix (tests, explanations). */
export const FEATURE_INDEX = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Readonly<
  Record<FeatureName, number>
>;

/**
 * The columns the evidence of a pair reads (all of scope `pair`, zero in most pairs), and one it
 * derives: `amount_far`, an amount further off than 40 % and not about half.
 */
export const EVIDENCE_COLUMNS = [
  'vendor_alias_match',
  'vendor_brand_match',
  'vendor_token_similarity',
  'vendor_trigram_similarity',
  'vendor_alias_conflict',
  'amount_within_2pct',
  'amount_within_15pct',
  'amount_within_40pct',
  'amount_about_half',
  'amount_far',
  'near_booking',
  'posted_within_2_weeks',
  'during_trip',
  'in_booking_window',
  'before_booking',
  'after_trip',
  'long_after_trip',
  'long_after_booking',
  'category_agrees',
  'category_conflicts',
  'category_booking_conflict',
] as const;

/**
 * The weight of each evidence column: a logistic regression fitted once on the training split of
 * the default training data (`npx tsx train/fit-evidence.ts`), rounded. Part of the feature
 * spec: changing one changes what the evidence columns mean.
 */
export const EVIDENCE_WEIGHTS: Readonly<Record<(typeof EVIDENCE_COLUMNS)[number], number>> = {
  vendor_alias_match: 1.92,
  vendor_brand_match: 0.19,
  vendor_token_similarity: 0.28,
  vendor_trigram_similarity: -0.19,
  vendor_alias_conflict: -1.84,
  amount_within_2pct: 1.03,
  amount_within_15pct: 2.29,
  amount_within_40pct: -1.12,
  amount_about_half: -0.62,
  amount_far: -2.55,
  near_booking: 1.49,
  posted_within_2_weeks: 0.47,
  during_trip: -0.07,
  in_booking_window: -0.19,
  before_booking: -2.71,
  after_trip: -2.11,
  long_after_trip: -1.6,
  long_after_booking: -1.33,
  category_agrees: 0.97,
  category_conflicts: -1.95,
  category_booking_conflict: -1.95,
};

/** sha256 of the version, the column names and the evidence weights; what an artifact's manifest must carry. */
export const FEATURE_SPEC_HASH = createHash('sha256')
  .update(JSON.stringify({ version: FEATURE_SPEC_VERSION, names: FEATURE_NAMES, evidence: EVIDENCE_WEIGHTS }))
  .digest('hex');
