import fc from 'fast-check';
import {
  DEFAULT_LIMITS,
  type Parsed,
  type ParsedRequest,
  parseRequest,
  parseRequestBody,
  type RequestLimits,
} from '../../../lambda/contract';
import { statusOf } from '../../../lambda/edge';
import { InvalidRequestError, MatcherError, RequestTooLargeError } from '../../../lambda/errors';
import { loadEvent, loadRequest } from '../../helpers/events';

/** Runs `act` and returns what it threw, so a test can assert on the error's fields. */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but it returned');
}

const okValues = <T>(entries: readonly Parsed<T>[]): T[] => entries.flatMap((e) => (e.ok ? [e.value] : []));

const BUDGET_FIELDS = [
  'budget_type_budget',
  'budget_price_budget',
  'actual_cost_budget',
  'travel_vendor_receipts',
  'purchase_vendor_receipts',
  'generated_at_budget',
  'start_datetime_trips',
  'end_datetime_trips',
] as const;

const ITEM_FIELDS = [
  'expensed_amount_itemization',
  'expense_type_name_itemization',
  'transaction_date_itemization',
  'expense_category_itemization',
  'vendor_name_expense',
  'expense_type_name_expense',
  'expense_category_expense',
] as const;

describe('parseRequestBody', () => {
  it('parses the seed request body', () => {
    const body = JSON.stringify(loadRequest('seed-request'));

    const parsed = parseRequestBody(body);

    expect(parsed.budgets).toEqual([
      {
        ok: true,
        index: 0,
        value: {
          budget_id: '309366',
          budget_type_budget: 'flight',
          budget_price_budget: 140,
          actual_cost_budget: 131.98,
          travel_vendor_receipts: 'Southwest Airlines',
          purchase_vendor_receipts: 'Southwest Airlines',
          generated_at_budget: Date.parse('2017-04-08T14:55:39Z'),
          start_datetime_trips: Date.parse('2017-04-18T04:00:00Z'),
          end_datetime_trips: Date.parse('2017-04-19T04:00:00Z'),
        },
      },
    ]);
    expect(parsed.items).toEqual([
      {
        ok: true,
        index: 0,
        value: {
          itemization_id: '4659496',
          expensed_amount_itemization: 24,
          expense_type_name_itemization: 'Taxi',
          transaction_date_itemization: Date.parse('2017-04-25T00:00:00Z'),
          expense_category_itemization: 'taxi',
          vendor_name_expense: 'taxi',
          expense_type_name_expense: 'Taxi',
          expense_category_expense: 'taxi',
        },
      },
    ]);
  });

  it('parses the body of the API Gateway seed event the same as the direct invoke payload', () => {
    const { body } = loadEvent<{ body: string }>('api-gateway-seed');

    const parsed = parseRequestBody(body);

    expect(parsed).toEqual(parseRequest(loadRequest('seed-request')));
  });

  it('fails a body that is not JSON with invalid_json on field body', () => {
    const { body } = loadEvent<{ body: string }>('bad-body-not-json');

    const error = thrownBy(() => parseRequestBody(body));

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ code: 'invalid_json', field: 'body' });
    expect(statusOf(error)).toBe(400);
    expect(error).toHaveProperty('message', expect.stringContaining('not valid JSON'));
  });

  it.each([
    ['an empty body', ''],
    ['plain text', 'hello'],
    ['a truncated object', '{"budgets": ['],
  ])('fails %s with invalid_json', (_label, body) => {
    const error = thrownBy(() => parseRequestBody(body));

    expect(error).toMatchObject({ code: 'invalid_json', field: 'body' });
    expect(statusOf(error)).toBe(400);
  });

  it('fails a body over maxBodyBytes with payload_too_large (413) before reading it', () => {
    const body = JSON.stringify(loadRequest('seed-request'));
    const limits: RequestLimits = { ...DEFAULT_LIMITS, maxBodyBytes: body.length - 1 };

    const error = thrownBy(() => parseRequestBody(body, limits));

    expect(error).toBeInstanceOf(RequestTooLargeError);
    expect(error).toMatchObject({ code: 'payload_too_large', field: 'body' });
    expect(statusOf(error)).toBe(413);
    expect(error).toHaveProperty('message', expect.stringContaining(`the limit is ${limits.maxBodyBytes}`));
  });

  it('fails an oversized body with payload_too_large even when it is not JSON', () => {
    const limits: RequestLimits = { ...DEFAULT_LIMITS, maxBodyBytes: 10 };

    const error = thrownBy(() => parseRequestBody('x'.repeat(11), limits));

    expect(error).toMatchObject({ code: 'payload_too_large' });
    expect(statusOf(error)).toBe(413);
  });

  it('counts UTF-8 bytes, not characters, against maxBodyBytes', () => {
    const request = loadRequest('seed-request');
    request.budgets[0] = { ...request.budgets[0], travel_vendor_receipts: 'Hôtel Lumière Paris'.repeat(20) };
    const body = JSON.stringify(request);
    const limits: RequestLimits = { ...DEFAULT_LIMITS, maxBodyBytes: body.length };

    const error = thrownBy(() => parseRequestBody(body, limits));

    expect(Buffer.byteLength(body, 'utf8')).toBeGreaterThan(body.length);
    expect(error).toMatchObject({ code: 'payload_too_large' });
    expect(statusOf(error)).toBe(413);
  });

  it('accepts a body of exactly maxBodyBytes', () => {
    const body = JSON.stringify(loadRequest('seed-request'));
    const limits: RequestLimits = { ...DEFAULT_LIMITS, maxBodyBytes: Buffer.byteLength(body, 'utf8') };

    const parsed = parseRequestBody(body, limits);

    expect(parsed.budgets).toHaveLength(1);
  });

  it('never throws anything but a request error, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.json(), (body) => {
        try {
          parseRequestBody(body);
        } catch (error) {
          expect(error).toBeInstanceOf(MatcherError);
          expect(statusOf(error)).toBe(400);
        }
      }),
    );
  });
});

describe('parseRequest: whole-request failures', () => {
  it.each([
    ['a list', []],
    ['a string', 'budgets'],
    ['null', null],
    ['a number', 42],
    ['a boolean', true],
  ])('fails %s with invalid_request', (label, input) => {
    const error = thrownBy(() => parseRequest(input));

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ code: 'invalid_request', field: 'body' });
    expect(statusOf(error)).toBe(400);
    expect(error).toHaveProperty('message', expect.stringContaining(`not ${label}`));
  });

  it('fails an absent request with invalid_request', () => {
    const error = thrownBy(() => parseRequest(undefined));

    expect(error).toMatchObject({ code: 'invalid_request', field: 'body' });
    expect(statusOf(error)).toBe(400);
  });

  it('fails a request with neither list with not_a_matcher_request', () => {
    const input = loadEvent('bad-neither-list');

    const error = thrownBy(() => parseRequest(input));

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ code: 'not_a_matcher_request', field: 'budgets' });
    expect(statusOf(error)).toBe(400);
  });

  it('treats null lists like absent ones', () => {
    const input = { budgets: null, all_user_expense_lineitems: null };

    const error = thrownBy(() => parseRequest(input));

    expect(error).toMatchObject({ code: 'not_a_matcher_request' });
  });

  it.each([
    ['budgets', 'all_user_expense_lineitems'],
    ['all_user_expense_lineitems', 'budgets'],
  ] as const)('fails a request without %s with missing_field naming it', (missing, present) => {
    const input: Record<string, unknown> = { ...loadRequest('seed-request') };
    delete input[missing];

    const error = thrownBy(() => parseRequest(input));

    expect(input[present]).toBeDefined();
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ code: 'missing_field', field: missing });
    expect(statusOf(error)).toBe(400);
    expect(error).toHaveProperty('message', expect.stringContaining(missing));
  });

  it('names the missing list even when the other one is not a list', () => {
    const input = { budgets: 'not a list' };

    const error = thrownBy(() => parseRequest(input));

    expect(error).toMatchObject({ code: 'missing_field', field: 'all_user_expense_lineitems' });
  });

  it.each([
    ['budgets', { id: 1 }, 'an object'],
    ['budgets', 'b1', 'a string'],
    ['all_user_expense_lineitems', 7, 'a number'],
    ['all_user_expense_lineitems', true, 'a boolean'],
  ] as const)('fails %s given as %j with not_a_list naming it', (list, value, described) => {
    const input: Record<string, unknown> = { ...loadRequest('seed-request'), [list]: value };

    const error = thrownBy(() => parseRequest(input));

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ code: 'not_a_list', field: list });
    expect(statusOf(error)).toBe(400);
    expect(error).toHaveProperty('message', expect.stringContaining(`not ${described}`));
  });

  it('fails budgets × items over maxPairs with too_many_pairs (413)', () => {
    const input = {
      budgets: [{ budget_id: 1 }, { budget_id: 2 }, { budget_id: 3 }],
      all_user_expense_lineitems: [{ itemization_id: 1 }, { itemization_id: 2 }],
    };
    const limits: RequestLimits = { ...DEFAULT_LIMITS, maxPairs: 5 };

    const error = thrownBy(() => parseRequest(input, limits));

    expect(error).toBeInstanceOf(RequestTooLargeError);
    expect(error).toMatchObject({ code: 'too_many_pairs', field: 'budgets' });
    expect(statusOf(error)).toBe(413);
    expect(error).toHaveProperty('message', expect.stringContaining('6 pairs'));
  });

  it('counts budgets × items against maxPairs: exactly maxPairs fits, one pair more does not', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ itemization_id: i }));
    const budgets = (n: number) => Array.from({ length: n }, (_, i) => ({ budget_id: i }));
    const limits: RequestLimits = { ...DEFAULT_LIMITS, maxPairs: 12 };

    const atLimit = parseRequest({ budgets: budgets(2), all_user_expense_lineitems: items(6) }, limits);
    const noBudgets = parseRequest({ budgets: [], all_user_expense_lineitems: items(12) }, limits);

    expect(atLimit.items).toHaveLength(6);
    expect(noBudgets.items).toHaveLength(12);
    expect(() =>
      parseRequest({ budgets: budgets(13), all_user_expense_lineitems: items(1) }, limits),
    ).toThrow(expect.objectContaining({ code: 'too_many_pairs' }));
  });

  it('bounds the lists together by maxPairs too, since each entry could be an error entry', () => {
    const limits: RequestLimits = { ...DEFAULT_LIMITS, maxPairs: 12 };
    const items = Array.from({ length: 13 }, (_, i) => ({ itemization_id: i }));

    const error = thrownBy(() => parseRequest({ budgets: [], all_user_expense_lineitems: items }, limits));

    expect(error).toMatchObject({ code: 'too_many_pairs', field: 'all_user_expense_lineitems' });
    expect(statusOf(error)).toBe(413);
  });

  it('takes 50 budgets × 1,000 items (50,000 pairs) under the default limits', () => {
    const input = {
      budgets: Array.from({ length: 50 }, (_, i) => ({ budget_id: i })),
      all_user_expense_lineitems: Array.from({ length: 1000 }, (_, i) => ({ itemization_id: i })),
    };

    const parsed = parseRequest(input);

    expect(parsed.budgets).toHaveLength(50);
    expect(parsed.items).toHaveLength(1000);
  });

  it('accepts empty lists', () => {
    const input = { budgets: [], all_user_expense_lineitems: [] };

    const parsed = parseRequest(input);

    expect(parsed).toEqual({ budgets: [], items: [] });
  });

  it('ignores unknown top-level fields', () => {
    const input = { ...loadRequest('seed-request'), user_id: 'u-1', version: 2 };

    const parsed = parseRequest(input);

    expect(parsed).toEqual(parseRequest(loadRequest('seed-request')));
  });
});

describe('parseRequest: per-entry failures', () => {
  it('reports each budget and item without a usable id as its own entry, and parses the good ones', () => {
    const input = loadRequest('bad-missing-ids');

    const parsed = parseRequest(input);

    expect(parsed.budgets.map((b) => b.ok)).toEqual([true, false, false]);
    expect(parsed.budgets[0]).toMatchObject({ ok: true, index: 0, value: { budget_id: '309366' } });
    expect(parsed.budgets[1]).toEqual({
      ok: false,
      index: 1,
      error: { code: 'missing_id', message: 'budget_id is missing', field: 'budgets[1].budget_id' },
    });
    expect(parsed.budgets[2]).toMatchObject({
      ok: false,
      index: 2,
      error: { code: 'invalid_id', field: 'budgets[2].budget_id' },
    });
    expect(parsed.items.map((i) => i.ok)).toEqual([true, false, false, false]);
    expect(parsed.items[0]).toMatchObject({ ok: true, index: 0, value: { itemization_id: '4659496' } });
    expect(parsed.items[1]).toMatchObject({
      ok: false,
      index: 1,
      error: { code: 'missing_id', field: 'all_user_expense_lineitems[1].itemization_id' },
    });
    expect(parsed.items[2]).toMatchObject({
      ok: false,
      index: 2,
      error: { code: 'invalid_id', field: 'all_user_expense_lineitems[2].itemization_id' },
    });
    expect(parsed.items[3]).toMatchObject({
      ok: false,
      index: 3,
      error: { code: 'invalid_entry', field: 'all_user_expense_lineitems[3]' },
    });
  });

  it('says what was wrong with an invalid id, and what it got', () => {
    const input = {
      budgets: [{ budget_id: '' }, { budget_id: { id: 1 } }, { budget_id: true }],
      all_user_expense_lineitems: [],
    };

    const parsed = parseRequest(input);

    const messages = parsed.budgets.map((b) => (b.ok ? undefined : b.error.message));
    expect(messages).toEqual([
      'budget_id must not be empty (got an empty string)',
      'budget_id must be a string or a number (got an object)',
      'budget_id must be a string or a number (got a boolean)',
    ]);
  });

  it.each([
    ['a string', 'a budget'],
    ['a number', 309366],
    ['null', null],
    ['a list', [{ budget_id: '1' }]],
    ['a boolean', false],
  ])('reports a budget that is %s as invalid_entry', (described, entry) => {
    const input = { budgets: [{ budget_id: '1' }, entry], all_user_expense_lineitems: [] };

    const parsed = parseRequest(input);

    expect(parsed.budgets[0]).toMatchObject({ ok: true });
    expect(parsed.budgets[1]).toEqual({
      ok: false,
      index: 1,
      error: {
        code: 'invalid_entry',
        message: `each budget must be an object, not ${described}`,
        field: 'budgets[1]',
      },
    });
  });

  it('reads numeric ids as strings', () => {
    const input = loadRequest('bad-strings-for-numbers');

    const parsed = parseRequest(input);

    expect(okValues(parsed.budgets).map((b) => b.budget_id)).toEqual(['309366']);
    expect(okValues(parsed.items).map((i) => i.itemization_id)).toEqual(['4659496']);
  });

  it('parses every field of bad-nulls-everywhere as undefined without failing the entries', () => {
    const input = loadRequest('bad-nulls-everywhere');

    const parsed = parseRequest(input);

    const [budget] = okValues(parsed.budgets);
    const [item] = okValues(parsed.items);
    expect(budget).toEqual({
      budget_id: '309366',
      ...Object.fromEntries(BUDGET_FIELDS.map((f) => [f, undefined])),
    });
    expect(item).toEqual({
      itemization_id: '4659496',
      ...Object.fromEntries(ITEM_FIELDS.map((f) => [f, undefined])),
    });
  });

  it('parses missing fields as undefined without failing the entries', () => {
    const input = { budgets: [{ budget_id: '1' }], all_user_expense_lineitems: [{ itemization_id: '2' }] };

    const parsed = parseRequest(input);

    expect(parsed.budgets[0]).toMatchObject({ ok: true });
    expect(parsed.items[0]).toMatchObject({ ok: true });
    const [budget] = okValues(parsed.budgets);
    const [item] = okValues(parsed.items);
    for (const field of BUDGET_FIELDS) expect(budget?.[field]).toBeUndefined();
    for (const field of ITEM_FIELDS) expect(item?.[field]).toBeUndefined();
  });

  it('parses the wrong types of bad-wrong-types as undefined and keeps the good fields', () => {
    const input = loadRequest('bad-wrong-types');

    const parsed = parseRequest(input);

    const [budget] = okValues(parsed.budgets);
    const [item] = okValues(parsed.items);
    expect(budget).toEqual({
      budget_id: '309366',
      budget_type_budget: undefined,
      budget_price_budget: undefined,
      actual_cost_budget: undefined,
      travel_vendor_receipts: '42',
      purchase_vendor_receipts: 'Southwest Airlines',
      generated_at_budget: undefined,
      start_datetime_trips: Date.parse('2017-04-18T04:00:00Z'),
      end_datetime_trips: Date.parse('2017-04-19T04:00:00Z'),
    });
    expect(item).toEqual({
      itemization_id: '4659496',
      expensed_amount_itemization: undefined,
      expense_type_name_itemization: 'Taxi',
      transaction_date_itemization: undefined,
      expense_category_itemization: undefined,
      vendor_name_expense: undefined,
      expense_type_name_expense: 'Taxi',
      expense_category_expense: 'taxi',
    });
  });

  it('parses the unparseable strings of bad-strings-for-numbers as undefined and the rest as values', () => {
    const input = loadRequest('bad-strings-for-numbers');

    const parsed = parseRequest(input);

    const [budget] = okValues(parsed.budgets);
    const [item] = okValues(parsed.items);
    expect(budget).toMatchObject({ budget_price_budget: 1140, budget_type_budget: 'flight' });
    expect(budget?.actual_cost_budget).toBeUndefined();
    expect(budget?.generated_at_budget).toBeUndefined();
    expect(item?.expensed_amount_itemization).toBeUndefined();
    expect(item?.transaction_date_itemization).toBeUndefined();
    expect(item?.expense_category_itemization).toBe('taxi');
  });

  it('keeps an unknown budget type as text (the features map it to other)', () => {
    const input = loadRequest('bad-unknown-budget-type');

    const parsed = parseRequest(input);

    expect(parsed.budgets[0]).toMatchObject({ ok: true, value: { budget_type_budget: 'Space Elevator' } });
  });

  it('parses every budget and item of direct-invoke-trip', () => {
    const input = loadRequest('direct-invoke-trip');

    const parsed = parseRequest(input);

    expect(parsed.budgets.every((b) => b.ok)).toBe(true);
    expect(parsed.items.every((i) => i.ok)).toBe(true);
    expect(okValues(parsed.budgets).map((b) => b.budget_id)).toEqual(['309366', '309367', '309368']);
    expect(okValues(parsed.budgets)[2]?.actual_cost_budget).toBeUndefined();
    expect(okValues(parsed.items)[2]?.transaction_date_itemization).toBe(Date.parse('2017-04-19T05:00:00Z'));
  });

  it('does not change the request it is given', () => {
    const input = loadRequest('direct-invoke-trip');

    parseRequest(input);

    expect(input).toEqual(loadRequest('direct-invoke-trip'));
  });
});

describe('parseRequest: properties', () => {
  const seed = loadRequest('seed-request');
  const seedBudget = seed.budgets[0] ?? {};
  const seedItem = seed.all_user_expense_lineitems[0] ?? {};

  /** A budget or item: an arbitrary value, or the seed entry with one field replaced by one. */
  const entry = (base: Record<string, unknown>, fields: readonly string[]) =>
    fc.oneof(
      fc.anything(),
      fc.record({ field: fc.constantFrom(...fields), value: fc.anything() }).map(({ field, value }) => ({
        ...base,
        [field]: value,
      })),
    );

  const indices = (entries: readonly Parsed<unknown>[]) => entries.map((e) => e.index);
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('never throws, and returns one entry per element in order, whatever the elements are', () => {
    fc.assert(
      fc.property(
        fc.array(entry(seedBudget, ['budget_id', ...BUDGET_FIELDS]), { maxLength: 6 }),
        fc.array(entry(seedItem, ['itemization_id', ...ITEM_FIELDS]), { maxLength: 6 }),
        (budgets, items) => {
          let parsed: ParsedRequest | undefined;

          expect(() => {
            parsed = parseRequest({ budgets, all_user_expense_lineitems: items });
          }).not.toThrow();

          expect(indices(parsed?.budgets ?? [])).toEqual(range(budgets.length));
          expect(indices(parsed?.items ?? [])).toEqual(range(items.length));
        },
      ),
    );
  });

  it('never fails an entry for the value of a field other than its id', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BUDGET_FIELDS),
        fc.constantFrom(...ITEM_FIELDS),
        fc.anything(),
        fc.anything(),
        (budgetField, itemField, budgetValue, itemValue) => {
          const input = {
            budgets: [{ ...seedBudget, [budgetField]: budgetValue }],
            all_user_expense_lineitems: [{ ...seedItem, [itemField]: itemValue }],
          };

          const parsed = parseRequest(input);

          expect(parsed.budgets[0]).toMatchObject({ ok: true, value: { budget_id: '309366' } });
          expect(parsed.items[0]).toMatchObject({ ok: true, value: { itemization_id: '4659496' } });
        },
      ),
    );
  });

  it('never fails an entry whose fields are all missing, null or of arbitrary JSON types', () => {
    const fields = (names: readonly string[]) =>
      fc.record(Object.fromEntries(names.map((n) => [n, fc.jsonValue()])), { requiredKeys: [] });

    fc.assert(
      fc.property(fields(BUDGET_FIELDS), fields(ITEM_FIELDS), (budget, item) => {
        const input = {
          budgets: [{ ...budget, budget_id: 'b' }],
          all_user_expense_lineitems: [{ ...item, itemization_id: 7 }],
        };

        const parsed = parseRequest(input);

        expect(parsed.budgets[0]).toMatchObject({ ok: true, value: { budget_id: 'b' } });
        expect(parsed.items[0]).toMatchObject({ ok: true, value: { itemization_id: '7' } });
      }),
    );
  });
});
