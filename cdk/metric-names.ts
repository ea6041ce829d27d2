import { METRICS_NAMESPACE, SERVICE_NAME } from './constructs/matcher-function';

/**
 * The service's own CloudWatch metrics, as the handlers publish them with Powertools Metrics
 * (namespace `POWERTOOLS_METRICS_NAMESPACE`, default dimension `service`). The dashboard and
 * alarms read these names; a handler that publishes under another name leaves a graph empty.
 */
export const MATCHER_METRICS = {
  namespace: METRICS_NAMESPACE,
  dimensions: { service: SERVICE_NAME },
  /** predict: budget × item pairs scored per request (Sum). */
  pairsScored: 'PairsScored',
  /** predict: reply entries carrying an `error` instead of a score (Sum). */
  itemErrors: 'ItemErrors',
  /** monitor: yesterday's precision at the recorded threshold, labelled pairs only (0..1). */
  precision: 'Precision',
  /** monitor: yesterday's recall at the recorded threshold, labelled pairs only (0..1). */
  recall: 'Recall',
} as const;
