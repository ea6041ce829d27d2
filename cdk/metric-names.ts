import { METRICS_NAMESPACE, SERVICE_NAME } from './constructs/matcher-function';

/**
 * The service's own CloudWatch metrics, as the handlers publish them with Powertools Metrics
 * (namespace `POWERTOOLS_METRICS_NAMESPACE`; Powertools adds a `service` dimension). The
 * dashboard and alarms read these names; a handler that publishes under another name or
 * dimension leaves a graph empty and an alarm without data.
 */
export const MATCHER_METRICS = {
  namespace: METRICS_NAMESPACE,
  /** What the predict function publishes, dimension `service` only. */
  predict: {
    dimensions: { service: SERVICE_NAME },
    /** Budget × item pairs scored (Sum). */
    pairsScored: 'PairsScored',
    /** Reply entries carrying an `error` instead of a score (Sum). */
    itemErrors: 'ItemErrors',
    /** Result rows dropped because the queue could not take them (Sum). */
    rowsDropped: 'ResultRowsDropped',
  },
  /** What the scheduled monitor publishes. */
  monitor: {
    /**
     * The alarms read precision and recall with this dimension set only, stamped when the monitor
     * runs: an alarm cannot follow a per-version dimension it does not know at deploy time.
     */
    dimensions: { service: `${SERVICE_NAME}-monitor` },
    /** Dimension the per-version figures carry; the dashboard graphs one line per version. */
    versionDimension: 'ModelVersion',
    precision: 'Precision',
    recall: 'Recall',
    /** Theil–Sen slope per day of a version's precision and recall (dimension ModelVersion too). */
    precisionSlope: 'PrecisionSlope',
    recallSlope: 'RecallSlope',
    /** Live figures flagged falling by the trend or shift detector (the alarm reads it). */
    qualityShifts: 'QualityShifts',
  },
} as const;
