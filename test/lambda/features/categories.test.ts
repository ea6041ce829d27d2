import {
  BUDGET_TYPES,
  CATEGORY_FOR_BUDGET,
  canonicalBudgetType,
  canonicalExpenseCategory,
  EXPENSE_CATEGORIES,
  expenseCategoryOf,
} from '../../../lambda/features';
import { loadRequest } from '../../helpers/events';

describe('canonicalBudgetType', () => {
  it.each([
    ['flight', 'flight'],
    ['FLIGHT', 'flight'],
    ['Flight', 'flight'],
    ['Flights', 'flight'],
    ['Air', 'flight'],
    ['Airline', 'flight'],
    ['hotel', 'hotel'],
    ['Airbnb', 'hotel'],
    ['Airport Hotel', 'hotel'],
    [' hotel ', 'hotel'],
    ['HOTEL', 'hotel'],
    ['Lodging', 'hotel'],
    ['car', 'car'],
    ['Car', 'car'],
    ['CAR', 'car'],
    ['Rental Car', 'car'],
    ['rail', 'rail'],
    ['Rail', 'rail'],
    ['train', 'rail'],
    ['Train', 'rail'],
  ] as const)('reads %j as %s', (text, expected) => {
    const type = canonicalBudgetType(text);

    expect(type).toBe(expected);
  });

  it.each([
    ['bus', 'ground'],
    ['Ferry', 'ground'],
    ['Airport Parking', 'ground'],
    ['Coach', 'ground'],
    ['Conference', 'event'],
    ['Registration', 'event'],
    ['Conference Fee', 'event'],
  ] as const)('reads %j, a type beyond the big four, as %s', (text, expected) => {
    expect(canonicalBudgetType(text)).toBe(expected);
  });

  it.each([['Space Elevator'], ['cruise'], ['visa'], ['Misc'], ['other'], ['747']])(
    'reads the unknown type %j as other',
    (text) => {
      const type = canonicalBudgetType(text);

      expect(type).toBe('other');
    },
  );

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])('treats an %s type as missing', (_label, text) => {
    const type = canonicalBudgetType(text);

    expect(type).toBeUndefined();
  });

  it('reads the type of the unknown-budget-type sample as other', () => {
    const [budget] = loadRequest('bad-unknown-budget-type').budgets;
    const text = budget?.budget_type_budget;

    const type = canonicalBudgetType(typeof text === 'string' ? text : undefined);

    expect(type).toBe('other');
  });
});

describe('expenseCategoryOf', () => {
  it.each([
    ['Airfare', 'airfare'],
    ['airfare', 'airfare'],
    ['Air Travel', 'airfare'],
    ['Airline Tickets', 'airfare'],
    ['Travel - Air', 'airfare'],
    ['Flight', 'airfare'],
    ['Airbnb', 'lodging'],
    ['Airport Hotel', 'lodging'],
    ['Airport Parking', 'ground'],
    ['Hotel', 'lodging'],
    ['Lodging', 'lodging'],
    ['LODGING', 'lodging'],
    ['Car Rental', 'car_rental'],
    ['car rental', 'car_rental'],
    ['car_rental', 'car_rental'],
    ['Rental Car', 'car_rental'],
    ['Train', 'rail'],
    ['Rail', 'rail'],
    ['Amtrak', 'rail'],
    ['Taxi', 'ground'],
    ['taxi', 'ground'],
    ['Uber', 'ground'],
    ['Parking', 'ground'],
    ['Airport Parking', 'ground'],
    ['Car Service', 'ground'],
    ['Airline Fees', 'travel_fees'],
    ['airline fees', 'travel_fees'],
    ['Baggage Fee', 'travel_fees'],
    ['fees', 'travel_fees'],
    ['Meals', 'meals'],
    ['Dinner', 'meals'],
    ['Business Meals', 'meals'],
  ] as const)('maps %j to %s', (text, expected) => {
    const category = expenseCategoryOf(text);

    expect(category).toBe(expected);
  });

  it.each([['Office Supplies'], ['Software'], [''], ['12345']])(
    'maps the unknown text %j to other',
    (text) => {
      const category = expenseCategoryOf(text);

      expect(category).toBe('other');
    },
  );

  it('reads fees charged by an airline as fees, not airfare', () => {
    const categories = ['Airline Fees', 'Baggage Fee', 'Seat Upgrade'].map(expenseCategoryOf);

    expect(categories).toEqual(['travel_fees', 'travel_fees', 'travel_fees']);
  });
});

describe('canonicalExpenseCategory', () => {
  it('picks the first text that names a known category', () => {
    const category = canonicalExpenseCategory(['misc', 'Airfare', 'Hotel']);

    expect(category).toBe('airfare');
  });

  it('skips missing texts', () => {
    const category = canonicalExpenseCategory([undefined, 'Taxi', 'Airfare']);

    expect(category).toBe('ground');
  });

  it('gives other when texts are present but none is known', () => {
    const category = canonicalExpenseCategory(['misc', undefined, 'Office Supplies']);

    expect(category).toBe('other');
  });

  it('gives undefined when every text is missing', () => {
    const categories = [canonicalExpenseCategory([undefined, undefined]), canonicalExpenseCategory([])];

    expect(categories).toEqual([undefined, undefined]);
  });
});

describe('CATEGORY_FOR_BUDGET', () => {
  it('pairs each booking budget type with the category that pays for it, and other with none', () => {
    const pairs = BUDGET_TYPES.map((t) => [t, CATEGORY_FOR_BUDGET[t]]);

    expect(pairs).toEqual([
      ['flight', 'airfare'],
      ['hotel', 'lodging'],
      ['car', 'car_rental'],
      ['rail', 'rail'],
      ['ground', 'ground'],
      ['event', 'registration'],
      ['other', undefined],
    ]);
  });

  it('names only known expense categories', () => {
    const named = BUDGET_TYPES.map((t) => CATEGORY_FOR_BUDGET[t]).filter((c) => c !== undefined);

    for (const category of named) expect(EXPENSE_CATEGORIES).toContain(category);
  });
});
