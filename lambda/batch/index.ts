export { type BatchConfig, readBatchConfig } from './batch-config';
export {
  type BatchEvent,
  type BatchItem,
  batchEventSchema,
  type PlanEvent,
  type ScoreEvent,
  type SummariseEvent,
} from './batch-event';
export { assertUnderPrefix, runKeys } from './batch-keys';
export { BATCH_METRICS } from './batch-metrics';
export { type BatchPlan, planBatch } from './plan-batch';
export { type BatchDeps, runBatchStep } from './run-batch-step';
export { type BatchItemResult, type ScoreItemDeps, scoreBatchItem } from './score-batch-item';
export { type BatchSummary, summariseBatch } from './summarise-batch';
