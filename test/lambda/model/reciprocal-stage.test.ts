import fc from 'fast-check';
import {
  applyReciprocalStage,
  COMPETITOR_FLOOR,
  RECIPROCAL_STAGE_VERSION,
  type ReciprocalStage,
  type ReciprocalWeights,
  stageInputs,
  withReciprocalStage,
} from '../../../lambda/model/reciprocal-stage';
import { propertyParameters } from '../../helpers/property-runs';

const stage = (weights: Partial<ReciprocalWeights>): ReciprocalStage => ({
  version: RECIPROCAL_STAGE_VERSION,
  weights: { bias: 0, logit: 0, vs_other_budgets: 0, vs_other_items: 0, ...weights },
});

/** Scores of `budgets` rows of `items` each (budgets outer), as a Float32Array. */
const matrix = (rows: number[][]) => Float32Array.from(rows.flat());
const rounded = (scores: Float32Array) => Array.from(scores, (s) => Number(s.toFixed(6)));
const logit = (p: number) => Math.log(p / (1 - p));

describe('applyReciprocalStage', () => {
  it('with the logit weight alone gives back the network score', () => {
    const scores = matrix([
      [0.9, 0.1, 0.4],
      [0.3, 0.7, 0.05],
    ]);
    const before = Array.from(scores);

    applyReciprocalStage(scores, 2, 3, stage({ logit: 1 }));

    for (const [r, s] of Array.from(scores).entries()) expect(s).toBeCloseTo(before[r] as number, 6);
  });

  it("lowers a pair that another line item of its budget outranks, by how far, and leaves the budget's best", () => {
    // Budget 0: 0.2 is outranked by 0.5: z = logit 0.2 + (logit 0.2 − logit 0.5) = −2 ln 4, so 1/17.
    // Budget 1: two equal scores: neither outranks the other.
    const scores = matrix([
      [0.5, 0.2],
      [0.5, 0.5],
    ]);

    applyReciprocalStage(scores, 2, 2, stage({ logit: 1, vs_other_items: 1 }));

    expect(rounded(scores)).toEqual([0.5, Number((1 / 17).toFixed(6)), 0.5, 0.5]);
  });

  it('lowers a pair that another budget outranks for the same line item', () => {
    // Item 1 scores 0.2 against budget 0 and 0.5 against budget 1: only the first pair is outranked.
    const scores = matrix([
      [0.5, 0.2],
      [0.5, 0.5],
    ]);

    applyReciprocalStage(scores, 2, 2, stage({ logit: 1, vs_other_budgets: 1 }));

    expect(rounded(scores)).toEqual([0.5, Number((1 / 17).toFixed(6)), 0.5, 0.5]);
  });

  it(`counts a missing competitor, or one under ${COMPETITOR_FLOOR}, as scoring ${COMPETITOR_FLOOR}`, () => {
    const weights = stage({ logit: 1, vs_other_items: 1, vs_other_budgets: 1 });
    const lone = matrix([[0.01]]);
    const weakRivals = matrix([
      [0.01, 0.03],
      [0.02, 0],
    ]);

    applyReciprocalStage(lone, 1, 1, weights);
    applyReciprocalStage(weakRivals, 2, 2, weights);

    // 0.01 is outranked by the floor on both sides: z = logit 0.01 + 2 (logit 0.01 − logit 0.05).
    const z = 3 * logit(0.01) - 2 * logit(COMPETITOR_FLOOR);
    expect(lone[0]).toBeCloseTo(1 / (1 + Math.exp(-z)), 6);
    expect(weakRivals[0]).toBe(lone[0]);
  });

  it('leaves a score that is not finite as it is, and never lets it be a competitor (NaN or infinite)', () => {
    const weights = stage({ bias: -0.5, logit: 0.8, vs_other_budgets: 0.4, vs_other_items: 0.6 });
    const alone = matrix([[0.6], [0.3]]);
    applyReciprocalStage(alone, 2, 1, weights);

    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const scores = matrix([
        [0.6, bad],
        [0.3, 0.001],
      ]);
      applyReciprocalStage(scores, 2, 2, weights);
      expect(scores[1]).toBe(Math.fround(bad));
      // Pair (0, 0) is outranked by nothing finite: as if the bad pair were not there.
      expect(scores[0]).toBe(alone[0]);
    }
  });

  it('refuses a shape its scores do not hold, or that is not whole budgets and items', () => {
    expect(() => applyReciprocalStage(new Float32Array(3), 2, 2, stage({ logit: 1 }))).toThrow(RangeError);
    expect(() => applyReciprocalStage(new Float32Array(5), 2.5, 2, stage({ logit: 1 }))).toThrow(RangeError);
  });

  it('answers an empty request (no budgets or no items) with nothing changed', () => {
    expect(applyReciprocalStage(new Float32Array(0), 0, 3, stage({ logit: 1 }))).toHaveLength(0);
    expect(applyReciprocalStage(new Float32Array(0), 2, 0, stage({ logit: 1 }))).toHaveLength(0);
  });

  describe('properties', () => {
    const probability = fc.float({ min: 0, max: Math.fround(0.999), noNaN: true });
    const weight = fc.double({ min: -4, max: 4, noNaN: true });
    const request = fc.integer({ min: 1, max: 5 }).chain((budgets) =>
      fc.integer({ min: 1, max: 6 }).chain((items) =>
        fc.record({
          budgets: fc.constant(budgets),
          items: fc.constant(items),
          scores: fc.array(probability, { minLength: budgets * items, maxLength: budgets * items }),
          budgetOrder: fc.shuffledSubarray([...Array(budgets).keys()], { minLength: budgets }),
          itemOrder: fc.shuffledSubarray([...Array(items).keys()], { minLength: items }),
          weights: fc.record({
            bias: weight,
            logit: weight,
            vs_other_budgets: weight,
            vs_other_items: weight,
          }),
        }),
      ),
    );

    it('is the same function of each pair whatever order the budgets and items come in, in [0, 1]', () => {
      fc.assert(
        fc.property(request, ({ budgets, items, scores, budgetOrder, itemOrder, weights }) => {
          const original = Float32Array.from(scores);
          const permuted = new Float32Array(budgets * items);
          budgetOrder.forEach((b, nb) => {
            itemOrder.forEach((i, ni) => {
              permuted[nb * items + ni] = original[b * items + i] as number;
            });
          });

          applyReciprocalStage(original, budgets, items, stage(weights));
          applyReciprocalStage(permuted, budgets, items, stage(weights));

          budgetOrder.forEach((b, nb) => {
            itemOrder.forEach((i, ni) => {
              const s = permuted[nb * items + ni] as number;
              expect(s).toBe(original[b * items + i]);
              expect(s >= 0 && s <= 1).toBe(true);
            });
          });
        }),
        propertyParameters(200),
      );
    });

    it('never raises a pair when another pair rises (with the fitted signs: margin weights >= 0)', () => {
      fc.assert(
        fc.property(
          request,
          fc.integer({ min: 0, max: 29 }),
          fc.float({ min: 0, max: 1, noNaN: true }),
          (r, at, rise) => {
            const weights = {
              ...r.weights,
              vs_other_budgets: Math.abs(r.weights.vs_other_budgets),
              vs_other_items: Math.abs(r.weights.vs_other_items),
            };
            const n = r.budgets * r.items;
            const k = at % n;
            const before = Float32Array.from(r.scores);
            const after = Float32Array.from(r.scores);
            after[k] = Math.max(after[k] as number, Math.fround(rise * 0.999));

            applyReciprocalStage(before, r.budgets, r.items, stage(weights));
            applyReciprocalStage(after, r.budgets, r.items, stage(weights));

            for (let p = 0; p < n; p++)
              if (p !== k) expect(after[p]).toBeLessThanOrEqual(before[p] as number);
          },
        ),
        propertyParameters(200),
      );
    });
  });
});

describe('stageInputs', () => {
  it("gives each pair's logit and how far the best other budget and the best other item outrank it", () => {
    const scores = matrix([
      [0.5, 0.2],
      [0.8, 0.5],
    ]);
    const out = new Float64Array(4 * 3);

    stageInputs(scores, 2, 2, out);

    // Pair (budget 0, item 0): logit 0; outranked by 0.8 (budget 1), not by 0.2 (item 1).
    expect(Array.from(out.subarray(0, 3), (x) => Number(x.toFixed(6)))).toEqual([
      0,
      Number((-logit(0.8)).toFixed(6)),
      0,
    ]);
    // Pair (budget 1, item 0): 0.8 outranks 0.5 (budget 0) and 0.5 (item 1): no margins.
    expect(Array.from(out.subarray(6, 9), (x) => Number(x.toFixed(6)))).toEqual([
      Number(logit(0.8).toFixed(6)),
      0,
      0,
    ]);
  });

  it('are the inputs applyReciprocalStage weighs, low scores, zeros and ties included', () => {
    const scores = matrix([
      [0.7, 0.02, 0, 0.3],
      [0.001, 0.6, 0.04, 0.3],
      [0.2, 0.2, 0.9, 0],
    ]);
    const weights = { bias: -1.2, logit: 0.7, vs_other_budgets: 0.3, vs_other_items: 0.45 };
    const inputs = new Float64Array(12 * 3);
    stageInputs(scores, 3, 4, inputs);

    const staged = applyReciprocalStage(Float32Array.from(scores), 3, 4, stage(weights));

    for (let r = 0; r < 12; r++) {
      const z =
        weights.bias +
        weights.logit * (inputs[r * 3] as number) +
        weights.vs_other_budgets * (inputs[r * 3 + 1] as number) +
        weights.vs_other_items * (inputs[r * 3 + 2] as number);
      expect([r, staged[r]]).toEqual([r, Math.fround(1 / (1 + Math.exp(-z)))]);
    }
  });
});

describe('withReciprocalStage', () => {
  const network = (features: Float32Array) => Float32Array.from(features);

  it('is the score function itself for a model without a stage', () => {
    expect(withReciprocalStage(network, undefined)).toBe(network);
  });

  it("applies the stage to the score function's output over the request's budgets × items", () => {
    const scored = withReciprocalStage(network, stage({ logit: 1, vs_other_items: 1 }))(
      Float32Array.of(0.5, 0.2),
      2,
      2,
    );

    expect(rounded(scored)).toEqual([0.5, Number((1 / 17).toFixed(6))]);
  });

  it('needs the number of items, since the stage reads the whole request', () => {
    expect(() => withReciprocalStage(network, stage({ logit: 1 }))(Float32Array.of(0.5), 1)).toThrow(
      /number of items/,
    );
  });
});
