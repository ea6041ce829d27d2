// The file, not the folder's index: `cdk/` imports this module, and must not load the rest of lambda/.
import { SERVICE_NAME } from '../config/service-config';

/**
 * The service's own CloudWatch metrics, defined once: the handlers publish under these names
 * (Powertools Metrics, namespace `POWERTOOLS_METRICS_NAMESPACE`, dimension `service`), and the
 * stack's dashboard and alarms (`cdk/constructs/monitoring.ts`) read them from here. A name that
 * differs would leave a graph empty and an alarm without data.
 */
export const METRICS_NAMESPACE = 'BudgetExpenseMatcher';

/** What the predict function publishes, dimension `service` only. */
export const PREDICT_METRICS = {
  namespace: METRICS_NAMESPACE,
  service: SERVICE_NAME,
  /** Budget × item pairs scored (Sum). */
  pairsScored: 'PairsScored',
  /** Reply entries carrying an `error` instead of a score (Sum). */
  itemErrors: 'ItemErrors',
  /**
   * Pairs whose score was not finite (NaN or infinite), answered with the error code
   * `score_not_finite` instead of a score (Sum). Any at all means a broken model is serving.
   */
  scoresNotFinite: 'ScoresNotFinite',
  /** Result rows lost: the sink's buffer or journal was full, or a container was reaped holding them (Sum). */
  rowsDropped: 'ResultRowsDropped',
  /** Result rows still held by the container when an invocation returned: sent at the next one (Sum). */
  rowsHeld: 'ResultRowsHeld',
} as const;

export type PredictMetricName = (typeof PREDICT_METRICS)[
  | 'pairsScored'
  | 'itemErrors'
  | 'scoresNotFinite'
  | 'rowsDropped'
  | 'rowsHeld'];
/** What the scheduled monitor publishes. */
export const MONITOR_METRICS = {
  namespace: METRICS_NAMESPACE,
  /**
   * The `service` dimension of every monitor figure. Alone, it is what the alarms read: an alarm
   * cannot follow a per-version dimension it does not know at deploy time.
   */
  service: `${SERVICE_NAME}-monitor`,
  /** The extra dimension of the per-version figures; the dashboard graphs one line per version. */
  versionDimension: 'ModelVersion',
  precision: 'Precision',
  recall: 'Recall',
  /** Theil–Sen slope of the version's daily precision / recall over the trend window (per day). */
  precisionSlope: 'PrecisionSlope',
  recallSlope: 'RecallSlope',
  /**
   * How many of the live versions' figures (precision, recall) are flagged falling: a downward
   * Theil–Sen trend or a downward shift of level. Dimension `service` only; the alarm reads it.
   */
  qualityShifts: 'QualityShifts',
} as const;
