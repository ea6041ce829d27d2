import { foldText } from './fold-text';

/**
 * Canonical budget types: the big four, `ground` (bus, coach, ferry, shuttle, parking), `event`
 * (conference and event registrations); any other text a client sends (visas, "Misc") is `other`.
 */
export const BUDGET_TYPES = ['flight', 'hotel', 'car', 'rail', 'ground', 'event', 'other'] as const;
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
  'registration',
  'other',
] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];

/** The expense category that pays for each budget type (docs/contract.md, "What match means"). */
export const CATEGORY_FOR_BUDGET: Readonly<Record<BudgetType, ExpenseCategory | undefined>> = {
  flight: 'airfare',
  hotel: 'lodging',
  car: 'car_rental',
  rail: 'rail',
  ground: 'ground',
  event: 'registration',
  other: undefined,
};

/** The categories a booking's own charge is filed under: filed under another, it is another booking. */
export const BOOKING_CATEGORIES: ReadonlySet<ExpenseCategory> = new Set([
  'airfare',
  'lodging',
  'car_rental',
  'rail',
  'registration',
]);

const BUDGET_TYPE_WORDS: ReadonlyArray<readonly [RegExp, BudgetType]> = [
  // Whole words, not `air\w*`: "Airbnb" is lodging and "Airport Hotel" a hotel, not a flight.
  [/\b(flights?|air|airfares?|airlines?|airways|airplanes?|plane|aviation)\b/, 'flight'],
  [/\b(hotels?|lodging|accomm?odations?|motel|stay|airbnb)\b/, 'hotel'],
  [/\b(cars?|auto|vehicle|car ?rental|rental ?car)\b/, 'car'],
  [/\b(rail|trains?|railway)\b/, 'rail'],
  [/\b(bus|buses|coach|ferry|ferries|boat|shuttle|parking|transfer|ground)\b/, 'ground'],
  [/\b(conferences?|registrations?|events?|seminars?|summit|congress|training)\b/, 'event'],
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
  // Before fees: "Conference Fees" and "Registration Fees" pay for the event.
  [/\b(conferences?|registrations?|seminars?|event tickets?|congress|summit|training)\b/, 'registration'],
  [
    /\b(fees?|baggage|bags?|luggage|seat (selection|assignment|upgrade)|upgrades?|wi ?fi|internet|incidentals?|minibar|laundry|change penalty)\b/,
    'travel_fees',
  ],
  [
    /\b(meals?|food|dinner|lunch|breakfast|restaurants?|coffee|snacks?|groceries|grocery|beverages?|drinks?|per diem|entertainment)\b/,
    'meals',
  ],
  [
    /\b(taxis?|cabs?|uber|lyft|rideshare|ride share|shuttle|limo\w*|ground|transit|subway|metro|bus|coach|ferry|ferries|boat|parking|tolls?|fuel|gas|gasoline|petrol|mileage|car service)\b/,
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
