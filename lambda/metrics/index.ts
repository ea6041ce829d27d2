export { logsDebug } from './debug-logging';
export { METRICS_NAMESPACE, MONITOR_METRICS, PREDICT_METRICS, type PredictMetricName } from './metric-names';
export { createServiceMetrics, type ServiceMetrics } from './service-metrics';
