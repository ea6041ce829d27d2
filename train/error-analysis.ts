import type { PairRows } from './pair-rows';
import type { ItemKind } from './sim-types';

/** Wrong decisions at a threshold, counted by what the line item was. */
export interface ErrorsByKind {
  /** Pairs predicted a match that are not, by the item's kind. */
  readonly falsePositives: Readonly<Partial<Record<ItemKind, number>>>;
  /** Booking charges scored below the threshold against their own budget. */
  readonly missedCharges: number;
  /** Of those, how many scored lower against their own budget than against another. */
  readonly missedOutranked: number;
  /** False positives that are a booking charge scored lower against its own budget. */
  readonly falsePositivesBelowOwn: number;
}

/**
 * Which kinds of line item the model gets wrong: the question to ask of a new generator rule or
 * feature ("do refunds still fool it?").
 */
export function errorsByKind(scores: ArrayLike<number>, rows: PairRows, threshold: number): ErrorsByKind {
  const falsePositives: Partial<Record<ItemKind, number>> = {};
  let missedCharges = 0;
  let missedOutranked = 0;
  let falsePositivesBelowOwn = 0;
  // Each item's best score against any budget, and against its own.
  const best = new Map<number, number>();
  const own = new Map<number, number>();
  for (let i = 0; i < rows.rows; i++) {
    const item = rows.items[i] as number;
    const s = scores[i] as number;
    best.set(item, Math.max(best.get(item) ?? 0, s));
    if (rows.labels[i] === 1) own.set(item, Math.max(own.get(item) ?? 0, s));
  }
  for (let i = 0; i < rows.rows; i++) {
    const s = scores[i] as number;
    const predicted = s >= threshold;
    const actual = rows.labels[i] === 1;
    const item = rows.items[i] as number;
    if (predicted && !actual) {
      const kind = rows.kinds[i] ?? 'background';
      falsePositives[kind] = (falsePositives[kind] ?? 0) + 1;
      if ((own.get(item) ?? -1) > s) falsePositivesBelowOwn++;
    } else if (actual && !predicted) {
      missedCharges++;
      if ((best.get(item) ?? 0) > s) missedOutranked++;
    }
  }
  return { falsePositives, missedCharges, missedOutranked, falsePositivesBelowOwn };
}
