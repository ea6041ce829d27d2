import fc from 'fast-check';
import { planChunks } from '../../../clients/typescript/src';
import { type Parsed, parseRequest } from '../../../lambda/contract';
import {
  FEATURE_COUNT,
  FEATURE_INDEX,
  FEATURE_NAMES,
  FEATURE_SPEC_HASH,
  type FeatureName,
  normaliseBudget,
  normaliseItem,
  pairFeatures,
} from '../../../lambda/features';
import { generatePairs } from '../../../train/generate-pairs';
import { loadRequest } from '../../helpers/events';

const okValues = <T>(entries: readonly Parsed<T>[]): T[] => entries.flatMap((e) => (e.ok ? [e.value] : []));

/** The feature matrix of a request as a client sends it: parse, normalise, pair. */
function featuresOf(request: unknown): { matrix: Float32Array; budgets: number; items: number } {
  const parsed = parseRequest(request);
  const budgets = okValues(parsed.budgets).map(normaliseBudget);
  const items = okValues(parsed.items).map(normaliseItem);
  return { matrix: pairFeatures(budgets, items), budgets: budgets.length, items: items.length };
}

/** Row `r` of a feature matrix, by feature name. */
function row(matrix: Float32Array, r: number): Record<FeatureName, number> {
  const values = matrix.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT);
  return Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, values[i] ?? Number.NaN])) as Record<
    FeatureName,
    number
  >;
}

/** The features of one budget × one item. */
const pairOf = (budget: Record<string, unknown>, item: Record<string, unknown>) =>
  row(featuresOf({ budgets: [budget], all_user_expense_lineitems: [item] }).matrix, 0);

const rounded = (features: Record<FeatureName, number>) =>
  Object.fromEntries(Object.entries(features).map(([k, v]) => [k, Number(v.toFixed(6))]));

const MISSING_FLAGS = FEATURE_NAMES.filter((n) => n.endsWith('_missing'));

const seed = loadRequest('seed-request');
const seedBudget = seed.budgets[0] ?? {};
const seedItem = seed.all_user_expense_lineitems[0] ?? {};

const AIRFARE_ITEM = {
  itemization_id: '1',
  expensed_amount_itemization: '131.98',
  expense_type_name_itemization: 'Airfare',
  transaction_date_itemization: '2017-04-08 00:00:00',
  expense_category_itemization: 'airfare',
  vendor_name_expense: 'SOUTHWEST AIR 5262174963012',
};

describe('pairFeatures: shape', () => {
  it('writes budgets × items rows of FEATURE_COUNT finite numbers', () => {
    const request = loadRequest('direct-invoke-trip');

    const { matrix, budgets, items } = featuresOf(request);

    expect([budgets, items]).toEqual([3, 6]);
    expect(matrix).toHaveLength(3 * 6 * FEATURE_COUNT);
    expect(Array.from(matrix).every(Number.isFinite)).toBe(true);
  });

  it('writes one row for the seed request', () => {
    const request = loadRequest('seed-request');

    const { matrix } = featuresOf(request);

    expect(matrix).toHaveLength(FEATURE_COUNT);
    expect(Array.from(matrix).every(Number.isFinite)).toBe(true);
  });

  it('writes nothing for empty lists', () => {
    const [noItems, noBudgets] = [
      pairFeatures([normaliseBudget(okValues(parseRequest(seed).budgets)[0] ?? { budget_id: '1' })], []),
      pairFeatures([], okValues(parseRequest(seed).items).map(normaliseItem)),
    ];

    expect([noItems.length, noBudgets.length]).toEqual([0, 0]);
  });

  it('orders rows budgets outer, items inner', () => {
    const request = {
      budgets: [
        { budget_id: 'b-flight', budget_type_budget: 'flight' },
        { budget_id: 'b-hotel', budget_type_budget: 'hotel' },
      ],
      all_user_expense_lineitems: [
        { itemization_id: 'i-air', expense_category_itemization: 'airfare' },
        { itemization_id: 'i-hotel', expense_category_itemization: 'lodging' },
        { itemization_id: 'i-taxi', expense_category_itemization: 'taxi' },
      ],
    };

    const { matrix } = featuresOf(request);

    const labels = Array.from({ length: 6 }, (_, r) => {
      const f = row(matrix, r);
      const budget = f.budget_type_flight ? 'flight' : f.budget_type_hotel ? 'hotel' : '?';
      const item = f.item_category_airfare
        ? 'airfare'
        : f.item_category_lodging
          ? 'lodging'
          : f.item_category_ground
            ? 'ground'
            : '?';
      return `${budget}/${item}`;
    });
    expect(labels).toEqual([
      'flight/airfare',
      'flight/lodging',
      'flight/ground',
      'hotel/airfare',
      'hotel/lodging',
      'hotel/ground',
    ]);
  });

  it('compares each item vendor with the vendors of its own budget', () => {
    const request = {
      budgets: [
        { budget_id: 'b1', travel_vendor_receipts: 'Southwest Airlines' },
        { budget_id: 'b2', travel_vendor_receipts: 'Marriott' },
      ],
      all_user_expense_lineitems: [
        { itemization_id: 'i1', vendor_name_expense: 'SOUTHWEST AIR 5262174963012' },
        { itemization_id: 'i2', vendor_name_expense: 'MARRIOTT DALLAS DWNTWN' },
        { itemization_id: 'i3', vendor_name_expense: 'Southwest Air 99' },
      ],
    };

    const { matrix } = featuresOf(request);

    const brand = Array.from({ length: 6 }, (_, r) => row(matrix, r).vendor_brand_match);
    expect(brand).toEqual([1, 0, 1, 0, 1, 0]);
  });
});

describe('pairFeatures: into a given array', () => {
  it('writes every value of the array it is given, whatever the array held (one budget or several)', () => {
    const requests = [
      loadRequest('seed-request'),
      loadRequest('direct-invoke-trip'),
      ...[...generatePairs({ seed: 4242, users: 12 })].map((u) => u.request),
    ];
    for (const request of requests) {
      const parsed = parseRequest(request);
      const budgets = okValues(parsed.budgets).map(normaliseBudget);
      const items = okValues(parsed.items).map(normaliseItem);
      const fresh = pairFeatures(budgets, items);
      for (const held of [7, Number.NaN]) {
        const given = new Float32Array(fresh.length).fill(held);
        expect(pairFeatures(budgets, items, given)).toBe(given);
        expect(given).toEqual(fresh);
      }
    }
    // One budget (items written in place) and several (rows copied from the item block) are both here.
    expect(new Set(requests.map((r) => (r as { budgets: unknown[] }).budgets.length > 1))).toEqual(
      new Set([true, false]),
    );
  });

  it('refuses an array of another length, naming both', () => {
    const budgets = okValues(parseRequest(seed).budgets).map(normaliseBudget);
    const items = okValues(parseRequest(seed).items).map(normaliseItem);
    expect(() => pairFeatures(budgets, items, new Float32Array(FEATURE_COUNT + 1))).toThrow(
      `pairFeatures: ${FEATURE_COUNT + 1} values given for 1 rows`,
    );
  });
});

describe('pairFeatures: missing values', () => {
  it('sets every missing flag, and no NaN, for bad-nulls-everywhere', () => {
    const request = loadRequest('bad-nulls-everywhere');

    const { matrix } = featuresOf(request);

    const features = row(matrix, 0);
    expect(matrix).toHaveLength(FEATURE_COUNT);
    for (const flag of MISSING_FLAGS) expect([flag, features[flag]]).toEqual([flag, 1]);
    expect(Array.from(matrix).every(Number.isFinite)).toBe(true);
  });

  it('sets the same flags for an entry with only its id', () => {
    const features = pairOf({ budget_id: '1' }, { itemization_id: '2' });

    for (const flag of MISSING_FLAGS) expect([flag, features[flag]]).toEqual([flag, 1]);
    expect(Object.values(features).every(Number.isFinite)).toBe(true);
  });

  it('sets no missing flag for a complete pair', () => {
    const features = pairOf(seedBudget, seedItem);

    for (const flag of MISSING_FLAGS) expect([flag, features[flag]]).toEqual([flag, 0]);
  });

  it('treats the wrong types of bad-wrong-types as missing', () => {
    const request = loadRequest('bad-wrong-types');

    const features = row(featuresOf(request).matrix, 0);

    expect(features).toMatchObject({
      budget_type_missing: 1,
      item_amount_missing: 1,
      budget_amount_missing: 1,
      item_vendor_missing: 1,
      transaction_date_missing: 1,
      booking_date_missing: 1,
      trip_dates_missing: 0,
      budget_vendor_missing: 0,
      item_category_missing: 0,
      item_category_ground: 1,
    });
  });

  it('reads an unknown budget type as other, which neither agrees nor conflicts', () => {
    const request = loadRequest('bad-unknown-budget-type');

    const features = row(featuresOf(request).matrix, 0);

    expect(features).toMatchObject({
      budget_type_other: 1,
      budget_type_missing: 0,
      category_agrees: 0,
      category_conflicts: 0,
    });
  });
});

describe('pairFeatures: category', () => {
  it('agrees for airfare on a flight budget', () => {
    const features = pairOf(seedBudget, AIRFARE_ITEM);

    expect(features).toMatchObject({ item_category_airfare: 1, category_agrees: 1, category_conflicts: 0 });
  });

  it('conflicts for a taxi on a flight budget', () => {
    const features = pairOf(seedBudget, seedItem);

    expect(features).toMatchObject({ item_category_ground: 1, category_agrees: 0, category_conflicts: 1 });
  });

  it.each([
    ['hotel', 'Hotel'],
    ['Car', 'Car Rental'],
    ['rail', 'Amtrak'],
  ])('agrees for a %s budget and a %s item', (type, category) => {
    const features = pairOf(
      { budget_id: '1', budget_type_budget: type },
      { itemization_id: '2', expense_category_itemization: category },
    );

    expect(features).toMatchObject({ category_agrees: 1, category_conflicts: 0 });
  });

  it('neither agrees nor conflicts when the item category is unknown', () => {
    const features = pairOf(seedBudget, {
      itemization_id: '2',
      expense_category_itemization: 'Office Supplies',
    });

    expect(features).toMatchObject({ item_category_other: 1, category_agrees: 0, category_conflicts: 0 });
  });
});

describe('pairFeatures: amount', () => {
  it('marks an item amount equal to the actual cost as within 2%', () => {
    const features = pairOf(seedBudget, AIRFARE_ITEM);

    expect(features).toMatchObject({
      amount_signed_log_ratio: 0,
      amount_within_2pct: 1,
      amount_within_15pct: 1,
      amount_within_40pct: 1,
      budget_amount_is_price: 0,
    });
  });

  it('marks an amount 10% off as within 15% but not 2%', () => {
    const features = pairOf(
      { budget_id: '1', actual_cost_budget: '100' },
      { itemization_id: '2', expensed_amount_itemization: '110' },
    );

    expect(features).toMatchObject({ amount_within_2pct: 0, amount_within_15pct: 1, amount_within_40pct: 1 });
    expect(features.amount_signed_log_ratio).toBeCloseTo(Math.log(1.1) / 3, 6);
  });

  it('compares with the budgeted price when the actual cost is missing', () => {
    const budget = { ...seedBudget, actual_cost_budget: null, budget_price_budget: '95.00' };

    const features = pairOf(budget, { itemization_id: '2', expensed_amount_itemization: '95' });

    expect(features).toMatchObject({
      budget_amount_is_price: 1,
      budget_amount_missing: 0,
      amount_within_2pct: 1,
    });
  });

  it('treats a zero or negative budget amount as missing', () => {
    const budget = { budget_id: '1', actual_cost_budget: 0, budget_price_budget: '-5' };

    const features = pairOf(budget, { itemization_id: '2', expensed_amount_itemization: '5' });

    expect(features).toMatchObject({
      budget_amount_missing: 1,
      budget_amount_is_price: 0,
      // Nothing to compare with: zero, and the flag says why.
      amount_signed_log_ratio: 0,
      amount_within_40pct: 0,
    });
  });

  it('marks a negative amount, and compares its magnitude', () => {
    const features = pairOf(seedBudget, { ...AIRFARE_ITEM, expensed_amount_itemization: '-131.98' });

    expect(features).toMatchObject({ amount_negative: 1, amount_within_2pct: 1, item_amount_missing: 0 });
  });

  it('does not mark a positive amount negative', () => {
    const features = pairOf(seedBudget, AIRFARE_ITEM);

    expect(features.amount_negative).toBe(0);
  });

  it('caps the deviation of a wildly different amount at 1', () => {
    const features = pairOf(seedBudget, { ...AIRFARE_ITEM, expensed_amount_itemization: '1000000' });

    expect(features).toMatchObject({ amount_signed_log_ratio: 1, amount_within_40pct: 0 });
  });
});

describe('pairFeatures: dates', () => {
  it('counts a charge dated the day before an evening booking as near the booking', () => {
    const budget = { budget_id: '1', generated_at_budget: '2017-04-09T01:30:00Z' };

    const features = pairOf(budget, { itemization_id: '2', transaction_date_itemization: '2017-04-08' });

    expect(features).toMatchObject({ near_booking: 1, before_booking: 0 });
  });

  it('counts a charge a week before the booking as before it', () => {
    const budget = { budget_id: '1', generated_at_budget: '2017-04-09T01:30:00Z' };

    const features = pairOf(budget, { itemization_id: '2', transaction_date_itemization: '2017-04-02' });

    expect(features).toMatchObject({ near_booking: 0, before_booking: 1, in_booking_window: 0 });
  });

  it('counts a charge a month after the trip as after it', () => {
    const features = pairOf(seedBudget, { ...AIRFARE_ITEM, transaction_date_itemization: '2017-05-19' });

    expect(features).toMatchObject({ after_trip: 1, during_trip: 0, in_booking_window: 0, near_booking: 0 });
  });

  it('counts a charge on the first day of the trip as during it', () => {
    const features = pairOf(seedBudget, { ...AIRFARE_ITEM, transaction_date_itemization: '2017-04-18' });

    expect(features).toMatchObject({ during_trip: 1, after_trip: 0, in_booking_window: 1 });
  });

  it('reads a swapped trip window as the same window', () => {
    const swapped = {
      ...seedBudget,
      start_datetime_trips: seedBudget.end_datetime_trips,
      end_datetime_trips: seedBudget.start_datetime_trips,
    };

    const [straight, reversed] = [pairOf(seedBudget, seedItem), pairOf(swapped, seedItem)];

    expect(reversed).toEqual(straight);
  });

  it('keeps the day features within [-1, 1]', () => {
    const features = pairOf(seedBudget, { ...AIRFARE_ITEM, transaction_date_itemization: '2031-01-01' });

    expect(features).toMatchObject({ days_from_booking: 1, days_from_trip_end: 1 });
  });
});

describe('feature spec', () => {
  it('indexes every feature name by its column', () => {
    const indices = FEATURE_NAMES.map((name) => FEATURE_INDEX[name]);

    expect(indices).toEqual(FEATURE_NAMES.map((_, i) => i));
    expect(FEATURE_COUNT).toBe(FEATURE_NAMES.length);
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_COUNT);
  });

  // If this fails you changed the feature spec — bump FEATURE_SPEC_VERSION in
  // lambda/features/feature-spec.ts and retrain with `npm run train`.
  it('has the pinned hash', () => {
    const hash = FEATURE_SPEC_HASH;

    expect(hash).toBe('9aefe7212678d4c66a56640218e0a8fc3a29d3e52848b5ba8a0ed36f62774c22');
  });

  // If this fails you changed the feature spec — bump FEATURE_SPEC_VERSION in
  // lambda/features/feature-spec.ts and retrain with `npm run train`.
  it('gives the seed pair (budget 309366 × taxi) its pinned vector', () => {
    const features = pairOf(seedBudget, seedItem);

    expect(rounded(features)).toEqual({
      budget_type_flight: 1,
      budget_type_hotel: 0,
      budget_type_car: 0,
      budget_type_rail: 0,
      budget_type_ground: 0,
      budget_type_event: 0,
      budget_type_other: 0,
      budget_type_missing: 0,
      item_category_airfare: 0,
      item_category_lodging: 0,
      item_category_car_rental: 0,
      item_category_rail: 0,
      item_category_ground: 1,
      item_category_meals: 0,
      item_category_travel_fees: 0,
      item_category_registration: 0,
      item_category_other: 0,
      item_category_missing: 0,
      category_agrees: 0,
      category_conflicts: 1,
      category_booking_conflict: 0,
      vendor_token_similarity: 0,
      vendor_brand_match: 0,
      vendor_trigram_similarity: 0,
      vendor_alias_match: 0,
      vendor_alias_conflict: 0,
      item_vendor_known_brand: 0,
      budget_vendor_known_brand: 0,
      item_vendor_missing: 0,
      budget_vendor_missing: 0,
      amount_signed_log_ratio: -0.568199,
      amount_within_2pct: 0,
      amount_within_15pct: 0,
      amount_within_40pct: 0,
      amount_about_half: 0,
      amount_negative: 0,
      item_amount_missing: 0,
      budget_amount_missing: 0,
      budget_amount_is_price: 0,
      days_from_booking: 0.483717,
      days_from_trip_end: 0.325586,
      near_booking: 0,
      before_booking: 0,
      during_trip: 0,
      after_trip: 0,
      long_after_trip: 0,
      long_after_booking: 0,
      in_booking_window: 1,
      posted_within_2_weeks: 0,
      transaction_date_missing: 0,
      booking_date_missing: 0,
      trip_dates_missing: 0,
      fields_not_compared: 0,
      fields_agreeing: 0.25,
      evidence: -0.58625,
      evidence_margin: -0.781667,
      amount_margin: 0,
      date_margin: 0.791667,
      vendor_margin: 0,
      category_only_budget: 0,
      amount_exact: 0,
      item_amount_size: 0.349485,
    });
  });

  // If this fails you changed the feature spec — bump FEATURE_SPEC_VERSION in
  // lambda/features/feature-spec.ts and retrain with `npm run train`.
  it('gives the airfare pair (budget 309366 × Southwest airfare) its pinned vector', () => {
    const features = pairOf(seedBudget, AIRFARE_ITEM);

    expect(rounded(features)).toEqual({
      budget_type_flight: 1,
      budget_type_hotel: 0,
      budget_type_car: 0,
      budget_type_rail: 0,
      budget_type_ground: 0,
      budget_type_event: 0,
      budget_type_other: 0,
      budget_type_missing: 0,
      item_category_airfare: 1,
      item_category_lodging: 0,
      item_category_car_rental: 0,
      item_category_rail: 0,
      item_category_ground: 0,
      item_category_meals: 0,
      item_category_travel_fees: 0,
      item_category_registration: 0,
      item_category_other: 0,
      item_category_missing: 0,
      category_agrees: 1,
      category_conflicts: 0,
      category_booking_conflict: 0,
      vendor_token_similarity: 1,
      vendor_brand_match: 1,
      vendor_trigram_similarity: 0.8,
      vendor_alias_match: 0,
      vendor_alias_conflict: 0,
      item_vendor_known_brand: 0,
      budget_vendor_known_brand: 0,
      item_vendor_missing: 0,
      budget_vendor_missing: 0,
      amount_signed_log_ratio: 0,
      amount_within_2pct: 1,
      amount_within_15pct: 1,
      amount_within_40pct: 1,
      amount_about_half: 0,
      amount_negative: 0,
      item_amount_missing: 0,
      budget_amount_missing: 0,
      budget_amount_is_price: 0,
      days_from_booking: -0.081938,
      days_from_trip_end: -0.42332,
      near_booking: 1,
      before_booking: 0,
      during_trip: 0,
      after_trip: 0,
      long_after_trip: 0,
      long_after_booking: 0,
      in_booking_window: 1,
      posted_within_2_weeks: 1,
      transaction_date_missing: 0,
      booking_date_missing: 0,
      trip_dates_missing: 0,
      fields_not_compared: 0,
      fields_agreeing: 1,
      evidence: 0.65725,
      evidence_margin: 0.876333,
      amount_margin: 1,
      date_margin: 0.977786,
      vendor_margin: 1,
      category_only_budget: 0,
      amount_exact: 1,
      item_amount_size: 0.530947,
    });
  });
});

describe('pairFeatures: properties', () => {
  const pad = (n: number, width: number) => String(Math.abs(n)).padStart(width, '0');

  /** Dates in the contract's three forms, over the whole four-digit-year range, plus junk. */
  const dateText = fc
    .record({
      date: fc.date({
        min: new Date('0000-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59Z'),
        noInvalidDate: true,
      }),
      form: fc.constantFrom('naive', 'iso', 'bare', 'offset'),
      offsetHours: fc.integer({ min: -99, max: 99 }),
    })
    .map(({ date, form, offsetHours }) => {
      const iso = date.toISOString().replace(/^\+0*/, '');
      const [day = '', time = ''] = iso.split('T');
      if (form === 'bare') return day;
      if (form === 'naive') return `${day} ${time.slice(0, 8)}`;
      if (form === 'iso') return iso;
      return `${day}T${time.slice(0, 12)}${offsetHours < 0 ? '-' : '+'}${pad(offsetHours, 2)}:00`;
    });

  const amountValue = fc.oneof(
    fc.double(),
    fc.double().map(String),
    fc.constantFrom('0', '-0', '1e-320', '5e-324', '1e308', '-1e308', ' 1,234.50 ', '.5'),
  );

  const anyValue = (specific: fc.Arbitrary<unknown>) => fc.oneof(specific, fc.jsonValue(), fc.string());

  const budgetArb = fc.record(
    {
      budget_id: fc.integer({ min: 1 }),
      budget_type_budget: anyValue(fc.constantFrom('flight', 'HOTEL', 'Car', 'rail', 'Space Elevator')),
      budget_price_budget: anyValue(amountValue),
      actual_cost_budget: anyValue(amountValue),
      travel_vendor_receipts: anyValue(fc.constantFrom('Southwest Airlines', 'Marriott', '12345')),
      purchase_vendor_receipts: anyValue(fc.string({ unit: 'grapheme' })),
      generated_at_budget: anyValue(dateText),
      start_datetime_trips: anyValue(dateText),
      end_datetime_trips: anyValue(dateText),
    },
    { requiredKeys: ['budget_id'] },
  );

  const itemArb = fc.record(
    {
      itemization_id: fc.integer({ min: 1 }),
      expensed_amount_itemization: anyValue(amountValue),
      expense_type_name_itemization: anyValue(fc.constantFrom('Airfare', 'Taxi', 'Hotel', 'Airline Fees')),
      transaction_date_itemization: anyValue(dateText),
      expense_category_itemization: anyValue(fc.constantFrom('airfare', 'lodging', 'car_rental', 'meals')),
      vendor_name_expense: anyValue(
        fc.constantFrom('SOUTHWEST AIR 5262174963012', 'UBER   *TRIP', 'MARRIOT'),
      ),
      expense_type_name_expense: fc.jsonValue(),
      expense_category_expense: fc.jsonValue(),
    },
    { requiredKeys: ['itemization_id'] },
  );

  it('writes only finite numbers, budgets × items × FEATURE_COUNT of them', () => {
    fc.assert(
      fc.property(
        fc.array(budgetArb, { maxLength: 4 }),
        fc.array(itemArb, { maxLength: 4 }),
        (budgets, items) => {
          const request = { budgets, all_user_expense_lineitems: items };

          const { matrix } = featuresOf(request);

          expect(matrix).toHaveLength(budgets.length * items.length * FEATURE_COUNT);
          const bad = Array.from(matrix).findIndex((v) => !Number.isFinite(v));
          expect(bad === -1 ? 'all finite' : `${FEATURE_NAMES[bad % FEATURE_COUNT]} is ${matrix[bad]}`).toBe(
            'all finite',
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps every feature within [-1, 1] and every flag 0 or 1', () => {
    const continuous = new Set([
      'amount_signed_log_ratio',
      'item_amount_size',
      'fields_not_compared',
      'fields_agreeing',
      'evidence',
      'evidence_margin',
      'amount_margin',
      'date_margin',
    ]);
    const flags = FEATURE_NAMES.filter(
      (n) => !n.startsWith('days_from_') && !n.startsWith('vendor_') && !continuous.has(n),
    );

    fc.assert(
      fc.property(budgetArb, itemArb, (budget, item) => {
        const features = pairOf(budget, item);

        for (const name of FEATURE_NAMES) {
          expect(Math.abs(features[name])).toBeLessThanOrEqual(1);
        }
        for (const name of flags) expect([name, [0, 1].includes(features[name])]).toEqual([name, true]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('issue 12 columns', () => {
  const flight = (id: string, cost: string) => ({ ...seedBudget, budget_id: id, actual_cost_budget: cost });
  const charge = (amount: string, extra: Record<string, unknown> = {}) => ({
    ...AIRFARE_ITEM,
    expensed_amount_itemization: amount,
    ...extra,
  });

  it("depends on its budget, its item and the request's budgets: other line items change no pair's features", () => {
    const budgets = [flight('b', '131.00'), flight('a', '131.98')];
    const alone = featuresOf({ budgets, all_user_expense_lineitems: [charge('131.98')] });
    const crowded = featuresOf({
      budgets,
      all_user_expense_lineitems: [charge('131.50', { itemization_id: '2' }), charge('131.98')],
    });

    // Budget b × the charge: row 0 alone, row 0 × 2 + 1 crowded.
    expect(row(crowded.matrix, 1)).toEqual(row(alone.matrix, 0));
    // Budget a × the charge: row 1 alone, row 1 × 2 + 1 crowded.
    expect(row(crowded.matrix, 3)).toEqual(row(alone.matrix, 1));
  });

  it('gives the budget that explains an item best the positive evidence margin, its rival the negative', () => {
    const { matrix } = featuresOf({
      budgets: [flight('b', '150.00'), flight('a', '131.98')],
      all_user_expense_lineitems: [charge('131.98')],
    });
    const other = row(matrix, 0);
    const own = row(matrix, 1);

    expect(own.evidence).toBeGreaterThan(other.evidence);
    expect(own.evidence_margin).toBeGreaterThan(0);
    expect(other.evidence_margin).toBeLessThan(0);
    expect(own.evidence_margin).toBeCloseTo(-other.evidence_margin, 6);
  });

  it('gives budgets that explain an item equally well a margin of zero', () => {
    const { matrix } = featuresOf({
      budgets: [flight('b', '131.98'), flight('a', '131.98')],
      all_user_expense_lineitems: [charge('131.98')],
    });

    expect([row(matrix, 0).evidence_margin, row(matrix, 1).evidence_margin]).toEqual([0, 0]);
  });

  it('changes only the margins of the other pairs when the request has one more budget', () => {
    for (const user of generatePairs({ seed: 20261204, users: 12 })) {
      const request = user.request;
      if (request.budgets.length < 2) continue;
      const fewer = featuresOf({ ...request, budgets: request.budgets.slice(1) });
      const all = featuresOf(request);
      const width = all.items * FEATURE_COUNT;

      for (let r = 0; r < fewer.budgets * fewer.items; r++) {
        const before = row(fewer.matrix, r);
        const after = row(all.matrix.subarray(width), r);
        const margins = { evidence_margin: 0, amount_margin: 0, date_margin: 0, vendor_margin: 0 };
        expect({ ...after, ...margins }).toEqual({ ...before, ...margins });
      }
    }
  });

  it('gives every pair the features of the whole request when a client splits it by line items', () => {
    // Limits small enough that the clients split these users' requests by line items, each call
    // with all the budgets (they split budgets only when the budgets alone are over half a limit).
    const limits = { maxRequestBytes: 1_000_000, maxEntries: 240, maxReplyBytes: 1_000_000 };
    let split = 0;
    for (const user of generatePairs({ seed: 20261205, users: 30 })) {
      const whole = featuresOf(user.request);
      const plan = planChunks(user.request, limits);
      if (plan.kind === 'whole') continue;
      expect(plan.budgetGroups).toHaveLength(1);
      split++;
      const parts: Float32Array[] = plan.chunks.map((chunk) => featuresOf(JSON.parse(chunk.body)).matrix);
      // Reassembled budget by budget, each chunk's items in order: the whole request's matrix.
      const merged = new Float32Array(whole.matrix.length);
      let offset = 0;
      for (let b = 0; b < whole.budgets; b++) {
        plan.chunks.forEach((chunk, n) => {
          const items = featuresOf(JSON.parse(chunk.body)).items;
          const part = (parts[n] as Float32Array).subarray(
            b * items * FEATURE_COUNT,
            (b + 1) * items * FEATURE_COUNT,
          );
          merged.set(part, offset);
          offset += part.length;
        });
      }

      expect(Buffer.from(merged.buffer).equals(Buffer.from(whole.matrix.buffer))).toBe(true);
    }
    expect(split).toBeGreaterThan(10);
  });

  it('shares agreement among the fields both sides have: a missing amount leaves three of three', () => {
    const features = pairOf(seedBudget, charge('', {}));

    expect(features.item_amount_missing).toBe(1);
    expect(features.fields_not_compared).toBe(0.25);
    expect(features.fields_agreeing).toBe(1);
  });

  it('tells a charge filed under meals from one filed under another booking', () => {
    const meals = pairOf(
      seedBudget,
      charge('131.98', { expense_type_name_itemization: 'Meals', expense_category_itemization: 'meals' }),
    );
    const hotel = pairOf(
      seedBudget,
      charge('131.98', { expense_type_name_itemization: 'Hotel', expense_category_itemization: 'lodging' }),
    );

    expect([meals.category_conflicts, meals.category_booking_conflict]).toEqual([1, 0]);
    expect([hotel.category_conflicts, hotel.category_booking_conflict]).toEqual([0, 1]);
  });

  it('marks a part of about half the cost (a split charge, 0.42–0.6 of it) and the direction of a drift', () => {
    const half = pairOf(seedBudget, charge('66.00'));
    const more = pairOf(seedBudget, charge('150.00'));
    // Cost 131.98 × 0.42 = 55.43 (price 140 × 0.42 = 58.80); price 140 × 0.6 = 84 (cost × 0.6 = 79.19).
    const parts = ['55.00', '56.00', '83.00', '85.00'].map(
      (a) => pairOf(seedBudget, charge(a)).amount_about_half,
    );

    expect(half.amount_about_half).toBe(1);
    expect(more.amount_about_half).toBe(0);
    expect(parts).toEqual([0, 1, 1, 0]);
    expect(half.amount_signed_log_ratio).toBeLessThan(0);
    expect(more.amount_signed_log_ratio).toBeGreaterThan(0);
  });
});

describe('pair-features/5 columns', () => {
  const flight = (id: string, extra: Record<string, unknown> = {}) => ({
    ...seedBudget,
    budget_id: id,
    ...extra,
  });
  const charge = (extra: Record<string, unknown> = {}) => ({ ...AIRFARE_ITEM, ...extra });
  const pairs = (budgets: Record<string, unknown>[], item: Record<string, unknown>) => {
    const { matrix } = featuresOf({ budgets, all_user_expense_lineitems: [item] });
    return budgets.map((_, b) => row(matrix, b));
  };

  it("gives the budget whose amount is nearer the charge's the positive amount margin, its rival the negative", () => {
    const [own, other] = pairs([flight('a'), flight('b', { actual_cost_budget: '160.00' })], charge());

    expect(own?.amount_margin).toBeGreaterThan(0);
    expect(other?.amount_margin).toBeLessThan(0);
    expect(own?.amount_margin).toBeCloseTo(-(other?.amount_margin ?? 0), 6);
  });

  it("gives the budget booked nearer the charge's date the positive date margin", () => {
    const [own, other] = pairs(
      [flight('a'), flight('b', { generated_at_budget: '2017-03-28 10:00:00' })],
      charge(),
    );

    expect(own?.date_margin).toBeGreaterThan(0);
    expect(other?.date_margin).toBeLessThan(0);
  });

  it('gives the budget whose vendor the charge names the positive vendor margin', () => {
    const [own, other] = pairs(
      [
        flight('a'),
        flight('b', { travel_vendor_receipts: 'Lufthansa', purchase_vendor_receipts: 'Lufthansa' }),
      ],
      charge(),
    );

    expect(own?.vendor_margin).toBeGreaterThan(0);
    expect(other?.vendor_margin).toBeLessThan(0);
  });

  it('gives a lone budget its own closeness as the margins, and a missing field a margin of 0', () => {
    const whole = pairOf(seedBudget, AIRFARE_ITEM);
    const bare = pairOf(seedBudget, { itemization_id: '1', expense_category_itemization: 'airfare' });

    expect([whole.amount_margin, whole.vendor_margin]).toEqual([1, 1]);
    expect(whole.date_margin).toBeGreaterThan(0.9);
    expect([bare.amount_margin, bare.date_margin, bare.vendor_margin]).toEqual([0, 0, 0]);
  });

  it('gives a split part at least half the amount closeness', () => {
    const part = pairOf(seedBudget, charge({ expensed_amount_itemization: '66.00' }));

    expect(part.amount_margin).toBe(0.5);
  });

  it('marks a budget that names only a category', () => {
    const only = pairOf({ budget_id: 'b', budget_type_budget: 'flight' }, AIRFARE_ITEM);
    const idOnly = pairOf({ budget_id: 'b' }, AIRFARE_ITEM);
    const withCost = pairOf(
      { budget_id: 'b', budget_type_budget: 'flight', actual_cost_budget: '10' },
      AIRFARE_ITEM,
    );

    expect([only.category_only_budget, idOnly.category_only_budget, withCost.category_only_budget]).toEqual([
      1, 0, 0,
    ]);
  });
});

describe('pair-features/6 columns', () => {
  const flight = (extra: Record<string, unknown> = {}) => ({ ...seedBudget, budget_id: 'a', ...extra });
  const charge = (extra: Record<string, unknown> = {}) => ({ ...AIRFARE_ITEM, ...extra });

  it('marks an amount equal to the cost to the cent exact, whatever form it came in, and a cent off not', () => {
    const same = pairOf(flight(), charge());
    const asNumber = pairOf(
      flight({ actual_cost_budget: 131.98 }),
      charge({ expensed_amount_itemization: 131.98 }),
    );
    const centOff = pairOf(flight(), charge({ expensed_amount_itemization: '131.97' }));

    expect(same.amount_exact).toBe(1);
    expect(asNumber.amount_exact).toBe(1);
    expect(centOff.amount_exact).toBe(0);
    expect(centOff.amount_within_2pct).toBe(1);
  });

  it('marks an amount equal to the price exact when the cost differs, and none when an amount is missing', () => {
    const atPrice = pairOf(flight(), charge({ expensed_amount_itemization: '140' }));
    const noCost = pairOf(flight({ actual_cost_budget: null, budget_price_budget: null }), charge());
    const noAmount = pairOf(flight(), charge({ expensed_amount_itemization: null }));

    expect(atPrice.amount_exact).toBe(1);
    expect(noCost.amount_exact).toBe(0);
    expect(noAmount.amount_exact).toBe(0);
  });

  it("gives the item's amount its size on a log scale, the same against every budget, 0 when missing", () => {
    const small = pairOf(flight(), charge({ expensed_amount_itemization: '9' }));
    const airfare = pairOf(flight(), charge({ expensed_amount_itemization: '999' }));
    const refund = pairOf(flight(), charge({ expensed_amount_itemization: '-999' }));
    const huge = pairOf(flight(), charge({ expensed_amount_itemization: '250000' }));
    const otherBudget = pairOf(
      flight({ actual_cost_budget: '5' }),
      charge({ expensed_amount_itemization: '999' }),
    );
    const missing = pairOf(flight(), charge({ expensed_amount_itemization: null }));

    expect(small.item_amount_size).toBeCloseTo(0.25, 6);
    expect(airfare.item_amount_size).toBeCloseTo(0.75, 6);
    expect(refund.item_amount_size).toBeCloseTo(0.75, 6);
    expect(huge.item_amount_size).toBe(1);
    expect(otherBudget.item_amount_size).toBe(airfare.item_amount_size);
    expect(missing.item_amount_size).toBe(0);
  });
});
