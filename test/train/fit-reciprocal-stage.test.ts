import {
  applyReciprocalStage,
  RECIPROCAL_STAGE_VERSION,
  stageInputs,
} from '../../lambda/model/reciprocal-stage';
import {
  applyStageToRows,
  concatScored,
  fitReciprocalStage,
  regroupItems,
  type ScoredRequests,
  scoredRequests,
  splitByItems,
  stageInputsOf,
  withChargesAbsent,
} from '../../train/fit-reciprocal-stage';
import { generatePairs } from '../../train/generate-pairs';
import { pairRows } from '../../train/pair-rows';
import { Random } from '../../train/random';

describe('fitReciprocalStage', () => {
  it('recovers the weights that generated the labels', () => {
    const truth = [-1.5, 0.8, 0.3, 0.6]; // bias, logit, vs_other_budgets, vs_other_items
    const rng = new Random(7);
    const n = 40_000;
    const inputs = new Float64Array(n * 3);
    const labels = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      let z = truth[0] as number;
      for (let j = 0; j < 3; j++) {
        const x = (rng.next() - 0.5) * 12;
        inputs[r * 3 + j] = x;
        z += (truth[j + 1] as number) * x;
      }
      labels[r] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }

    const { version, weights } = fitReciprocalStage(inputs, labels);

    expect(version).toBe(RECIPROCAL_STAGE_VERSION);
    const fitted = [weights.bias, weights.logit, weights.vs_other_budgets, weights.vs_other_items];
    for (const [k, w] of fitted.entries()) expect(Math.abs(w - (truth[k] as number))).toBeLessThan(0.1);
  });

  it('refuses inputs that do not match the labels', () => {
    expect(() => fitReciprocalStage(new Float64Array(5), new Uint8Array(2))).toThrow(/5 inputs for 2 labels/);
  });
});

/** Two hand-made requests: 2 budgets × 3 items (item 1 pays budget 0, item 2 budget 1), then 1 × 2. */
const twoRequests = (): ScoredRequests => ({
  scores: Float32Array.of(0.1, 0.9, 0.2, 0.3, 0.05, 0.8, 0.6, 0.4),
  labels: Uint8Array.of(0, 1, 0, 0, 0, 1, 1, 0),
  shapes: [
    { budgets: 2, items: 3 },
    { budgets: 1, items: 2 },
  ],
});

describe('stageInputsOf and applyStageToRows on generated requests', () => {
  const rows = pairRows(generatePairs({ seed: 31, users: 6 }));
  const rng = new Random(3);
  const set = scoredRequests(
    Float32Array.from({ length: rows.rows }, () => rng.next()),
    rows,
  );

  it('read every request of a set on its own, as serving reads one request', () => {
    const inputs = stageInputsOf(set);
    const stage = {
      version: RECIPROCAL_STAGE_VERSION,
      weights: { bias: -0.4, logit: 0.9, vs_other_budgets: 0.2, vs_other_items: 0.5 },
    } as const;

    const staged = applyStageToRows(set, stage);

    let offset = 0;
    expect(rows.shapes.length).toBe(6);
    for (const { budgets, items } of rows.shapes) {
      const n = budgets * items;
      const own = new Float64Array(n * 3);
      stageInputs(set.scores.subarray(offset, offset + n), budgets, items, own);
      expect(Array.from(inputs.subarray(offset * 3, (offset + n) * 3))).toEqual(Array.from(own));
      const served = applyReciprocalStage(set.scores.slice(offset, offset + n), budgets, items, stage);
      expect(Array.from(staged.subarray(offset, offset + n))).toEqual(Array.from(served));
      offset += n;
    }
    expect(offset).toBe(rows.rows);
    expect(Array.from(set.scores)).not.toEqual(Array.from(staged)); // a new array; the network's is kept
  });

  it('refuse scores of another set', () => {
    expect(() => scoredRequests(new Float32Array(rows.rows + 1), rows)).toThrow(/scores for/);
    expect(() => stageInputsOf({ ...set, shapes: set.shapes.slice(1) })).toThrow(/cover/);
  });
});

describe('regroupItems', () => {
  it('makes a request of each list of line items, with every budget, scores and labels kept', () => {
    const regrouped = regroupItems(twoRequests(), (budgets, items) =>
      budgets === 2 ? [[2, 0], [1]] : [[], Array.from({ length: items }, (_, i) => i)],
    );

    expect(regrouped.shapes).toEqual([
      { budgets: 2, items: 2 },
      { budgets: 2, items: 1 },
      { budgets: 1, items: 2 },
    ]);
    expect(Array.from(regrouped.scores, (s) => Number(s.toFixed(2)))).toEqual([
      0.2, 0.1, 0.8, 0.3, 0.9, 0.05, 0.6, 0.4,
    ]);
    expect(Array.from(regrouped.labels)).toEqual([0, 0, 1, 0, 1, 0, 1, 0]);
  });
});

describe('withChargesAbsent', () => {
  it('drops the matching line items of some budgets and keeps every other item and label', () => {
    const set = twoRequests();

    // Each request draws its share (0.999 of maxShare 1), then each budget a number under it.
    const draws = [0.999, 0, 0, 0.999, 0];
    const none = withChargesAbsent(set, { next: () => draws.shift() } as unknown as Random, 1);
    // A share of 0: nothing is dropped.
    const all = withChargesAbsent(set, { next: () => 0.999 } as unknown as Random, 0);

    expect(none.shapes).toEqual([
      { budgets: 2, items: 1 },
      { budgets: 1, items: 1 },
    ]);
    expect(Array.from(none.labels)).toEqual([0, 0, 0]);
    expect(all).toEqual(regroupItems(set, (_b, items) => [Array.from({ length: items }, (_, i) => i)]));
  });

  it('draws for each budget on its own: one budget of a request can lose its charge while another keeps it', () => {
    // The first request draws its share (0.6), then budget 0 draws 0.9 (keeps) and budget 1 draws
    // 0.1 (loses item 2); the second request draws a share of 0 and keeps everything.
    const draws = [0.6, 0.9, 0.1, 0, 0.5];

    const absent = withChargesAbsent(twoRequests(), { next: () => draws.shift() } as unknown as Random, 1);

    expect(absent.shapes).toEqual([
      { budgets: 2, items: 2 },
      { budgets: 1, items: 2 },
    ]);
    expect(Array.from(absent.labels)).toEqual([0, 1, 0, 0, 1, 0]);
  });

  it('at a share drawn from [0, 0.5] drops about a quarter of the charges of generated requests', () => {
    const rows = pairRows(generatePairs({ seed: 5, users: 60 }));
    const set = scoredRequests(new Float32Array(rows.rows), rows);

    const absent = withChargesAbsent(set, new Random(11), 0.5);

    const share = 1 - absent.labels.reduce((a, b) => a + b, 0) / rows.positives;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.35);
  });
});

describe('splitByItems and concatScored', () => {
  it('deal every line item into one of the pieces, and join two sets in order', () => {
    const set = twoRequests();

    const pieces = splitByItems(set, new Random(4), 2);
    const both = concatScored(set, pieces);

    expect(pieces.labels.reduce((a, b) => a + b, 0)).toBe(3);
    expect(pieces.scores.length).toBe(set.scores.length);
    expect(pieces.shapes.reduce((n, s) => n + s.budgets * s.items, 0)).toBe(8);
    // Every piece keeps every budget of its request: 2 budgets' pieces first, then 1 budget's.
    const budgetsOf = pieces.shapes.map((s) => s.budgets);
    expect(budgetsOf.filter((b) => b === 2).length + budgetsOf.filter((b) => b === 1).length).toBe(
      budgetsOf.length,
    );
    expect(pieces.shapes.filter((s) => s.budgets === 2).reduce((n, s) => n + s.items, 0)).toBe(3);
    expect(pieces.shapes.filter((s) => s.budgets === 1).reduce((n, s) => n + s.items, 0)).toBe(2);
    expect(both.shapes).toEqual([...set.shapes, ...pieces.shapes]);
    expect(Array.from(both.labels)).toEqual([...set.labels, ...pieces.labels]);
  });
});
