import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { MONITOR_METRICS } from '../metrics';
import type { MonitorRun } from './monitor-run';

/**
 * Publishes a run as CloudWatch metrics (EMF through Powertools `metrics`, whose service must be
 * `MONITOR_METRICS.service`):
 *
 * - per model version, `Precision` and `Recall` with dimensions `service` and `ModelVersion`,
 *   stamped at 00:00 UTC of the day they describe (EMF takes up to 14 days back), so the
 *   dashboard's daily lines put each figure on its own day;
 * - the pooled live figures with dimension `service` only, stamped NOW: the alarms evaluate the
 *   last day's datapoints, and a point back-dated to yesterday would already be outside their
 *   window when it arrives.
 *
 * A figure that is undefined (no predicted matches, no true matches) is not published: no data
 * is not bad data (the alarms treat missing data as not breaching). Support and flags ride along
 * as EMF metadata (searchable in the logs, not metrics).
 */
export function publishMonitorRun(metrics: Metrics, run: MonitorRun, now: Date): void {
  const dayStart = new Date(`${run.day}T00:00:00Z`);
  for (const v of run.versions) {
    if (v.precision === null && v.recall === null) continue;
    metrics.addDimension(MONITOR_METRICS.versionDimension, v.modelVersion);
    metrics.setTimestamp(dayStart);
    addFigures(metrics, v.precision, v.recall);
    metrics.addMetadata('day', run.day);
    metrics.addMetadata('role', v.role);
    metrics.addMetadata('support', String(v.support));
    metrics.addMetadata('precision_flag', String(v.precisionTrend.flag));
    metrics.addMetadata('recall_flag', String(v.recallTrend.flag));
    metrics.publishStoredMetrics();
  }
  const live = run.live;
  if (live && (live.precision !== null || live.recall !== null)) {
    metrics.setTimestamp(now);
    addFigures(metrics, live.precision, live.recall);
    metrics.addMetadata('day', run.day);
    metrics.addMetadata('live_versions', live.modelVersions.join(','));
    metrics.addMetadata('support', String(live.support));
    metrics.publishStoredMetrics();
  }
}

function addFigures(metrics: Metrics, precision: number | null, recall: number | null): void {
  if (precision !== null) metrics.addMetric(MONITOR_METRICS.precision, MetricUnit.NoUnit, precision);
  if (recall !== null) metrics.addMetric(MONITOR_METRICS.recall, MetricUnit.NoUnit, recall);
}
