import type { PairRows } from './pair-rows';
import type { ItemKind } from './sim-types';

/** Wrong decisions at a threshold, counted by what the line item was. */
export interface ErrorsByKind {
  /** Pairs predicted a match that are not, by the item's kind. */
  readonly falsePositives: Readonly<Partial<Record<ItemKind, number>>>;
  /** Booking charges scored below the threshold against their own budget. */
  readonly missedCharges: number;
}

/**
 * Which kinds of line item the model gets wrong: the question to ask of a new generator rule or
 * feature ("do refunds still fool it?").
 */
export function errorsByKind(scores: ArrayLike<number>, rows: PairRows, threshold: number): ErrorsByKind {
  const falsePositives: Partial<Record<ItemKind, number>> = {};
  let missedCharges = 0;
  for (let i = 0; i < rows.rows; i++) {
    const predicted = (scores[i] as number) >= threshold;
    const actual = rows.labels[i] === 1;
    if (predicted && !actual) {
      const kind = rows.kinds[i] ?? 'background';
      falsePositives[kind] = (falsePositives[kind] ?? 0) + 1;
    } else if (actual && !predicted) missedCharges++;
  }
  return { falsePositives, missedCharges };
}
