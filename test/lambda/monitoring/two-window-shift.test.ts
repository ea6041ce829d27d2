import { twoWindowShift } from '../../../lambda/monitoring/two-window-shift';

describe('twoWindowShift', () => {
  it('finds recent values all below the reference ones, with the medians’ difference', () => {
    const shift = twoWindowShift(
      [0.8, 0.81, 0.79, 0.78, 0.82],
      [0.9, 0.91, 0.89, 0.93, 0.92, 0.94, 0.88, 0.95, 0.96, 0.87],
    );

    expect(shift?.shift).toBeCloseTo(0.8 - 0.915, 12);
    // Medians 0.8 and (0.91 + 0.92) / 2. U = 0 (every recent value below every reference one, no ties): z = −25 / sqrt(5·10·16/12) = −3.06.
    expect(shift?.z).toBeCloseTo(-3.06, 2);
    expect(shift?.pValue).toBeLessThan(0.003);
  });

  it('sees no shift between two windows of the same values', () => {
    const shift = twoWindowShift([0.9, 0.8, 0.85], [0.8, 0.85, 0.9, 0.8, 0.85, 0.9]);

    expect(shift?.z).toBe(0);
    expect(shift?.pValue).toBeCloseTo(1, 6);
  });

  it('is not moved by one wild value', () => {
    const quiet = twoWindowShift([0.9, 0.91, 0.89, 0.9], [0.9, 0.91, 0.89, 0.9, 0.9, 0.91, 0.89, 0.9]);
    const wild = twoWindowShift([0.9, 0.91, 0.89, 0.1], [0.9, 0.91, 0.89, 0.9, 0.9, 0.91, 0.89, 0.9]);

    expect(wild?.pValue).toBeGreaterThan(0.1);
    expect(Math.abs(wild?.shift ?? 1)).toBeLessThan(0.01);
    expect(quiet?.pValue).toBeGreaterThan(0.5);
  });

  it('needs both windows', () => {
    expect(twoWindowShift([], [1])).toBeUndefined();
    expect(twoWindowShift([1], [])).toBeUndefined();
  });
});
