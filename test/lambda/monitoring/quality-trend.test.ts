import { type QualityTrend, qualityTrend } from '../../../lambda/monitoring';
import {
  describeEachMonitoringTarget,
  insertDay,
  type TestDatabase,
} from '../../helpers/monitoring-database';

/**
 * Version vt, day by day (April 2025; 10 missing), as (tp, fp, fn, tn) and the figures they give:
 *
 * | day | counts       | precision | recall |
 * |-----|--------------|-----------|--------|
 * | 1   | 4, 1, 0, 0   | 0.8       | 1      |
 * | 2   | 9, 1, 0, 0   | 0.9       | 1      |
 * | 3   | 4, 1, 0, 0   | 0.8       | 1      |
 * | 4   | 9, 1, 0, 0   | 0.9       | 1      |
 * | 5   | 4, 1, 0, 0   | 0.8       | 1      |
 * | 6   | 9, 1, 0, 0   | 0.9       | 1      |
 * | 7   | 3, 7, 0, 0   | 0.3       | 1      |  precision falls off the trend
 * | 8   | 9, 1, 0, 0   | 0.9       | 1      |
 * | 9   | 0, 0, 1, 1   | NULL      | 0      |  nothing predicted; recall falls off
 * | 11  | 9, 1, 0, 0   | 0.9       | 1      |
 *
 * Version vf has a flat history, precision 5/5 = 1 on days 1–4, then 49/50 = 0.98 on day 5.
 *
 * Options: span 3 (alpha = 2/4 = 0.5; median over the day and the 2 before), trailing window the
 * 4 days before, k 3, at least 4 values to judge, MAD floor 0.01.
 */
const COUNTS: [number, [number, number, number, number]][] = [
  [1, [4, 1, 0, 0]],
  [2, [9, 1, 0, 0]],
  [3, [4, 1, 0, 0]],
  [4, [9, 1, 0, 0]],
  [5, [4, 1, 0, 0]],
  [6, [9, 1, 0, 0]],
  [7, [3, 7, 0, 0]],
  [8, [9, 1, 0, 0]],
  [9, [0, 0, 1, 1]],
  [11, [9, 1, 0, 0]],
];
const OPTIONS = { span: 3, trailingDays: 4, k: 3, minHistory: 4, minMad: 0.01 };
const day = (n: number) => `2025-04-${String(n).padStart(2, '0')}`;

describeEachMonitoringTarget('quality_trend on %s', (_name, open) => {
  let target: TestDatabase;
  let trend: QualityTrend[];
  beforeAll(async () => {
    target = await open('quality_trend');
    for (const [n, [tp, fp, fn, tn]] of COUNTS) await insertDay(target.db, day(n), 'vt', { tp, fp, fn, tn });
    for (const n of [1, 2, 3, 4]) await insertDay(target.db, day(n), 'vf', { tp: 5, fp: 0, fn: 0, tn: 0 });
    await insertDay(target.db, day(5), 'vf', { tp: 49, fp: 1, fn: 0, tn: 0 });
    trend = (await qualityTrend(target.db, OPTIONS)).filter((r) => r.modelVersion === 'vt');
  });
  afterAll(() => target.dispose());
  const column = (pick: (row: QualityTrend) => unknown) => trend.map(pick);

  it('has one row per day with data, the figures of its counts', () => {
    expect(column((r) => r.day)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 11].map(day));
    expect(column((r) => r.precision)).toEqual([0.8, 0.9, 0.8, 0.9, 0.8, 0.9, 0.3, 0.9, null, 0.9]);
    expect(column((r) => r.recall)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 1]);
  });

  it('smooths with an EWMA seeded with the first day, skipping NULL days', () => {
    // e1 = 0.8; e(n) = 0.5·x(n) + 0.5·e(n−1): 0.85, 0.825, 0.8625, 0.83125, 0.865625,
    // 0.5·0.3 + 0.5·0.865625 = 0.5828125, 0.5·0.9 + 0.5·0.5828125 = 0.74140625; day 9 has no
    // precision and carries 0.74140625; day 11: 0.5·0.9 + 0.5·0.74140625 = 0.820703125.
    const expected = [
      0.8, 0.85, 0.825, 0.8625, 0.83125, 0.865625, 0.5828125, 0.74140625, 0.74140625, 0.820703125,
    ];
    column((r) => r.precisionTrend.ewma).forEach((e, i) => {
      expect(e).toBeCloseTo(expected[i] as number, 12);
    });
    // Recall is 1 until day 9's 0: 0.5·0 + 0.5·1 = 0.5, then 0.5·1 + 0.5·0.5 = 0.75.
    expect(column((r) => r.recallTrend.ewma)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0.5, 0.75]);
  });

  it('takes the rolling median over the span in calendar days, the day included', () => {
    // Day 2: median(0.8, 0.9) = 0.85; day 7: median(0.8, 0.9, 0.3) = 0.8; day 9: median(0.3, 0.9)
    // (its own precision is NULL) = 0.6; day 11: days 9–11 hold only its own 0.9.
    const expected = [0.8, 0.85, 0.8, 0.9, 0.8, 0.9, 0.8, 0.9, 0.6, 0.9];
    column((r) => r.precisionTrend.median).forEach((m, i) => {
      expect(m).toBeCloseTo(expected[i] as number, 12);
    });
    // Day 9: median(1, 1, 0) = 1; day 11: days 9–11 hold 0 and 1: 0.5.
    expect(column((r) => r.recallTrend.median)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5]);
  });

  it('builds each baseline from the trailing days only, counting the values it holds', () => {
    // Day 7's window is days 3–6: 0.8, 0.9, 0.8, 0.9 → median 0.85, every deviation 0.05, MAD 0.05.
    // Day 8's is days 4–7: 0.9, 0.8, 0.9, 0.3 → median 0.85, deviations 0.05 ×3 and 0.55, MAD 0.05.
    // Day 11's is days 7–10: 0.3 and 0.9 (day 9's NULL is no value) → median 0.6, MAD 0.3.
    const byDay = Object.fromEntries(trend.map((r) => [r.day, r.precisionTrend]));
    expect(column((r) => r.precisionTrend.history)).toEqual([0, 1, 2, 3, 4, 4, 4, 4, 4, 2]);
    expect(byDay[day(7)]?.baseline).toBeCloseTo(0.85, 12);
    expect(byDay[day(7)]?.mad).toBeCloseTo(0.05, 12);
    expect(byDay[day(8)]?.baseline).toBeCloseTo(0.85, 12);
    expect(byDay[day(8)]?.mad).toBeCloseTo(0.05, 12);
    expect(byDay[day(11)]?.baseline).toBeCloseTo(0.6, 12);
    expect(byDay[day(11)]?.mad).toBeCloseTo(0.3, 12);
    expect(byDay[day(1)]?.baseline).toBeNull();
  });

  it('flags the days outside median ± k·MAD, and no normal day', () => {
    // Precision, band 0.85 ± 3·0.05 = [0.7, 1.0] from day 5: days 5, 6 and 8 are inside, day 7's
    // 0.3 is out. Days 1–4 have fewer than 4 trailing values, day 9 no precision, day 11 only 2
    // trailing values: not judged (NULL).
    expect(column((r) => r.precisionTrend.flag)).toEqual([
      null,
      null,
      null,
      null,
      false,
      false,
      true,
      false,
      null,
      null,
    ]);
    // Recall: the trailing days are all 1, MAD 0, so the band is 1 ± 3·0.01 (the MAD floor): 1 is
    // inside, day 9's 0 is out; day 11 has 3 trailing values (1, 1, 0), too few to judge.
    expect(column((r) => r.recallTrend.flag)).toEqual([
      null,
      null,
      null,
      null,
      false,
      false,
      false,
      false,
      true,
      null,
    ]);
  });

  it('widens the band with k', async () => {
    // k = 12: 0.85 ± 12·0.05 = [0.25, 1.45] holds day 7's 0.3.
    const wide = await qualityTrend(target.db, { ...OPTIONS, k: 12, from: day(7), to: day(7) });

    expect(wide.map((r) => [r.day, r.modelVersion, r.precisionTrend.flag])).toEqual([[day(7), 'vt', false]]);
  });

  it('keeps a flat history from flagging a small change through the MAD floor, and only through it', async () => {
    // vf on day 5: baseline 1, MAD 0, |0.98 − 1| = 0.02. Floor 0.01: band ±0.03, not flagged;
    // floor 0: band ±0, flagged. On vt, floor 0.2 (above its MAD 0.05) widens day 7's band to
    // ±0.6, which holds |0.3 − 0.85| = 0.55.
    const flagOf = async (modelVersion: string, n: number, minMad: number) =>
      (await qualityTrend(target.db, { ...OPTIONS, minMad, from: day(n), to: day(n) })).find(
        (r) => r.modelVersion === modelVersion,
      )?.precisionTrend.flag;

    expect(await flagOf('vf', 5, 0.01)).toBe(false);
    expect(await flagOf('vf', 5, 0)).toBe(true);
    expect(await flagOf('vt', 7, 0.2)).toBe(false);
  });

  it('computes the trend from the whole history when asked for a few days', async () => {
    const lastTwo = (await qualityTrend(target.db, { ...OPTIONS, from: day(9) })).filter(
      (r) => r.modelVersion === 'vt',
    );

    expect(lastTwo.map((r) => r.day)).toEqual([day(9), day(11)]);
    expect(lastTwo[1]?.precisionTrend.ewma).toBeCloseTo(0.820703125, 12);
  });

  it('rejects options the SQL cannot use', async () => {
    await expect(qualityTrend(target.db, { span: 0 })).rejects.toThrow(/span/);
    await expect(qualityTrend(target.db, { k: -1 })).rejects.toThrow(/k/);
  });
});
