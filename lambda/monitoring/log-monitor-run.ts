import { fallingFigures, type MonitorRun } from './monitor-run';
import type { Day } from './sql-values';

/** The logging {@link logMonitorRun} needs (Powertools' `Logger` has it). */
export interface MonitorLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/**
 * Logs what a monitor run found: one line per model version, a warning when a figure is off its
 * trend, and one when the robust trend or shift detectors flag a version.
 */
export function logMonitorRun(logger: MonitorLogger, run: MonitorRun, day: Day): void {
  for (const v of run.versions) {
    const entry = {
      day,
      model_version: v.modelVersion,
      role: v.role,
      support: v.support,
      precision: v.precision,
      recall: v.recall,
      precision_flag: v.precisionTrend.flag,
      recall_flag: v.recallTrend.flag,
    };
    if (v.precisionTrend.flag || v.recallTrend.flag) logger.warn('quality off its trend', entry);
    else logger.info('quality', entry);
  }
  for (const s of run.shifts) {
    const flagged = [s.precision.trendFlag, s.recall.trendFlag, s.precision.shiftFlag, s.recall.shiftFlag];
    if (flagged.some(Boolean))
      logger.warn('quality trending or shifted', {
        day,
        model_version: s.modelVersion,
        precision_slope: s.precision.slope,
        recall_slope: s.recall.slope,
        precision_shift: s.precision.shift,
        recall_shift: s.recall.shift,
        precision_trend_flag: s.precision.trendFlag,
        recall_trend_flag: s.recall.trendFlag,
        precision_shift_flag: s.precision.shiftFlag,
        recall_shift_flag: s.recall.shiftFlag,
        live_figures_falling: fallingFigures(run),
      });
  }
  if (run.versions.length === 0) logger.info('no labelled pairs', { day });
}
