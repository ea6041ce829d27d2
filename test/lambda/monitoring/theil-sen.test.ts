import { theilSen } from '../../../lambda/monitoring/theil-sen';

describe('theilSen', () => {
  it('fits an exact line exactly, with an interval around its slope', () => {
    const points = Array.from({ length: 10 }, (_, x) => ({ x, y: 0.9 - 0.01 * x }));

    const fit = theilSen(points, 0.95);

    expect(fit?.slope).toBeCloseTo(-0.01, 12);
    expect(fit?.intercept).toBeCloseTo(0.9, 12);
    expect(fit?.low).toBeCloseTo(-0.01, 12);
    expect(fit?.high).toBeCloseTo(-0.01, 12);
    // S = −45 of a possible 45: z = (45 − 1) / sqrt(10·9·25/18) = 44 / 11.18 = 3.94.
    expect(fit?.pValue).toBeLessThan(0.001);
  });

  it('is not moved by a wild point, where least squares would be', () => {
    const points = Array.from({ length: 11 }, (_, x) => ({ x, y: x === 10 ? 0 : 0.9 }));

    expect(theilSen(points)?.slope).toBe(0);
  });

  it('gives an interval that contains 0 and a large p-value on alternating values', () => {
    const points = Array.from({ length: 20 }, (_, x) => ({ x, y: x % 2 === 0 ? 0.88 : 0.92 }));

    const fit = theilSen(points, 0.99);

    expect(fit?.low).toBeLessThanOrEqual(0);
    expect(fit?.high).toBeGreaterThanOrEqual(0);
    expect(fit?.pValue).toBeGreaterThan(0.5);
  });

  it('needs three points at two x at least', () => {
    expect(
      theilSen([
        { x: 0, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeUndefined();
    expect(
      theilSen([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
        { x: 1, y: 3 },
      ]),
    ).toBeUndefined();
  });
});
