export { PREDICT_METRICS, type PredictMetricName } from './metric-names';
export { createServiceMetrics, type ServiceMetrics } from './service-metrics';
