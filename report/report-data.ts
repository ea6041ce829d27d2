import type { Queryable } from '../lambda/db';
import {
  addDays,
  type Day,
  type PairError,
  pairErrors,
  type QualityShift,
  type QualityTrend,
  qualityShifts,
  qualityTrend,
  type ScoreBucket,
  scoreHistogram,
  type ThresholdCurve,
  thresholdCurves,
  toDay,
} from '../lambda/monitoring';
import type { ReportOptions } from './report-options';

/** What a report shows: the days, their quality with its trends and shifts, score histograms, the threshold what-if and the errors. */
export interface ReportData {
  readonly from: Day;
  readonly to: Day;
  /** Per day and model version, ordered by day then version. */
  readonly quality: readonly QualityTrend[];
  readonly histogram: readonly ScoreBucket[];
  /** Per day and model version: the robust trend and the shift of precision and recall. */
  readonly shifts: readonly QualityShift[];
  /** Per model version: the threshold what-if over the labelled pairs of these days. */
  readonly curves: readonly ThresholdCurve[];
  /** The most confident false positives and negatives of these days, per version. */
  readonly errors: readonly PairError[];
}

/** Reads the `options.days` days ending on `today`'s UTC day from the monitoring SQL. */
export async function loadReportData(
  db: Queryable,
  options: Pick<ReportOptions, 'days' | 'bins' | 'trend' | 'top' | 'steps' | 'targetPrecision'>,
  today: Date = new Date(),
): Promise<ReportData> {
  const to = toDay(today);
  const from = addDays(to, -(options.days - 1));
  const quality = await qualityTrend(db, { ...options.trend, from, to });
  const histogram = await scoreHistogram(db, { bins: options.bins, from, to });
  const shifts = await qualityShifts(db, { from, to });
  const curves = await thresholdCurves(db, {
    from,
    to,
    steps: options.steps,
    targetPrecision: options.targetPrecision,
  });
  const errors = await pairErrors(db, { from, to, limit: options.top });
  return { from, to, quality, histogram, shifts, curves, errors };
}
