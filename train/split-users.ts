import { deriveSeed, Random } from './random';

/** The three splits of a data set. */
export interface Splits<T> {
  readonly train: T[];
  readonly validation: T[];
  readonly test: T[];
}

/** Shares of users in the validation and test splits; the rest train. */
export interface SplitFractions {
  readonly validation: number;
  readonly test: number;
}

export const DEFAULT_SPLIT: SplitFractions = { validation: 0.15, test: 0.15 };

/**
 * Splits users into train, validation and test, deterministically for a seed. Whole users go to
 * one split: a user's trips share airlines, hotels and habits, so pairs of one user on both
 * sides would let the model pass a test by remembering that user.
 */
export function splitUsers<T>(
  users: readonly T[],
  seed: number,
  fractions: SplitFractions = DEFAULT_SPLIT,
): Splits<T> {
  const shuffled = new Random(deriveSeed(seed, 0x5b1)).shuffle([...users]);
  const validation = Math.round(users.length * fractions.validation);
  const test = Math.round(users.length * fractions.test);
  return {
    validation: shuffled.slice(0, validation),
    test: shuffled.slice(validation, validation + test),
    train: shuffled.slice(validation + test),
  };
}
