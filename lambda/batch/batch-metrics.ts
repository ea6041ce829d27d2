/**
 * The batch run's CloudWatch metrics, published by the summarise step (Powertools EMF, dimension
 * `service` = {@link BATCH_METRICS.service}). The stack's failed-items alarm reads these names.
 */
export const BATCH_METRICS = {
  namespace: 'BudgetExpenseMatcher',
  service: 'budget-expense-matcher-batch',
  /** Map items that failed past their retries in a run (Sum): the alarm's metric. */
  failedItems: 'BatchFailedItems',
  /** Request lines answered with an error object in a run (Sum). */
  failedLines: 'BatchFailedLines',
  /** Budget × item pairs scored in a run (Sum). */
  pairsScored: 'BatchPairsScored',
} as const;
