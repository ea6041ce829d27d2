import { parseRequest } from '../lambda/contract';
import { FEATURE_COUNT, Normaliser, pairFeatures, VendorAliases } from '../lambda/features';
import type { BudgetTypeGroup, SliceName } from './eval-config';
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
  /** Each row's slice (its budget's). */
  readonly slices: readonly SliceName[];
  /** Each row's budget-type group (its budget's). */
  readonly groups: readonly BudgetTypeGroup[];
  /** Each row's line item, numbered over the whole set (for error analysis across an item's budgets). */
  readonly items: Int32Array;
  /**
   * Each request's usable budgets and items, in order: its rows are the next `budgets × items`
   * (budgets outer), as serving scores a request (the reciprocal stage reads them).
   */
  readonly shapes: ReadonlyArray<RequestShape>;
}

/** The usable budgets and items of one request: its rows are `budgets × items`, budgets outer. */
export interface RequestShape {
  readonly budgets: number;
  readonly items: number;
}

/**
 * Turns labelled requests into the feature rows the model trains on, through exactly the code
 * serving runs (DESIGN.md #1): `parseRequest`, then one `Normaliser` a request (with the model's vendor alias table), then
 * `pairFeatures`. Budgets and items that serving would drop (no usable id) are dropped here too,
 * with their labels.
 */
export function pairRows(
  users: readonly UserPairs[],
  aliases: VendorAliases = VendorAliases.EMPTY,
): PairRows {
  const chunks: Float32Array[] = [];
  const labelChunks: Uint8Array[] = [];
  const kinds: ItemKind[] = [];
  const slices: SliceName[] = [];
  const groups: BudgetTypeGroup[] = [];
  const itemNumbers: number[] = [];
  const shapes: RequestShape[] = [];
  let itemBase = 0;
  let rows = 0;
  for (const user of users) {
    const parsed = parseRequest(user.request);
    const budgets = parsed.budgets.flatMap((b) => (b.ok ? [b] : []));
    const items = parsed.items.flatMap((i) => (i.ok ? [i] : []));
    // One normaliser a request, with the model's alias table, as serving does.
    const normaliser = new Normaliser(aliases);
    chunks.push(
      pairFeatures(
        budgets.map((b) => normaliser.budget(b.value)),
        items.map((i) => normaliser.item(i.value)),
      ),
    );
    shapes.push({ budgets: budgets.length, items: items.length });
    const rawItems = user.request.all_user_expense_lineitems.length;
    const labels = new Uint8Array(budgets.length * items.length);
    let row = 0;
    for (const b of budgets) {
      for (const i of items) {
        labels[row++] = user.labels[b.index * rawItems + i.index] ?? 0;
        kinds.push(user.itemKinds[i.index] ?? 'background');
        slices.push(user.budgetSlices[b.index] ?? 'clean');
        groups.push(user.budgetGroups[b.index] ?? 'other');
        itemNumbers.push(itemBase + i.index);
      }
    }
    itemBase += rawItems;
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
  return {
    features,
    labels,
    rows,
    positives,
    kinds,
    slices,
    groups,
    items: Int32Array.from(itemNumbers),
    shapes,
  };
}

/**
 * Two sets of rows as one (the validation split and the stress validation set, which early
 * stopping and the threshold look at together); the second set's items are numbered after the
 * first's.
 */
export function concatRows(a: PairRows, b: PairRows): PairRows {
  const features = new Float32Array(a.features.length + b.features.length);
  features.set(a.features);
  features.set(b.features, a.features.length);
  const labels = new Uint8Array(a.rows + b.rows);
  labels.set(a.labels);
  labels.set(b.labels, a.rows);
  const firstItem = a.items.reduce((max, i) => Math.max(max, i + 1), 0);
  const items = new Int32Array(a.rows + b.rows);
  items.set(a.items);
  items.set(
    b.items.map((i) => i + firstItem),
    a.rows,
  );
  return {
    features,
    labels,
    rows: a.rows + b.rows,
    positives: a.positives + b.positives,
    kinds: [...a.kinds, ...b.kinds],
    slices: [...a.slices, ...b.slices],
    groups: [...a.groups, ...b.groups],
    items,
    shapes: [...a.shapes, ...b.shapes],
  };
}
