/**
 * The predict function's CloudWatch metrics. The names must equal `cdk/metric-names.ts`'s, which
 * the dashboard and alarms read (a test holds them equal); they are repeated here because
 * the CDK module imports aws-cdk-lib, which no Lambda bundle may carry.
 */
export const PREDICT_METRICS = {
  namespace: 'BudgetExpenseMatcher',
  service: 'budget-expense-matcher',
  /** Budget × item pairs scored (Sum). */
  pairsScored: 'PairsScored',
  /** Reply entries carrying an `error` instead of a score (Sum). */
  itemErrors: 'ItemErrors',
  /** Result rows lost: the sink's buffer or journal was full, or a container was reaped holding them (Sum). */
  rowsDropped: 'ResultRowsDropped',
  /** Result rows still held by the container when an invocation returned: sent at the next one (Sum). */
  rowsHeld: 'ResultRowsHeld',
} as const;

export type PredictMetricName = (typeof PREDICT_METRICS)[
  | 'pairsScored'
  | 'itemErrors'
  | 'rowsDropped'
  | 'rowsHeld'];
