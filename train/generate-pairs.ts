import type { MatcherRequestInput } from '../lambda/contract';
import { type DomainRandomisation, randomiseGenerator } from './domain-randomisation';
import {
  type BudgetTypeGroup,
  type GeneratorConfig,
  type SliceName,
  TRAINING_GENERATOR,
} from './eval-config';
import { MessyValues } from './messy-values';
import { deriveSeed, Random } from './random';
import { renderRequest } from './render-request';
import type { ItemKind, SimBudget } from './sim-types';
import { simulateUser } from './simulate-user';
import type { VendorSet } from './vendors';

/** What to generate. */
export interface GeneratorOptions {
  readonly seed: number;
  readonly users: number;
  /** Slices, descriptor styles and field damage (train/eval-config.ts). @default TRAINING_GENERATOR */
  readonly generator?: GeneratorConfig;
  /**
   * `training` brands, `held-out` brands that training never sees, or `all`.
   * @default the generator's `brands`
   */
  readonly vendorSet?: VendorSet;
  /**
   * Each user draws its own configuration around `generator` (train/domain-randomisation.ts).
   * @default none: every user has `generator`'s
   */
  readonly randomisation?: DomainRandomisation;
  /**
   * Which users to generate, by number (a split's users); each is generated as it would be among
   * all of them. @default 0 … users − 1
   */
  readonly userNumbers?: readonly number[];
}

/**
 * One simulated user's request with the label of every (budget, line item) pair: what serving
 * sees for that user, and what it should answer.
 */
export interface UserPairs {
  /** Stable id of the user within its data set ("u000042"); splits are made by it. */
  readonly user: string;
  /** The request exactly as a client would send it (messy values included). */
  readonly request: MatcherRequestInput;
  /** The client leaves whole field groups (amounts, dates, vendors, categories) out of it. */
  readonly sparseClient: boolean;
  /**
   * Labels of the budgets × items cross product of the request's lists (budgets outer, items
   * inner, raw list positions): 1 where the item is the charge for that budget's booking.
   */
  readonly labels: Uint8Array;
  /** For each raw line item, the position of the budget it pays for, or −1. */
  readonly itemBudgets: readonly number[];
  /** For each raw line item, what it is (why it is, or is not, a match). */
  readonly itemKinds: readonly ItemKind[];
  /** For each raw budget, its slice of the evaluation. */
  readonly budgetSlices: readonly SliceName[];
  /** For each raw budget, its budget-type group of the evaluation. */
  readonly budgetGroups: readonly BudgetTypeGroup[];
}

// Users are far apart in id space so that no two users of one data set share an id.
const IDS_PER_USER = 1000;

/**
 * Generates labelled requests for `options.users` simulated travellers, deterministically for a
 * seed: user `n` depends only on the seed and `n`, never on how many users are generated.
 *
 * @example
 * const users = generatePairs({ seed: 7, users: 100 });
 * const test = generatePairs({ seed: TEST_SET.seed, users: 50, generator: TEST_GENERATOR });
 */
export function generatePairs(options: GeneratorOptions): UserPairs[] {
  const generator = options.generator ?? TRAINING_GENERATOR;
  const vendorSet = options.vendorSet ?? generator.brands;
  const out: UserPairs[] = [];
  const numbers = options.userNumbers ?? Array.from({ length: options.users }, (_, n) => n);
  for (const n of numbers) {
    const rng = new Random(deriveSeed(options.seed, n));
    // A stream of its own (forking does not advance `rng`): a user drawn without randomisation
    // is the same user as before it existed.
    const config = options.randomisation
      ? randomiseGenerator(generator, rng.fork(3), options.randomisation)
      : generator;
    const user = simulateUser(rng, { vendorSet, generator: config });
    const messy = new MessyValues(rng.fork(1), config.messRates);
    const { request, sparseClient } = renderRequest(rng.fork(2), messy, user, {
      budget: 300_000 + n * IDS_PER_USER,
      item: 4_000_000 + n * IDS_PER_USER,
    });
    const itemBudgets = user.items.map((item) => item.budget);
    const labels = new Uint8Array(user.budgets.length * user.items.length);
    itemBudgets.forEach((budget, i) => {
      if (budget >= 0) labels[budget * user.items.length + i] = 1;
    });
    out.push({
      user: `u${String(n).padStart(6, '0')}`,
      request,
      sparseClient,
      labels,
      itemBudgets,
      itemKinds: user.items.map((item) => item.kind),
      budgetSlices: user.budgets.map((b) => b.slice),
      budgetGroups: user.budgets.map(typeGroupOf),
    });
  }
  return out;
}

/** The budget-type group a budget is evaluated in: its kind, `other` beyond the big four, or unknown. */
export function typeGroupOf(budget: SimBudget): BudgetTypeGroup {
  if (budget.typeUnknown) return 'unknown_or_missing';
  switch (budget.kind) {
    case 'flight':
    case 'hotel':
    case 'car':
    case 'rail':
      return budget.kind;
    default:
      return 'other';
  }
}
