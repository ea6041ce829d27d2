export { pendingRows } from './pending-rows';
export {
  type BacklogSource,
  createPrometheusMetrics,
  PROMETHEUS_COUNTERS,
  type PrometheusMetrics,
  type RequestMetrics,
  routeLabel,
} from './prometheus-metrics';
