import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { readServiceConfig } from './config';
import { type Database, deployedDatabase } from './db';
import { scheduledTime } from './edge';
import {
  dayBefore,
  logMonitorRun,
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
    const day = dayBefore(scheduledTime(event) ?? runAt);
    const run = await runMonitor(await database(), day);
    publishMonitorRun(metrics, run, runAt);
    logMonitorRun(logger, run, day);
    return run;
  };
}

/** The Lambda entry point (`monitor.handler`): one database per container, reopened after a failure. */
export const handler = createMonitorHandler({
  database: deployedDatabase({ functionName: 'monitor', pgliteOutsideLambda: true }),
  metrics: new Metrics({ namespace: MONITOR_METRICS.namespace, serviceName: MONITOR_METRICS.service }),
  logger: new Logger({ serviceName: readServiceConfig().name }),
});
