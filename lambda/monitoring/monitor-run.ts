import type { Queryable } from '../db';
import { type LiveQuality, liveQuality } from './live-quality';
import { DEFAULT_TREND_OPTIONS, type QualityTrend, qualityTrend, type TrendOptions } from './quality-trend';
import { addDays, type Day, toDay } from './sql-values';

/** What one monitor run found for one day. */
export interface MonitorRun {
  readonly day: Day;
  /** Each model version with labelled pairs that day, live and shadow, with its trend and flags. */
  readonly versions: readonly QualityTrend[];
  /** What clients received that day, pooled over the live versions; absent without labels. */
  readonly live?: LiveQuality;
}

/** The day a run at `now` reports on: the UTC day before (complete, and its labels mostly in). */
export function dayBefore(now: Date): Day {
  return addDays(toDay(now), -1);
}

/**
 * Reads `day`'s quality per model version, with the trend (`quality_trend`) that flags a day off
 * its trailing window, and the pooled live figures.
 */
export async function runMonitor(
  db: Queryable,
  day: Day,
  trend: Partial<TrendOptions> = DEFAULT_TREND_OPTIONS,
): Promise<MonitorRun> {
  const versions = await qualityTrend(db, { ...trend, from: day, to: day });
  const live = await liveQuality(db, day);
  return live ? { day, versions, live } : { day, versions };
}
