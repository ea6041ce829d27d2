import type { MonitorRun } from './monitor-run';
import type { Day } from './sql-values';

/** The logging {@link logMonitorRun} needs (Powertools' `Logger` has it). */
export interface MonitorLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/** Logs what a monitor run found: one line per model version, a warning when a figure is off its trend. */
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
  if (run.versions.length === 0) logger.info('no labelled pairs', { day });
}
