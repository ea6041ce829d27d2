/**
 * What the monitor publishes, as the alarms and dashboard in `cdk/constructs/monitoring.ts` read
 * it (`cdk/metric-names.ts`; a test holds the two equal). Kept here rather than imported from
 * `cdk/` so the monitor's bundle does not pull in the CDK.
 */
export const MONITOR_METRICS = {
  namespace: 'BudgetExpenseMatcher',
  /** The `service` dimension of every monitor figure; alone, it is what the alarms read. */
  service: 'budget-expense-matcher-monitor',
  /** The extra dimension of the per-version figures. */
  versionDimension: 'ModelVersion',
  precision: 'Precision',
  recall: 'Recall',
} as const;
