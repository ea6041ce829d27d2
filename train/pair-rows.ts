import { parseRequest } from '../lambda/contract';
import { FEATURE_COUNT, normaliseBudget, normaliseItem, pairFeatures } from '../lambda/features';
import type { UserPairs } from './generate-pairs';
import type { ItemKind } from './sim-types';

/** A labelled feature matrix: `rows` rows of FEATURE_COUNT columns, row-major. */
export interface PairRows {
  readonly features: Float32Array;
  readonly labels: Uint8Array;
  readonly rows: number;
  readonly positives: number;
  /** What each row's line item is (for error analysis: which negatives fool the model). */
  readonly kinds: readonly ItemKind[];
}

/**
 * Turns labelled requests into the feature rows the model trains on, through exactly the code
 * serving runs (DESIGN.md #1): `parseRequest`, then `normaliseBudget`/`normaliseItem`, then
 * `pairFeatures`. Budgets and items that serving would drop (no usable id) are dropped here too,
 * with their labels.
 */
export function pairRows(users: readonly UserPairs[]): PairRows {
  const chunks: Float32Array[] = [];
  const labelChunks: Uint8Array[] = [];
  const kinds: ItemKind[] = [];
  let rows = 0;
  for (const user of users) {
    const parsed = parseRequest(user.request);
    const budgets = parsed.budgets.flatMap((b) => (b.ok ? [b] : []));
    const items = parsed.items.flatMap((i) => (i.ok ? [i] : []));
    chunks.push(
      pairFeatures(
        budgets.map((b) => normaliseBudget(b.value)),
        items.map((i) => normaliseItem(i.value)),
      ),
    );
    const rawItems = user.request.all_user_expense_lineitems.length;
    const labels = new Uint8Array(budgets.length * items.length);
    let row = 0;
    for (const b of budgets) {
      for (const i of items) {
        labels[row++] = user.labels[b.index * rawItems + i.index] ?? 0;
        kinds.push(user.itemKinds[i.index] ?? 'background');
      }
    }
    labelChunks.push(labels);
    rows += labels.length;
  }
  const features = new Float32Array(rows * FEATURE_COUNT);
  const labels = new Uint8Array(rows);
  let offset = 0;
  chunks.forEach((chunk, n) => {
    features.set(chunk, offset * FEATURE_COUNT);
    const chunkLabels = labelChunks[n] ?? new Uint8Array(0);
    labels.set(chunkLabels, offset);
    offset += chunkLabels.length;
  });
  let positives = 0;
  for (const label of labels) positives += label;
  return { features, labels, rows, positives, kinds };
}
