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

  it("compares a pair with the same budget's best other line item", () => {
    // Budget 0: 0.5 against 0.2 is logit 0 − logit 0.2 = ln 4, so sigmoid gives 0.8; 0.2 against 0.5 gives 0.2.
    // Budget 1: two equal scores, each against the other: 0.5.
    const scores = matrix([
      [0.5, 0.2],
      [0.5, 0.5],
    ]);

    applyReciprocalStage(scores, 2, 2, stage({ vs_other_items: 1 }));

    expect(Array.from(scores).map((s) => Number(s.toFixed(6)))).toEqual([0.8, 0.2, 0.5, 0.5]);
  });

  it("compares a pair with the same item's best other budget", () => {
    // Item 0 scores 0.5 against both budgets: 0.5 each. Item 1: 0.2 against budget 0, 0.5 against budget 1.
    const scores = matrix([
      [0.5, 0.2],
      [0.5, 0.5],
    ]);

    applyReciprocalStage(scores, 2, 2, stage({ vs_other_budgets: 1 }));

    expect(Array.from(scores).map((s) => Number(s.toFixed(6)))).toEqual([0.5, 0.2, 0.5, 0.8]);
  });

  it(`counts a missing competitor, or one under ${COMPETITOR_FLOOR}, as scoring ${COMPETITOR_FLOOR}`, () => {
    const floorLogit = Math.log(COMPETITOR_FLOOR / (1 - COMPETITOR_FLOOR));
    const weights = stage({ vs_other_items: 1, vs_other_budgets: 1 });
    const lone = matrix([[0.5]]);
    const weakRivals = matrix([
      [0.5, 0.01],
      [0.03, 0],
    ]);

    applyReciprocalStage(lone, 1, 1, weights);
    applyReciprocalStage(weakRivals, 2, 2, weights);

    // z = 2 × (logit 0.5 − logit 0.05) = 2 × 2.944.
    expect(lone[0]).toBeCloseTo(1 / (1 + Math.exp(2 * floorLogit)), 6);
    expect(weakRivals[0]).toBe(lone[0]);
  });

  it('leaves a score that is not finite as it is, and never lets it be a competitor', () => {
    const withNaN = matrix([
      [0.6, Number.NaN],
      [0.3, 0.9],
    ]);
    const withZero = matrix([
      [0.6, 0],
      [0.3, 0.9],
    ]);
    const weights = stage({ bias: -0.5, logit: 0.8, vs_other_budgets: 0.4, vs_other_items: 0.6 });

    applyReciprocalStage(withNaN, 2, 2, weights);
    applyReciprocalStage(withZero, 2, 2, weights);

    expect(withNaN[1]).toBeNaN();
    for (const r of [0, 2, 3]) expect(withNaN[r]).toBe(withZero[r]);
    expect(Array.from(withNaN).filter(Number.isFinite)).toHaveLength(3);
  });

  it('refuses a shape larger than the scores', () => {
    expect(() => applyReciprocalStage(new Float32Array(3), 2, 2, stage({ logit: 1 }))).toThrow(RangeError);
  });

  it('is the same function of each pair whatever order the budgets and items come in (property)', () => {
    const probability = fc.float({ min: Math.fround(0.001), max: Math.fround(0.999), noNaN: true });
    const weight = fc.double({ min: -4, max: 4, noNaN: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((budgets) =>
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
        ),
        ({ budgets, items, scores, budgetOrder, itemOrder, weights }) => {
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
        },
      ),
      propertyParameters(200),
    );
  });
});

describe('stageInputs', () => {
  it("gives each pair's logit and its margins over the best other budget and the best other item", () => {
    const scores = matrix([
      [0.5, 0.2],
      [0.8, 0.5],
    ]);
    const out = new Float64Array(4 * 3);

    stageInputs(scores, 2, 2, out);

    const logit = (p: number) => Math.log(p / (1 - p));
    // Pair (budget 0, item 0): logit 0; its item's other budget scores 0.8; its budget's other item 0.2.
    expect(out[0]).toBeCloseTo(0, 6);
    expect(out[1]).toBeCloseTo(0 - logit(0.8), 6);
    expect(out[2]).toBeCloseTo(0 - logit(0.2), 6);
    // Pair (budget 1, item 0): 0.8 against 0.5 (budget 0) and 0.5 (item 1).
    expect(out[6]).toBeCloseTo(logit(0.8), 6);
    expect(out[7]).toBeCloseTo(logit(0.8), 6);
    expect(out[8]).toBeCloseTo(logit(0.8), 6);
  });

  it('are the inputs applyReciprocalStage weighs: the same scores from both', () => {
    const scores = matrix([
      [0.7, 0.2, 0.05],
      [0.1, 0.6, 0.65],
    ]);
    const weights = { bias: -1.2, logit: 0.7, vs_other_budgets: 0.3, vs_other_items: 0.45 };
    const inputs = new Float64Array(6 * 3);
    stageInputs(scores, 2, 3, inputs);

    const staged = applyReciprocalStage(Float32Array.from(scores), 2, 3, stage(weights));

    for (let r = 0; r < 6; r++) {
      const z =
        weights.bias +
        weights.logit * (inputs[r * 3] as number) +
        weights.vs_other_budgets * (inputs[r * 3 + 1] as number) +
        weights.vs_other_items * (inputs[r * 3 + 2] as number);
      expect(staged[r]).toBeCloseTo(1 / (1 + Math.exp(-z)), 6);
    }
  });
});

describe('withReciprocalStage', () => {
  const network = (features: Float32Array) => Float32Array.from(features);

  it('is the score function itself for a model without a stage', () => {
    expect(withReciprocalStage(network, undefined)).toBe(network);
  });

  it("applies the stage to the score function's output over the request's budgets × items", () => {
    const scored = withReciprocalStage(network, stage({ vs_other_items: 1 }))(
      Float32Array.of(0.5, 0.2),
      2,
      2,
    );

    expect(Array.from(scored).map((s) => Number(s.toFixed(6)))).toEqual([0.8, 0.2]);
  });

  it('needs the number of items, since the stage reads the whole request', () => {
    expect(() => withReciprocalStage(network, stage({ logit: 1 }))(Float32Array.of(0.5), 1)).toThrow(
      /number of items/,
    );
  });
});
