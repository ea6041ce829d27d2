import { foldText } from './fold-text';

/** Canonical budget types; anything a client sends that is not one of the first four is `other`. */
export const BUDGET_TYPES = ['flight', 'hotel', 'car', 'rail', 'other'] as const;
export type BudgetType = (typeof BUDGET_TYPES)[number];

/** Canonical expense categories that expense text is mapped to. */
export const EXPENSE_CATEGORIES = [
  'airfare',
  'lodging',
  'car_rental',
  'rail',
  'ground',
  'meals',
  'travel_fees',
  'other',
] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];

/** The expense category that pays for each budget type (docs/contract.md, "What match means"). */
export const CATEGORY_FOR_BUDGET: Readonly<Record<BudgetType, ExpenseCategory | undefined>> = {
  flight: 'airfare',
  hotel: 'lodging',
  car: 'car_rental',
  rail: 'rail',
  other: undefined,
};

const BUDGET_TYPE_WORDS: ReadonlyArray<readonly [RegExp, BudgetType]> = [
  // Whole words, not `air\w*`: "Airbnb" is lodging and "Airport Hotel" a hotel, not a flight.
  [/\b(flights?|air|airfares?|airlines?|airways|airplanes?|plane|aviation)\b/, 'flight'],
  [/\b(hotels?|lodging|accomm?odations?|motel|stay|airbnb)\b/, 'hotel'],
  [/\b(cars?|auto|vehicle|car ?rental|rental ?car)\b/, 'car'],
  [/\b(rail|trains?|railway)\b/, 'rail'],
];

/**
 * Maps a budget type as clients send it (`"flight"`, `"FLIGHT"`, `"Air"`, `"Hotel"`) to its
 * canonical form; unknown text is `other`, absent text is `undefined` (the missing flag).
 */
export function canonicalBudgetType(text: string | undefined): BudgetType | undefined {
  if (text === undefined) return undefined;
  const folded = foldText(text);
  if (folded === '') return undefined;
  for (const [pattern, type] of BUDGET_TYPE_WORDS) if (pattern.test(folded)) return type;
  return 'other';
}

// Order matters: fees and ground transport name airlines and cars too ("Airline Fees",
// "Airport Parking", "Car Service"), so they are recognised before the booking categories.
const CATEGORY_WORDS: ReadonlyArray<readonly [RegExp, ExpenseCategory]> = [
  [
    /\b(fees?|baggage|bags?|luggage|seat (selection|assignment|upgrade)|upgrades?|wi ?fi|internet|incidentals?|minibar|laundry|change penalty)\b/,
    'travel_fees',
  ],
  [
    /\b(meals?|food|dinner|lunch|breakfast|restaurants?|coffee|snacks?|groceries|grocery|beverages?|drinks?|per diem|entertainment)\b/,
    'meals',
  ],
  [
    /\b(taxis?|cabs?|uber|lyft|rideshare|ride share|shuttle|limo\w*|ground|transit|subway|metro|bus|parking|tolls?|fuel|gas|gasoline|petrol|mileage|car service)\b/,
    'ground',
  ],
  [/\b(air|airfares?|airlines?|airways|airplanes?|flights?|plane|aviation)\b/, 'airfare'],
  [/\b(hotels?|lodging|accomm?odations?|motels?|inns?|hostels?|airbnb|resorts?|room)\b/, 'lodging'],
  [/\b(car ?rentals?|rental ?cars?|car hire|auto rental|rent a car|rentals?|cars?)\b/, 'car_rental'],
  [/\b(rail\w*|trains?|amtrak|eurostar|sncf|tgv)\b/, 'rail'],
];

/** Maps one piece of expense text ("Airfare", "Hotel", "Taxi", "Car Rental") to a category. */
export function expenseCategoryOf(text: string): ExpenseCategory {
  const folded = foldText(text);
  for (const [pattern, category] of CATEGORY_WORDS) if (pattern.test(folded)) return category;
  return 'other';
}

/**
 * The canonical category of a line item from its category and type texts, most specific first:
 * the first text that names a known category wins; `other` when texts are present but none does;
 * `undefined` when every text is missing.
 */
export function canonicalExpenseCategory(
  texts: ReadonlyArray<string | undefined>,
): ExpenseCategory | undefined {
  let seen = false;
  for (const text of texts) {
    if (text === undefined) continue;
    seen = true;
    const category = expenseCategoryOf(text);
    if (category !== 'other') return category;
  }
  return seen ? 'other' : undefined;
}
