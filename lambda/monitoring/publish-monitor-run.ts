import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { MONITOR_METRICS } from '../metrics';
import { fallingFigures, type MonitorRun } from './monitor-run';

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
 * - `PrecisionSlope` and `RecallSlope` (Theil–Sen, per day) beside each version's figures, with
 *   the trend and shift flags as metadata; and `QualityShifts`, how many live figures are flagged
 *   falling, with dimension `service` only and stamped now, for the alarm (0 on a quiet day, so the
 *   alarm goes back to OK).
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
    const shift = run.shifts.find((s) => s.modelVersion === v.modelVersion);
    if (shift) {
      if (shift.precision.slope !== null)
        metrics.addMetric(MONITOR_METRICS.precisionSlope, MetricUnit.NoUnit, shift.precision.slope);
      if (shift.recall.slope !== null)
        metrics.addMetric(MONITOR_METRICS.recallSlope, MetricUnit.NoUnit, shift.recall.slope);
      metrics.addMetadata('precision_trend_flag', String(shift.precision.trendFlag));
      metrics.addMetadata('recall_trend_flag', String(shift.recall.trendFlag));
      metrics.addMetadata('precision_shift_flag', String(shift.precision.shiftFlag));
      metrics.addMetadata('recall_shift_flag', String(shift.recall.shiftFlag));
    }
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
  if (run.versions.some((v) => v.role === 'live')) {
    metrics.setTimestamp(now);
    metrics.addMetric(MONITOR_METRICS.qualityShifts, MetricUnit.Count, fallingFigures(run));
    metrics.addMetadata('day', run.day);
    metrics.publishStoredMetrics();
  }
}

function addFigures(metrics: Metrics, precision: number | null, recall: number | null): void {
  if (precision !== null) metrics.addMetric(MONITOR_METRICS.precision, MetricUnit.NoUnit, precision);
  if (recall !== null) metrics.addMetric(MONITOR_METRICS.recall, MetricUnit.NoUnit, recall);
}
