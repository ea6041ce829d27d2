import type { Queryable } from '../db';
import { type DailyQuality, type DayRange, dailyQuality } from './daily-quality';
import { addDays, type Day } from './sql-values';
import { theilSen } from './theil-sen';
import { twoWindowShift } from './two-window-shift';

/**
 * How the trend and shift detectors judge a day (each looks back from the day, the day included).
 * The defaults hold the false-alarm rate on pure noise under 1 flag per 100 days
 * (`npm run bench:detectors` measures it).
 */
export interface ShiftOptions {
  /** Calendar days the Theil–Sen trend is fitted over. @default 35 */
  readonly trendDays: number;
  /** Confidence of the slope's interval; a trend is flagged when it excludes 0. @default 0.999 */
  readonly trendConfidence: number;
  /** Values the trend window needs before a day is judged. @default 14 */
  readonly minTrendPoints: number;
  /** Smallest change over the trend window worth a flag (|slope| × trendDays). @default 0.04 */
  readonly minTrendChange: number;
  /** Recent calendar days compared with the reference days before them. @default 14 */
  readonly recentDays: number;
  /** Reference calendar days, just before the recent ones. @default 28 */
  readonly referenceDays: number;
  /** Two-sided p-value under which the windows differ. @default 0.0005 */
  readonly shiftAlpha: number;
  /** Smallest difference of the two windows' medians worth a flag. @default 0.02 */
  readonly minShift: number;
  /** Values each window needs: recent, reference. @default [7, 14] */
  readonly minShiftPoints: readonly [number, number];
}

export const DEFAULT_SHIFT_OPTIONS: ShiftOptions = {
  trendDays: 35,
  trendConfidence: 0.999,
  minTrendPoints: 14,
  minTrendChange: 0.04,
  recentDays: 14,
  referenceDays: 28,
  shiftAlpha: 0.0005,
  minShift: 0.02,
  minShiftPoints: [7, 14],
};

/** One figure's robust trend and level shift on one day. */
export interface FigureShift {
  /** Theil–Sen slope per day over the trend window; `null` when it cannot be fitted. */
  readonly slope: number | null;
  /** The slope's confidence interval. */
  readonly slopeLow: number | null;
  readonly slopeHigh: number | null;
  /** Mann–Kendall p-value of "no trend". */
  readonly trendPValue: number | null;
  /** The interval excludes 0 and the change over the window is at least minTrendChange; `null`: not judged. */
  readonly trendFlag: boolean | null;
  /** median(recent days) − median(reference days). */
  readonly shift: number | null;
  /** Mann–Whitney p-value of "recent days like the reference days". */
  readonly shiftPValue: number | null;
  /** p below shiftAlpha and |shift| at least minShift; `null`: not judged. */
  readonly shiftFlag: boolean | null;
}

/** A day of one series: its value, `null` when undefined that day. */
export interface DayValue {
  readonly day: Day;
  readonly value: number | null;
}

/**
 * Runs the trend and the shift detector on every day of one series (one figure of one version),
 * each day judged from the values up to and including it. Days may be missing; windows are in
 * calendar days.
 */
export function detectShifts(
  series: readonly DayValue[],
  options: Partial<ShiftOptions> = {},
): Map<Day, FigureShift> {
  const o = { ...DEFAULT_SHIFT_OPTIONS, ...options };
  const known = series
    .filter((p): p is { day: Day; value: number } => p.value !== null)
    .map((p) => ({ day: p.day, x: dayNumber(p.day), y: p.value }))
    .sort((a, b) => a.x - b.x);
  const out = new Map<Day, FigureShift>();
  for (const point of series) {
    const x = dayNumber(point.day);
    const within = (from: number, to: number) => known.filter((p) => p.x > x - from && p.x <= x - to);
    const trendWindow = within(o.trendDays, 0);
    const fit =
      point.value !== null && trendWindow.length >= o.minTrendPoints
        ? theilSen(
            trendWindow.map((p) => ({ x: p.x - x, y: p.y })),
            o.trendConfidence,
          )
        : undefined;
    const recent = within(o.recentDays, 0).map((p) => p.y);
    const reference = within(o.recentDays + o.referenceDays, o.recentDays).map((p) => p.y);
    const judged =
      point.value !== null && recent.length >= o.minShiftPoints[0] && reference.length >= o.minShiftPoints[1];
    const shift = judged ? twoWindowShift(recent, reference) : undefined;
    out.set(point.day, {
      slope: fit?.slope ?? null,
      slopeLow: fit?.low ?? null,
      slopeHigh: fit?.high ?? null,
      trendPValue: fit?.pValue ?? null,
      trendFlag: fit
        ? (fit.low > 0 || fit.high < 0) && Math.abs(fit.slope) * o.trendDays >= o.minTrendChange - 1e-12
        : null,
      shift: shift?.shift ?? null,
      shiftPValue: shift?.pValue ?? null,
      shiftFlag: shift ? shift.pValue < o.shiftAlpha && Math.abs(shift.shift) >= o.minShift - 1e-12 : null,
    });
  }
  return out;
}

/** A day of one version with the trend and shift of its precision and recall. */
export interface QualityShift {
  readonly day: Day;
  readonly modelVersion: string;
  readonly precision: FigureShift;
  readonly recall: FigureShift;
}

/** Runs {@link detectShifts} on the precision and the recall of each version in `rows`. */
export function qualityShiftsOf(
  rows: readonly DailyQuality[],
  options: Partial<ShiftOptions> = {},
): QualityShift[] {
  const byVersion = new Map<string, DailyQuality[]>();
  for (const r of rows) byVersion.set(r.modelVersion, [...(byVersion.get(r.modelVersion) ?? []), r]);
  const out: QualityShift[] = [];
  for (const [modelVersion, days] of byVersion) {
    const precision = detectShifts(
      days.map((d) => ({ day: d.day, value: d.precision })),
      options,
    );
    const recall = detectShifts(
      days.map((d) => ({ day: d.day, value: d.recall })),
      options,
    );
    for (const d of days) {
      const p = precision.get(d.day);
      const r = recall.get(d.day);
      if (p && r) out.push({ day: d.day, modelVersion, precision: p, recall: r });
    }
  }
  return out.sort((a, b) =>
    a.day === b.day ? a.modelVersion.localeCompare(b.modelVersion) : a.day < b.day ? -1 : 1,
  );
}

/**
 * Reads `daily_quality` from far enough before `range` for the windows, and returns the trend and
 * shift of each version's precision and recall on the days of `range`.
 */
export async function qualityShifts(
  db: Queryable,
  options: Partial<ShiftOptions> & DayRange = {},
): Promise<QualityShift[]> {
  const o = { ...DEFAULT_SHIFT_OPTIONS, ...options };
  const lookBack = Math.max(o.trendDays, o.recentDays + o.referenceDays);
  const from = options.from === undefined ? undefined : addDays(options.from, -lookBack);
  const rows = await dailyQuality(db, { from, to: options.to });
  return qualityShiftsOf(rows, options).filter(
    (s) =>
      (options.from === undefined || s.day >= options.from) &&
      (options.to === undefined || s.day <= options.to),
  );
}

function dayNumber(day: Day): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}
