import type { MatcherRequestInput } from '../lambda/contract';

const VENDORS = [
  'SOUTHWEST AIR 5262174963012',
  'UBER   *TRIP',
  'MARRIOTT SAN FRANCISCO',
  'HERTZ RENT-A-CAR',
  'STARBUCKS #1234',
  'DELTA AIR 0062345678',
  'Hôtel Lumière Paris',
  'AMTRAK .COM 8842',
];
const CATEGORIES = ['airfare', 'taxi', 'lodging', 'car rental', 'meals', 'airfare', 'hotel', 'train'];
const TYPES = ['flight', 'hotel', 'car', 'rail'];

/**
 * A deterministic request of `budgets` × `items` in the contract's string-valued style, for
 * benchmarks: varied vendors, categories, amounts and dates, as a whole user's month might be.
 */
export function makeRequest(budgets: number, items: number): MatcherRequestInput {
  return {
    budgets: Array.from({ length: budgets }, (_, b) => ({
      budget_id: String(300000 + b),
      budget_type_budget: TYPES[b % TYPES.length],
      budget_price_budget: (120 + b * 7).toFixed(1),
      actual_cost_budget: (111.98 + b * 7).toFixed(2),
      travel_vendor_receipts: b % 2 ? 'Marriott' : 'Southwest Airlines',
      purchase_vendor_receipts: b % 2 ? 'Marriott San Francisco' : 'Southwest Airlines',
      generated_at_budget: `2017-04-${String(1 + (b % 20)).padStart(2, '0')} 14:55:39`,
      start_datetime_trips: `2017-05-${String(1 + (b % 20)).padStart(2, '0')} 04:00:00`,
      end_datetime_trips: `2017-05-${String(3 + (b % 20)).padStart(2, '0')} 04:00:00`,
    })),
    all_user_expense_lineitems: Array.from({ length: items }, (_, i) => ({
      itemization_id: String(4600000 + i),
      expensed_amount_itemization: (((i * 37) % 500) + 4.5).toFixed(2),
      expense_type_name_itemization: CATEGORIES[i % CATEGORIES.length],
      transaction_date_itemization: `2017-${String(3 + (i % 4)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')} 00:00:00`,
      expense_category_itemization: CATEGORIES[(i + 3) % CATEGORIES.length],
      vendor_name_expense: VENDORS[(i * 5) % VENDORS.length],
      expense_type_name_expense: CATEGORIES[i % CATEGORIES.length],
      expense_category_expense: CATEGORIES[i % CATEGORIES.length],
    })),
  };
}
