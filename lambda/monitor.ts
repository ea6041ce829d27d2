import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type Database, openResultsDatabase, resultsDatabaseSource } from './db';
import {
  dayBefore,
  fallingFigures,
  MONITOR_METRICS,
  type MonitorRun,
  publishMonitorRun,
  runMonitor,
} from './monitoring';

/** What the monitor handler is built from; module scope builds the real ones, tests their own. */
export interface MonitorDeps {
  /** The results database, opened (and migrated) on first use. */
  readonly database: () => Promise<Database>;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** @default the clock */
  readonly now?: () => Date;
}

/**
 * The monitor function, run daily by EventBridge: reads yesterday's (UTC) precision and recall per
 * model version with their trend flags, publishes them as metrics, and logs what it found. The
 * day is the one before the event's `time` (so a retried delivery reports on the same day).
 */
export function createMonitorHandler({ database, metrics, logger, now = () => new Date() }: MonitorDeps) {
  return async function handler(event: unknown): Promise<MonitorRun> {
    const runAt = now();
    const day = dayBefore(eventTime(event) ?? runAt);
    const run = await runMonitor(await database(), day);
    publishMonitorRun(metrics, run, runAt);
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
    return run;
  };
}

/** An EventBridge event's `time`, when the event is one. */
function eventTime(event: unknown): Date | undefined {
  const time = (event as { time?: unknown } | null)?.time;
  if (typeof time !== 'string') return undefined;
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const logger = new Logger();
const metrics = new Metrics({ namespace: MONITOR_METRICS.namespace, serviceName: MONITOR_METRICS.service });
let opened: Promise<Database> | undefined;

/**
 * The database named by `DATABASE_SECRET_ARN` (deployed) or `DATABASE_URL`. In Lambda never
 * PGlite, which the bundles leave out: a missing setting is named, not a missing module.
 */
async function openMonitorDatabase(): Promise<Database> {
  const source = resultsDatabaseSource();
  if (source.kind === 'pglite' && process.env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new Error(
      'configuration DATABASE_SECRET_ARN: the monitor needs DATABASE_SECRET_ARN or DATABASE_URL',
    );
  }
  return openResultsDatabase(source);
}

/** The Lambda entry point (`monitor.handler`): one database per container, reopened after a failure. */
export const handler = createMonitorHandler({
  database: () => {
    opened ??= openMonitorDatabase().catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return opened;
  },
  metrics,
  logger,
});
