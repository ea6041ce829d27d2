import { pairErrors } from '../../../lambda/monitoring';
import {
  insertQualityFixture,
  monitoringTargets,
  type TestDatabase,
} from '../../helpers/monitoring-database';

/** The request b1's day-1 rows came from, as a client sent it (ids as numbers and strings). */
const REQUEST = {
  budgets: [
    { budget_id: 'b0', budget_type_budget: 'hotel' },
    {
      budget_id: 'b1',
      budget_type_budget: 'flight',
      budget_price_budget: '140.0',
      actual_cost_budget: 131.98,
      travel_vendor_receipts: 'Southwest Airlines',
      purchase_vendor_receipts: null,
      generated_at_budget: '2017-04-08 14:55:39',
      start_datetime_trips: '2017-04-18 04:00:00',
      end_datetime_trips: '2017-04-19 04:00:00',
    },
  ],
  all_user_expense_lineitems: [
    {
      itemization_id: 'i3',
      expensed_amount_itemization: '131.98',
      vendor_name_expense: 'SOUTHWEST AIR 5262174963012',
    },
    {
      itemization_id: 'i2',
      expensed_amount_itemization: '24.0',
      expense_type_name_itemization: 'Taxi',
      transaction_date_itemization: '2017-04-25 00:00:00',
      expense_category_itemization: 'taxi',
      vendor_name_expense: 'taxi',
      expense_type_name_expense: 'Taxi',
      expense_category_expense: 'taxi',
    },
  ],
};

describe.each(monitoringTargets())('pair_errors on %s', (_name, open) => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await open('pair_errors');
    await insertQualityFixture(target.db, '2025-03-01', '2025-03-02');
    // Capture the request of v1's b1/i2 row (the false positive), as `npm run captures -- load` does.
    const { rows } = await target.db.query<{ request_id: string }>(
      `SELECT request_id FROM results WHERE budget_id = 'b1' AND itemization_id = 'i2' AND model_version = 'v1'`,
    );
    await target.db.query('INSERT INTO captures (request_id, captured_at, request) VALUES ($1, $2, $3)', [
      rows[0]?.request_id,
      '2025-03-01T12:00:00Z',
      JSON.stringify(REQUEST),
    ]);
  });
  afterAll(() => target.dispose());

  it('lists each version’s false positives then false negatives, most confident first, with the captured fields', async () => {
    const errors = await pairErrors(target.db);

    expect(
      errors.map((e) => [e.modelVersion, e.outcome, `${e.budgetId}/${e.itemizationId}`, e.day, e.captured]),
    ).toEqual([
      // v1: b1/i2 0.7 at 0.5 (margin 0.2), b2/i2 0.3 at 0.25 (0.05); misses b1/i7 0.24 (0.26),
      // b1/i3 0.3 (0.2). b2/i1's 0.2 on day 1 is superseded by its 0.9 on day 2: not an error.
      ['v1', 'fp', 'b1/i2', '2025-03-01', true],
      ['v1', 'fp', 'b2/i2', '2025-03-02', false],
      ['v1', 'fn', 'b1/i7', '2025-03-01', false],
      ['v1', 'fn', 'b1/i3', '2025-03-01', false],
      // v2 (shadow) missed b1/i1 with 0.4.
      ['v2', 'fn', 'b1/i1', '2025-03-01', false],
    ]);
    expect(errors[0]).toMatchObject({
      role: 'live',
      score: 0.7,
      threshold: 0.5,
      margin: expect.closeTo(0.2, 12),
      labelSource: 'test',
      budget: {
        type: 'flight',
        price: '140.0',
        actualCost: '131.98',
        travelVendor: 'Southwest Airlines',
        purchaseVendor: null,
        generatedAt: '2017-04-08 14:55:39',
        tripStart: '2017-04-18 04:00:00',
        tripEnd: '2017-04-19 04:00:00',
      },
      item: {
        amount: '24.0',
        date: '2017-04-25 00:00:00',
        vendor: 'taxi',
        type: 'Taxi',
        category: 'taxi',
        expenseType: 'Taxi',
        expenseCategory: 'taxi',
      },
    });
    expect(errors[0]?.requestId).toMatch(/^test-request-/);
    expect(errors[1]?.budget).toMatchObject({ type: null, travelVendor: null });
  });

  it('bounds the days, the version, the kind and the count', async () => {
    const day2 = await pairErrors(target.db, { from: '2025-03-02', to: '2025-03-02' });
    const missed = await pairErrors(target.db, { modelVersion: 'v1', outcome: 'fn', limit: 1 });

    expect(day2.map((e) => `${e.budgetId}/${e.itemizationId}`)).toEqual(['b2/i2']);
    expect(missed.map((e) => `${e.budgetId}/${e.itemizationId}`)).toEqual(['b1/i7']);
    await expect(pairErrors(target.db, { limit: 0 })).rejects.toThrow('limit: 0');
  });

  it('can be read from SQL alone, the budget and the item side by side', async () => {
    const { rows } = await target.db.query(
      `SELECT outcome, score, budget_type, travel_vendor, actual_cost, item_vendor, item_amount
       FROM pair_errors WHERE captured ORDER BY margin DESC`,
    );

    expect(rows).toEqual([
      {
        outcome: 'fp',
        score: 0.7,
        budget_type: 'flight',
        travel_vendor: 'Southwest Airlines',
        actual_cost: '131.98',
        item_vendor: 'taxi',
        item_amount: '24.0',
      },
    ]);
  });
});
