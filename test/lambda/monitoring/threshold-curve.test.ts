import { bestF1, meetsPrecision, thresholdCurves } from '../../../lambda/monitoring';
import {
  insertLabels,
  insertQualityFixture,
  insertResults,
  monitoringTargets,
  type TestDatabase,
} from '../../helpers/monitoring-database';

describe.each(monitoringTargets())('threshold_curve on %s', (_name, open) => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await open('threshold_curve');
    await insertQualityFixture(target.db, '2025-03-01', '2025-03-02');
    // vx: scores whose product with 100 rounds below the whole number (0.29 × 100 = 28.999…).
    await insertResults(target.db, [
      {
        budget_id: 'x',
        itemization_id: 'm',
        score: 0.29,
        model_version: 'vx',
        role: 'shadow',
        scored_at: '2025-03-01T12:00:00Z',
      },
      {
        budget_id: 'x',
        itemization_id: 'n',
        score: 0.57,
        model_version: 'vx',
        role: 'shadow',
        scored_at: '2025-03-01T12:00:00Z',
      },
    ]);
    await insertLabels(target.db, [
      ['x', 'm', true],
      ['x', 'n', false],
    ]);
  });
  afterAll(() => target.dispose());

  it('counts v1’s latest labelled scores at every threshold, its own threshold and the best ones', async () => {
    // v1's nine labelled pairs at their latest score: matches 0.9, 0.3, 1.0, 0.24, 0.9 (5);
    // non-matches 0.7, 0.1, 0.3, 0.1 (4).
    const curves = await thresholdCurves(target.db, { targetPrecision: 0.75 });
    const v1 = curves.find((c) => c.modelVersion === 'v1');
    const at = (t: number) => v1?.points.find((p) => Math.abs(p.threshold - t) < 1e-9);

    expect(curves.map((c) => [c.modelVersion, c.role, c.points.length])).toEqual([
      ['v1', 'live', 101],
      ['v2', 'shadow', 101],
      ['v3', 'shadow', 101],
      ['vx', 'shadow', 101],
    ]);
    expect(at(0)).toMatchObject({ tp: 5, fp: 4, fn: 0, tn: 0, recall: 1 });
    // ≥ 0.3 keeps both 0.3s (the comparison is exact, as the service's is).
    expect(at(0.3)).toMatchObject({ tp: 4, fp: 2, fn: 1, tn: 2 });
    expect(at(0.5)).toMatchObject({ tp: 3, fp: 1, fn: 2, tn: 3, precision: 0.75, recall: 0.6 });
    expect(at(1)).toMatchObject({ tp: 1, fp: 0, precision: 1, recall: 0.2 });
    // Own threshold: 0.5 on most rows (b2/i2 was scored at 0.25); the recorded decisions give
    // tp 3 (b1/i1, b1/i5, b2/i1), fp 2 (b1/i2, b2/i2 at 0.25), fn 2, tn 2.
    expect(v1?.modelThreshold).toBe(0.5);
    expect(v1?.atModelThreshold).toMatchObject({ tp: 3, fp: 2, fn: 2, tn: 2, precision: 0.6 });
    // F1 is highest, 2·5 / (2·5 + 2) = 0.833, from 0.11 to 0.24: the lowest is given.
    expect(v1?.bestF1).toMatchObject({ threshold: 0.11, tp: 5, fp: 2, f1: expect.closeTo(10 / 12, 12) });
    // Precision reaches 0.75 first at 0.31 (3 of 4).
    expect(v1?.meetsPrecision).toMatchObject({ threshold: 0.31, precision: 0.75, recall: 0.6 });
  });

  it('decides score ≥ threshold exactly where the product with the grid rounds down', async () => {
    const vx = (await thresholdCurves(target.db)).find((c) => c.modelVersion === 'vx');
    const at = (t: number) => vx?.points.find((p) => Math.abs(p.threshold - t) < 1e-9);

    expect([at(0.29)?.tp, at(0.3)?.tp, at(0.57)?.fp, at(0.58)?.fp]).toEqual([1, 0, 1, 0]);
  });

  it('bounds the days and leaves undefined figures NULL', async () => {
    const day2 = await thresholdCurves(target.db, { from: '2025-03-02', to: '2025-03-02', steps: 4 });

    expect(day2.map((c) => c.modelVersion)).toEqual(['v1', 'v3']);
    // v3 scored one non-match 0.1: nothing is a true match, so recall is undefined throughout.
    expect(day2[1]?.points.map((p) => [p.threshold, p.fp, p.precision, p.recall])).toEqual([
      [0, 1, 0, null],
      [0.25, 0, null, null],
      [0.5, 0, null, null],
      [0.75, 0, null, null],
      [1, 0, null, null],
    ]);
    await expect(thresholdCurves(target.db, { steps: 0 })).rejects.toThrow('steps: 0');
  });
});

describe('bestF1 and meetsPrecision', () => {
  const point = (threshold: number, precision: number | null, f1: number | null) => ({
    threshold,
    tp: 0,
    fp: 0,
    fn: 0,
    tn: 0,
    precision,
    recall: null,
    f1,
  });

  it('pick the lowest threshold on a tie, and nothing when no point qualifies', () => {
    const points = [
      point(0.1, 0.5, 0.6),
      point(0.2, 0.9, 0.7),
      point(0.3, 0.95, 0.7),
      point(0.4, null, null),
    ];

    expect(bestF1(points)?.threshold).toBe(0.2);
    expect(meetsPrecision(points, 0.9)?.threshold).toBe(0.2);
    expect(meetsPrecision(points, 0.99)).toBeUndefined();
    expect(bestF1([point(0.1, null, null)])).toBeUndefined();
  });
});
