import type { ParsedRequest } from '../contract';
import { FEATURE_COUNT } from './feature-spec';
import { Normaliser } from './normalise';
import { pairFeatures } from './pair-features';

/** The feature rows of a parsed request and how many there are. */
export interface RequestFeatures {
  /** Row-major, FEATURE_COUNT columns: budgets outer, items inner (the reply's order). */
  readonly features: Float32Array;
  readonly rows: number;
  readonly budgets: number;
  readonly items: number;
}

/**
 * The features of every (budget, item) pair of the usable budgets and items of a parsed request:
 * each budget and item normalised once (by `normaliser`, which carries the model's vendor alias
 * table), then all pairs written by {@link pairFeatures} (into `matrix(values)` when given). What serving scores, and what the golden
 * requests of a manifest are scored through.
 */
export function requestFeatures(
  request: ParsedRequest,
  normaliser: Normaliser = new Normaliser(),
  matrix?: (values: number) => Float32Array,
): RequestFeatures {
  const budgets = [];
  for (const entry of request.budgets) if (entry.ok) budgets.push(normaliser.budget(entry.value));
  const items = [];
  for (const entry of request.items) if (entry.ok) items.push(normaliser.item(entry.value));
  return {
    features: pairFeatures(budgets, items, matrix?.(budgets.length * items.length * FEATURE_COUNT)),
    rows: budgets.length * items.length,
    budgets: budgets.length,
    items: items.length,
  };
}
