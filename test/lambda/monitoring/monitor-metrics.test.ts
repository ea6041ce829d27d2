import { MATCHER_METRICS } from '../../../cdk/metric-names';
import { MONITOR_METRICS } from '../../../lambda/monitoring';

describe('MONITOR_METRICS', () => {
  it('names the namespace, dimensions and metrics the alarms and dashboard read', () => {
    expect(MONITOR_METRICS.namespace).toBe(MATCHER_METRICS.namespace);
    expect({ service: MONITOR_METRICS.service }).toEqual(MATCHER_METRICS.monitor.dimensions);
    expect(MONITOR_METRICS.versionDimension).toBe(MATCHER_METRICS.monitor.versionDimension);
    expect(MONITOR_METRICS.precision).toBe(MATCHER_METRICS.monitor.precision);
    expect(MONITOR_METRICS.recall).toBe(MATCHER_METRICS.monitor.recall);
    expect(MONITOR_METRICS.precisionSlope).toBe(MATCHER_METRICS.monitor.precisionSlope);
    expect(MONITOR_METRICS.recallSlope).toBe(MATCHER_METRICS.monitor.recallSlope);
    expect(MONITOR_METRICS.qualityShifts).toBe(MATCHER_METRICS.monitor.qualityShifts);
  });
});
