import { STRESS_RANDOMISATION } from './domain-randomisation';
import { TRAINING_GENERATOR } from './eval-config';
import { generatePairs, type UserPairs } from './generate-pairs';
import { deriveSeed } from './random';

/** Salts the training seed into the stress validation set's own seed. */
const STRESS_SALT = 0x57e55;

/**
 * The stress validation set (docs/models.md, "Two validation sets"): `users` users from the hard
 * end of the training randomisation's ranges, training brands and styles only, from a seed of its
 * own derived from the training seed. `npm run train` and `train/explore-errors.ts` draw it here.
 */
export function stressSet(trainingSeed: number, users: number): UserPairs[] {
  return generatePairs({
    seed: deriveSeed(trainingSeed, STRESS_SALT),
    users,
    generator: TRAINING_GENERATOR,
    randomisation: STRESS_RANDOMISATION,
  });
}
