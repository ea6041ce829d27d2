import { EXPENSE_SPELLINGS, type ExpensePurpose, GENERIC_EXPENSE_TEXTS } from './expense-types';
import type { Random } from './random';

/** The four expense texts of a line item. */
export interface ExpenseTexts {
  readonly type: string | undefined;
  readonly category: string | undefined;
  readonly expenseType: string | undefined;
  readonly expenseCategory: string | undefined;
}

/** How badly an item is categorised. */
export interface CategoryNoise {
  /** Share of items with no expense text at all. */
  readonly missing: number;
  /** Share of items filed under a text that names no category ("Travel", "Other"). */
  readonly generic: number;
}

/**
 * The type and category texts of an item paying for `purpose`, in one of the spellings expense
 * tools use, with the itemisation and expense levels sometimes disagreeing or half missing.
 */
export function expenseTexts(rng: Random, purpose: ExpensePurpose, noise: CategoryNoise): ExpenseTexts {
  const r = rng.next();
  if (r < noise.missing)
    return { type: undefined, category: undefined, expenseType: undefined, expenseCategory: undefined };
  if (r < noise.missing + noise.generic) {
    const text = rng.pick(GENERIC_EXPENSE_TEXTS);
    return {
      type: text,
      category: rng.chance(0.5) ? text.toLowerCase() : undefined,
      expenseType: text,
      expenseCategory: undefined,
    };
  }
  const { types, categories } = EXPENSE_SPELLINGS[purpose];
  const type = rng.pick(types);
  const category = rng.pick(categories);
  // Only the expense level filled in (an unitemised expense), a tenth of the time.
  if (rng.chance(0.1))
    return { type: undefined, category: undefined, expenseType: type, expenseCategory: category };
  return {
    type,
    category,
    expenseType: rng.chance(0.85) ? type : rng.pick(types),
    expenseCategory: rng.chance(0.85) ? category : rng.pick(categories),
  };
}

// What a booking's charge is filed under when the traveller gets it wrong, by weight.
const MISFILED_AS: ReadonlyArray<readonly [ExpensePurpose | 'generic', number]> = [
  ['meals', 25],
  ['generic', 30],
  ['taxi', 10],
  ['airline-fee', 10],
  ['office', 10],
  ['flight', 5],
  ['hotel', 5],
  ['car', 5],
];

/**
 * The texts of a booking's charge filed under the wrong expense type or category (issue 12): an
 * airfare filed as meals, "Other" or a fee, or under another booking's category.
 */
export function misfiledTexts(rng: Random, purpose: ExpensePurpose): ExpenseTexts {
  const choices = MISFILED_AS.filter(([as]) => as !== purpose);
  const as = rng.weighted(choices);
  if (as === 'generic') return expenseTexts(rng, 'office', { missing: 0, generic: 1 });
  return expenseTexts(rng, as, { missing: 0, generic: 0 });
}
