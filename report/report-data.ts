import type { Queryable } from '../lambda/db';
import {
  addDays,
  type Day,
  type QualityTrend,
  qualityTrend,
  type ScoreBucket,
  scoreHistogram,
  toDay,
} from '../lambda/monitoring';
import type { ReportOptions } from './report-options';

/** What a report shows: the days, their quality with its trend, and their score histograms. */
export interface ReportData {
  readonly from: Day;
  readonly to: Day;
  /** Per day and model version, ordered by day then version. */
  readonly quality: readonly QualityTrend[];
  readonly histogram: readonly ScoreBucket[];
}

/** Reads the `options.days` days ending on `today`'s UTC day from the monitoring SQL. */
export async function loadReportData(
  db: Queryable,
  options: Pick<ReportOptions, 'days' | 'bins' | 'trend'>,
  today: Date = new Date(),
): Promise<ReportData> {
  const to = toDay(today);
  const from = addDays(to, -(options.days - 1));
  const quality = await qualityTrend(db, { ...options.trend, from, to });
  const histogram = await scoreHistogram(db, { bins: options.bins, from, to });
  return { from, to, quality, histogram };
}
