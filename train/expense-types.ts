/**
 * What a line item pays for, as the generator knows it. Budgets' own charges use the first
 * five; the rest are what travellers expense besides their bookings.
 */
export type ExpensePurpose =
  | 'flight'
  | 'hotel'
  | 'car'
  | 'rail'
  | 'bus'
  | 'ferry'
  | 'visa'
  | 'conference'
  | 'taxi'
  | 'meals'
  | 'parking'
  | 'fuel'
  | 'airline-fee'
  | 'hotel-incidental'
  | 'wifi'
  | 'office'
  | 'mileage';

/** Spellings of one purpose: expense type names (display) and expense categories (codes). */
export interface ExpenseSpellings {
  readonly types: readonly string[];
  readonly categories: readonly string[];
}

// As expense tools and the people who configure them write them: title case, upper case,
// snake case, with "Travel - " prefixes. All are meant to map to the same category.
export const EXPENSE_SPELLINGS: Readonly<Record<ExpensePurpose, ExpenseSpellings>> = {
  flight: {
    types: ['Airfare', 'Air Travel', 'Flight', 'Airline Tickets', 'Air', 'AIRFARE'],
    categories: ['airfare', 'air travel', 'AIRFARE', 'Travel - Air', 'flights'],
  },
  hotel: {
    types: ['Hotel', 'Lodging', 'Accommodation', 'Hotel Stay', 'HOTEL'],
    categories: ['lodging', 'hotel', 'LODGING', 'Travel - Lodging', 'accommodation'],
  },
  car: {
    types: ['Car Rental', 'Rental Car', 'Auto Rental', 'Car Hire', 'CAR RENTAL'],
    categories: ['car rental', 'car_rental', 'CAR RENTAL', 'rental car', 'Travel - Car Rental'],
  },
  rail: {
    types: ['Train', 'Rail', 'Train Ticket', 'Railway', 'TRAIN'],
    categories: ['rail', 'train', 'RAIL', 'Travel - Rail'],
  },
  bus: {
    types: ['Bus', 'Ground Transportation', 'Coach'],
    categories: ['ground', 'bus', 'ground transportation'],
  },
  ferry: {
    types: ['Ferry', 'Ground Transportation', 'Boat/Ferry'],
    categories: ['ground', 'ferry', 'transportation'],
  },
  visa: {
    types: ['Visa Fees', 'Travel Documents', 'Passport/Visa'],
    categories: ['visa', 'travel documents', 'fees'],
  },
  conference: {
    types: ['Conference Fees', 'Registration', 'Seminars & Conferences', 'Event Tickets'],
    categories: ['conference', 'registration fees', 'training', 'other'],
  },
  taxi: {
    types: ['Taxi', 'Ground Transportation', 'Rideshare', 'Taxi/Uber', 'Car Service'],
    categories: ['taxi', 'ground', 'TAXI', 'rideshare'],
  },
  meals: {
    types: ['Meals', 'Dinner', 'Lunch', 'Breakfast', 'Business Meal', 'Meals & Entertainment', 'Coffee'],
    categories: ['meals', 'MEALS', 'food', 'meals and entertainment'],
  },
  parking: {
    types: ['Parking', 'Airport Parking', 'Parking/Tolls'],
    categories: ['parking', 'ground', 'PARKING'],
  },
  fuel: { types: ['Fuel', 'Gas', 'Gasoline', 'Car Fuel'], categories: ['fuel', 'ground', 'FUEL'] },
  'airline-fee': {
    types: ['Airline Fees', 'Baggage Fees', 'Seat Upgrade', 'Checked Bag'],
    categories: ['airline fees', 'fees', 'travel fees', 'baggage'],
  },
  'hotel-incidental': {
    // "Room Service" reads as lodging to a keyword matcher: a realistic hard negative.
    types: ['Hotel Incidentals', 'Incidentals', 'Room Service', 'Hotel Parking', 'Minibar'],
    categories: ['incidentals', 'fees', 'hotel incidentals'],
  },
  wifi: { types: ['Internet', 'Wi-Fi', 'In-flight Wi-Fi'], categories: ['internet', 'fees'] },
  office: {
    types: ['Office Supplies', 'Miscellaneous', 'Shipping', 'Software', 'Books'],
    categories: ['office', 'other', 'misc', 'supplies'],
  },
  mileage: { types: ['Mileage', 'Personal Car Mileage'], categories: ['mileage', 'MILEAGE'] },
};

/** Expense texts that name no category at all, used for badly categorised items. */
export const GENERIC_EXPENSE_TEXTS: readonly string[] = [
  'Travel',
  'Other',
  'Miscellaneous',
  'Uncategorized',
  'Travel Expense',
  'Business Expense',
];
