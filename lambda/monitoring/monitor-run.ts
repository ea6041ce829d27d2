import type { Queryable } from '../db';
import { type LiveQuality, liveQuality } from './live-quality';
import { type QualityShift, qualityShifts } from './quality-shifts';
import { DEFAULT_TREND_OPTIONS, type QualityTrend, qualityTrend, type TrendOptions } from './quality-trend';
import { addDays, type Day, toDay } from './sql-values';

/** What one monitor run found for one day. */
export interface MonitorRun {
  readonly day: Day;
  /** Each model version with labelled pairs that day, live and shadow, with its trend and flags. */
  readonly versions: readonly QualityTrend[];
  /** What clients received that day, pooled over the live versions; absent without labels. */
  readonly live?: LiveQuality;
  /** Each version's robust trend (Theil–Sen) and level shift of precision and recall that day. */
  readonly shifts: readonly QualityShift[];
}

/**
 * How many of the live versions' figures are flagged falling on the run's day: a Theil–Sen trend
 * whose interval is below 0, or a shift of level down (the alarm's figure).
 */
export function fallingFigures(run: MonitorRun): number {
  const live = new Set(run.versions.filter((v) => v.role === 'live').map((v) => v.modelVersion));
  let n = 0;
  for (const s of run.shifts) {
    if (!live.has(s.modelVersion)) continue;
    for (const f of [s.precision, s.recall])
      if ((f.trendFlag && (f.slope ?? 0) < 0) || (f.shiftFlag && (f.shift ?? 0) < 0)) n++;
  }
  return n;
}

/** The day a run at `now` reports on: the UTC day before (complete, and its labels mostly in). */
export function dayBefore(now: Date): Day {
  return addDays(toDay(now), -1);
}

/**
 * Reads `day`'s quality per model version, with the trend (`quality_trend`) that flags a day off
 * its trailing window, the robust trend and shift detectors (`qualityShifts`), and the pooled
 * live figures.
 */
export async function runMonitor(
  db: Queryable,
  day: Day,
  trend: Partial<TrendOptions> = DEFAULT_TREND_OPTIONS,
): Promise<MonitorRun> {
  const versions = await qualityTrend(db, { ...trend, from: day, to: day });
  const live = await liveQuality(db, day);
  const shifts = await qualityShifts(db, { from: day, to: day });
  return live ? { day, versions, live, shifts } : { day, versions, shifts };
}
