import {
  DESCRIPTOR_STYLES,
  SLICE_NAMES,
  TEST_GENERATOR,
  TEST_SET,
  TRAINING_GENERATOR,
} from '../../train/eval-config';

describe('the frozen evaluation', () => {
  it.each([TRAINING_GENERATOR, TEST_GENERATOR])(
    'gives every slice a share, summing to 1 ($name)',
    (config) => {
      const shares = SLICE_NAMES.map((s) => config.sliceShares[s]);

      const total = shares.reduce((a, b) => a + b, 0);

      expect(shares.every((s) => s > 0)).toBe(true);
      expect(total).toBeCloseTo(1, 9);
    },
  );

  it('names only styles the generator knows, and tests on another seed and configuration', () => {
    const styles = [TRAINING_GENERATOR, TEST_GENERATOR].flatMap((c) => [
      ...Object.keys(c.plainDescriptors),
      ...Object.keys(c.noisyDescriptors),
    ]);

    expect(styles.filter((s) => !(DESCRIPTOR_STYLES as readonly string[]).includes(s))).toEqual([]);
    expect(TEST_GENERATOR.name).not.toBe(TRAINING_GENERATOR.name);
    expect(TEST_SET.seed).not.toBe(20261123);
  });
});
