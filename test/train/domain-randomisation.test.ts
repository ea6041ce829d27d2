import {
  gamma,
  randomiseGenerator,
  STRESS_RANDOMISATION,
  sliceCentre,
  TRAINING_RANDOMISATION,
} from '../../train/domain-randomisation';
import { SLICE_NAMES, TEST_GENERATOR, TRAINING_GENERATOR } from '../../train/eval-config';
import { Random } from '../../train/random';

const draws = (n: number, seed: number) => {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => randomiseGenerator(TRAINING_GENERATOR, rng, TRAINING_RANDOMISATION));
};

describe('randomiseGenerator', () => {
  it('gives every user slice shares that sum to 1, and different users different shares', () => {
    const configs = draws(200, 1);

    for (const c of configs) {
      const total = SLICE_NAMES.reduce((sum, s) => sum + c.sliceShares[s], 0);
      expect(total).toBeCloseTo(1, 9);
      expect(SLICE_NAMES.every((s) => c.sliceShares[s] >= 0)).toBe(true);
    }
    expect(new Set(configs.map((c) => c.sliceShares.clean)).size).toBe(200);
  });

  it("centres a training user's shares on the training shares", () => {
    const configs = draws(4000, 2);

    const centre = sliceCentre(TRAINING_GENERATOR, TRAINING_RANDOMISATION);
    for (const s of SLICE_NAMES) {
      const mean = configs.reduce((sum, c) => sum + c.sliceShares[s], 0) / configs.length;
      expect(mean).toBeCloseTo(centre[s], 2);
      expect(centre[s]).toBeCloseTo(TRAINING_GENERATOR.sliceShares[s], 9);
    }
  });

  it('centres the stress set half-way to equal shares, then moves half of the clean share to the others', () => {
    const centre = sliceCentre(TRAINING_GENERATOR, STRESS_RANDOMISATION);

    const hedged = (s: (typeof SLICE_NAMES)[number]) =>
      (TRAINING_GENERATOR.sliceShares[s] + 1 / SLICE_NAMES.length) / 2;
    expect(centre.clean).toBeCloseTo(hedged('clean') / 2, 9);
    expect(SLICE_NAMES.reduce((sum, s) => sum + centre[s], 0)).toBeCloseTo(1, 9);
    expect(centre.misfiled_category / centre.missing_field).toBeCloseTo(
      hedged('misfiled_category') / hedged('missing_field'),
      9,
    );
  });

  it('scales field damage within its range, one factor per user', () => {
    const configs = draws(500, 3);

    const scales = configs.map((c) => c.messRates.nulls / TRAINING_GENERATOR.messRates.nulls);
    expect(Math.min(...scales)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...scales)).toBeLessThanOrEqual(4);
    expect(Math.min(...scales)).toBeLessThan(0.6);
    expect(Math.max(...scales)).toBeGreaterThan(3.5);
    for (const c of configs) {
      const scale = c.messRates.absent / TRAINING_GENERATOR.messRates.absent;
      expect(c.messRates.wrongType / TRAINING_GENERATOR.messRates.wrongType).toBeCloseTo(scale, 9);
    }
  });

  it('never adds a brand set or descriptor style the base configuration does not use', () => {
    const configs = draws(300, 4);

    for (const c of configs) {
      expect(c.brands).toBe('training');
      expect(Object.keys(c.plainDescriptors).sort()).toEqual(
        Object.keys(TRAINING_GENERATOR.plainDescriptors).sort(),
      );
      expect(Object.keys(c.noisyDescriptors).sort()).toEqual(
        Object.keys(TRAINING_GENERATOR.noisyDescriptors).sort(),
      );
      expect(c.plainDescriptors.processor).toBeUndefined();
      expect(c.plainDescriptors['title-location']).toBeUndefined();
    }
    expect(Object.keys(TEST_GENERATOR.plainDescriptors)).toContain('processor');
  });

  it('draws the stress set from the hard end: more damage and less of the clean slice', () => {
    const rng = new Random(5);
    const stress = Array.from({ length: 500 }, () =>
      randomiseGenerator(TRAINING_GENERATOR, rng, STRESS_RANDOMISATION),
    );
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

    const scales = stress.map((c) => c.messRates.nulls / TRAINING_GENERATOR.messRates.nulls);
    expect(Math.min(...scales)).toBeGreaterThanOrEqual(Math.sqrt(2) - 1e-9);
    expect(mean(stress.map((c) => c.sliceShares.clean))).toBeLessThan(
      mean(draws(500, 6).map((c) => c.sliceShares.clean)) * 0.6,
    );
  });
});

describe('gamma', () => {
  it.each([0.4, 1, 2.5, 8])('has mean and variance equal to its shape (%p)', (shape) => {
    const rng = new Random(7);
    const xs = Array.from({ length: 20_000 }, () => gamma(rng, shape));

    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;

    expect(xs.every((x) => x > 0 && Number.isFinite(x))).toBe(true);
    expect(mean / shape).toBeCloseTo(1, 1);
    expect(variance / shape).toBeGreaterThan(0.85);
    expect(variance / shape).toBeLessThan(1.15);
  });
});
