import {
  applyReciprocalStage,
  RECIPROCAL_STAGE_VERSION,
  stageInputs,
} from '../../lambda/model/reciprocal-stage';
import { applyStageToRows, fitReciprocalStage, stageInputsOf } from '../../train/fit-reciprocal-stage';
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

describe('stageInputsOf and applyStageToRows', () => {
  const rows = pairRows(generatePairs({ seed: 31, users: 6 }));
  const rng = new Random(3);
  const scores = Float32Array.from({ length: rows.rows }, () => rng.next());

  it('read every request of a set on its own, as serving reads one request', () => {
    const inputs = stageInputsOf(scores, rows);
    const stage = {
      version: RECIPROCAL_STAGE_VERSION,
      weights: { bias: -0.4, logit: 0.9, vs_other_budgets: 0.2, vs_other_items: 0.5 },
    } as const;

    const staged = applyStageToRows(scores, rows, stage);

    let offset = 0;
    expect(rows.shapes.length).toBe(6);
    for (const { budgets, items } of rows.shapes) {
      const n = budgets * items;
      const own = new Float64Array(n * 3);
      stageInputs(scores.subarray(offset, offset + n), budgets, items, own);
      expect(Array.from(inputs.subarray(offset * 3, (offset + n) * 3))).toEqual(Array.from(own));
      const served = applyReciprocalStage(
        Float32Array.from(scores.subarray(offset, offset + n)),
        budgets,
        items,
        stage,
      );
      expect(Array.from(staged.subarray(offset, offset + n))).toEqual(Array.from(served));
      offset += n;
    }
    expect(offset).toBe(rows.rows);
    expect(Array.from(scores)).not.toEqual(Array.from(staged)); // a new array; the network's is kept
  });

  it('refuse scores of another set', () => {
    expect(() => stageInputsOf(scores, { ...rows, rows: rows.rows + 1 })).toThrow(/cover/);
  });
});
