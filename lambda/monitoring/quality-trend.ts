import type { Queryable } from '../db';
import {
  type DailyQuality,
  type DayRange,
  dayRangeWhere,
  QUALITY_COLUMNS,
  toDailyQuality,
} from './daily-quality';
import { booleanOrNull, numberOf, numberOrNull } from './sql-values';

/** How `quality_trend` smooths and flags (its SQL comment defines each). */
export interface TrendOptions {
  /** EWMA span (alpha = 2 / (span + 1)) and rolling-median window in days. @default 7 */
  readonly span: number;
  /** Days before each day whose values form its baseline (median and MAD). @default 14 */
  readonly trailingDays: number;
  /** Half-width of the band in MADs. @default 3 */
  readonly k: number;
  /** Values the trailing window needs before a day is judged. @default 5 */
  readonly minHistory: number;
  /** Floor under the MAD, so a flat history does not flag every change. @default 0.01 */
  readonly minMad: number;
}

export const DEFAULT_TREND_OPTIONS: TrendOptions = {
  span: 7,
  trailingDays: 14,
  k: 3,
  minHistory: 5,
  minMad: 0.01,
};

/** One figure's trend on one day. */
export interface FigureTrend {
  readonly ewma: number | null;
  /** Median over the `span` days ending on the day. */
  readonly median: number | null;
  /** Median of the trailing window (the days before). */
  readonly baseline: number | null;
  /** Median absolute deviation of the trailing window. */
  readonly mad: number | null;
  /** Values in the trailing window. */
  readonly history: number;
  /** Outside baseline ± k × max(MAD, minMad); `null` when it cannot be judged. */
  readonly flag: boolean | null;
}

/** A day of `daily_quality` with the trend of its precision and recall. */
export interface QualityTrend extends DailyQuality {
  readonly precisionTrend: FigureTrend;
  readonly recallTrend: FigureTrend;
}

/**
 * Runs `quality_trend` over the whole history (the averages and baselines need the days before
 * `range`) and returns the days in `range`, ordered by day then version.
 */
export async function qualityTrend(
  db: Queryable,
  options: Partial<TrendOptions> & DayRange = {},
): Promise<QualityTrend[]> {
  const o = { ...DEFAULT_TREND_OPTIONS, ...options };
  checkOptions(o);
  const figure = (f: 'precision' | 'recall') =>
    `${f}_ewma, ${f}_median, ${f}_baseline, ${f}_mad, ${f}_history, ${f}_flag`;
  const { rows } = await db.query(
    `SELECT ${QUALITY_COLUMNS}, ${figure('precision')}, ${figure('recall')}
     FROM quality_trend($1, $2, $3, $4, $5)
     WHERE ${dayRangeWhere(6)}
     ORDER BY day, model_version`,
    [o.span, o.trailingDays, o.k, o.minHistory, o.minMad, options.from ?? null, options.to ?? null],
  );
  return rows.map((row) => ({
    ...toDailyQuality(row),
    precisionTrend: toFigureTrend(row, 'precision'),
    recallTrend: toFigureTrend(row, 'recall'),
  }));
}

function toFigureTrend(row: Record<string, unknown>, f: 'precision' | 'recall'): FigureTrend {
  return {
    ewma: numberOrNull(row[`${f}_ewma`], `${f}_ewma`),
    median: numberOrNull(row[`${f}_median`], `${f}_median`),
    baseline: numberOrNull(row[`${f}_baseline`], `${f}_baseline`),
    mad: numberOrNull(row[`${f}_mad`], `${f}_mad`),
    history: numberOf(row[`${f}_history`], `${f}_history`),
    flag: booleanOrNull(row[`${f}_flag`]),
  };
}

function checkOptions(o: TrendOptions): void {
  const whole = (name: keyof TrendOptions, min: number) => {
    if (!Number.isInteger(o[name]) || o[name] < min)
      throw new RangeError(`trend option ${name}: ${o[name]} is not a whole number ≥ ${min}`);
  };
  whole('span', 1);
  whole('trailingDays', 1);
  whole('minHistory', 1);
  if (!(o.k > 0)) throw new RangeError(`trend option k: ${o.k} is not a positive number`);
  if (!(o.minMad >= 0)) throw new RangeError(`trend option minMad: ${o.minMad} is negative`);
}
