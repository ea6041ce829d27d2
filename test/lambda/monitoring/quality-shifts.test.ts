import { detectShifts, qualityShifts } from '../../../lambda/monitoring/quality-shifts';
import { monitoringTargets, type TestDatabase } from '../../helpers/monitoring-database';
import { decay, flat, insertSyntheticDays, step, syntheticDays } from '../../helpers/quality-series';

const flagged = (series: ReturnType<typeof syntheticDays>, figure: 'precision' | 'recall') => {
  const shifts = detectShifts(series.map((d) => ({ day: d.day, value: d[figure] })));
  return {
    trend: series.filter((d) => shifts.get(d.day)?.trendFlag).map((d) => series.indexOf(d)),
    shift: series.filter((d) => shifts.get(d.day)?.shiftFlag).map((d) => series.indexOf(d)),
    at: (i: number) => shifts.get(series[i]?.day ?? ''),
  };
};

describe('detectShifts on built series', () => {
  // The benchmark (bench/detectors.ts) measures the rate over 20,000 days of noise: about one
  // flag in 300 to 2,000 days; these series are as long as the step and decay ones.
  it('flags nothing on 150 days of noise alone, in either figure, for 6 seeds', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const series = syntheticDays(flat(), { days: 150, seed });

      for (const figure of ['precision', 'recall'] as const) {
        const { trend, shift } = flagged(series, figure);
        expect({ seed, figure, trend, shift }).toEqual({ seed, figure, trend: [], shift: [] });
      }
    }
  });

  it('flags a step down of 0.05 (inside the daily ±3 MAD band) within three weeks, with a negative shift', () => {
    const series = syntheticDays(step(60, 0.05), { days: 120, seed: 7 });

    const { shift, at } = flagged(series, 'recall');

    expect(shift.filter((i) => i < 60)).toEqual([]);
    const first = shift.find((i) => i >= 60);
    expect(first).toBeDefined();
    expect(first).toBeLessThan(60 + 21);
    expect(at(first ?? 0)?.shift).toBeLessThan(-0.02);
  });

  it('flags a slow decay of 0.003 a day (a day-to-day change far inside the noise) with a negative slope', () => {
    const series = syntheticDays(decay(60, 0.003), { days: 120, seed: 11 });

    const { trend, at } = flagged(series, 'recall');

    expect(trend.filter((i) => i < 60)).toEqual([]);
    const first = trend.find((i) => i >= 60);
    expect(first).toBeDefined();
    expect(first).toBeLessThan(60 + 30);
    const fit = at(first ?? 0);
    expect(fit?.slope).toBeLessThan(0);
    expect(fit?.slopeHigh).toBeLessThan(0);
  });

  it('does not judge a day without enough history, nor a day without a value', () => {
    const series = syntheticDays(flat(), { days: 50, seed: 5 }).map((d, i) => ({
      day: d.day,
      value: i === 30 ? null : d.recall,
    }));

    const shifts = detectShifts(series);

    expect(shifts.get(series[3]?.day ?? '')).toMatchObject({ trendFlag: null, shiftFlag: null, slope: null });
    expect(shifts.get(series[30]?.day ?? '')).toMatchObject({ trendFlag: null, shiftFlag: null });
    expect(shifts.get(series[45]?.day ?? '')).toMatchObject({ trendFlag: false, shiftFlag: false });
  });
});

describe.each(monitoringTargets())('qualityShifts on %s', (_name, open) => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await open('quality_shifts');
    await insertSyntheticDays(target.db, 'v1', syntheticDays(step(45, 0.08), { days: 70, seed: 3 }));
  });
  afterAll(() => target.dispose());

  it('reads the days of a range with the history before it, and flags the step', async () => {
    const shifts = await qualityShifts(target.db, { from: '2025-02-15', to: '2025-03-11' });

    expect(shifts[0]?.day).toBe('2025-02-15');
    expect(shifts.at(-1)?.day).toBe('2025-03-11');
    // The step is on 2025-02-15 (day 45); the reference window before it is full, so it is judged.
    expect(shifts[0]?.recall.shiftFlag).toBe(false);
    expect(shifts.some((s) => s.recall.shiftFlag && s.precision.shift !== null)).toBe(true);
  });
});
