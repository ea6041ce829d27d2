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
  /** Theil–Sen slope of the version's daily precision / recall over the trend window (per day). */
  precisionSlope: 'PrecisionSlope',
  recallSlope: 'RecallSlope',
  /**
   * How many of the live versions' figures (precision, recall) are flagged falling: a downward
   * Theil–Sen trend or a downward shift of level. Dimension `service` only; the alarm reads it.
   */
  qualityShifts: 'QualityShifts',
} as const;
