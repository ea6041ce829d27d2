import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ServiceConfig } from '../config';
import { logsDebug } from './debug-logging';
import { PREDICT_METRICS, type PredictMetricName } from './metric-names';

/** Counters the predict function keeps, published once per invocation. */
export interface ServiceMetrics {
  /**
   * Adds `value` to a counter. In AWS the dimension is `service` only (what the alarms read); the
   * local Prometheus metrics label the count with `labels.modelVersion` too.
   */
  count(name: PredictMetricName, value: number, labels?: { readonly modelVersion?: string }): void;
  /** Publishes what was counted since the last call, if anything. */
  publish(): void;
}

/**
 * The service's metrics: in Lambda (`service.inLambda`) Powertools Metrics, written as
 * CloudWatch embedded metric format to stdout, namespace `POWERTOOLS_METRICS_NAMESPACE` and
 * dimension `service` = `POWERTOOLS_SERVICE_NAME` (see `readServiceConfig`). Elsewhere (the local server, tests) the counts
 * go to the logger at debug level, so a terminal is not flooded with EMF documents.
 */
export function createServiceMetrics(
  logger: Pick<Logger, 'debug' | 'getLevelName'>,
  service: ServiceConfig,
): ServiceMetrics {
  if (service.inLambda) {
    const metrics = new Metrics({
      namespace: service.metricsNamespace || PREDICT_METRICS.namespace,
      serviceName: service.name,
    });
    let pending = false;
    return {
      count(name, value) {
        metrics.addMetric(name, MetricUnit.Count, value);
        pending = true;
      },
      publish() {
        if (!pending) return;
        pending = false;
        metrics.publishStoredMetrics();
      },
    };
  }
  let counts: Partial<Record<PredictMetricName, number>> = {};
  if (!logsDebug(logger)) return { count() {}, publish() {} };
  return {
    count(name, value) {
      counts[name] = (counts[name] ?? 0) + value;
    },
    publish() {
      if (Object.keys(counts).length === 0) return;
      logger.debug('metrics', counts);
      counts = {};
    },
  };
}
