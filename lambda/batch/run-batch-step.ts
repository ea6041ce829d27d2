import type { S3Client } from '@aws-sdk/client-s3';
import { InvalidRequestError } from '../errors';
import type { ResultSink } from '../results';
import type { BatchConfig } from './batch-config';
import { batchEventSchema } from './batch-event';
import { planBatch } from './plan-batch';
import { type ScoreItemDeps, scoreBatchItem } from './score-batch-item';
import { summariseBatch } from './summarise-batch';

/** What the batch steps run on; the handler's module scope builds the real ones, tests their own. */
export interface BatchDeps {
  readonly s3: S3Client;
  readonly config: ScoreItemDeps['config'];
  readonly batch: BatchConfig;
  readonly sink: ResultSink;
  /** Publishes a run's counts (the failed-items alarm's metric). */
  readonly publish: (counts: { failedItems: number; failedLines: number; pairs: number }) => void;
}

/**
 * Runs one step of the batch state machine (`cdk/constructs/batch-scoring.ts`): `plan` cuts a
 * JSONL of requests in S3 into map items, `score` scores one item with the predict function's own
 * code and writes its replies to S3, `summarise` counts the run's failed items.
 * @throws InvalidRequestError `invalid_batch_event` for an event that is not a step (the task fails, Step Functions reports it)
 */
export async function runBatchStep(event: unknown, deps: BatchDeps): Promise<unknown> {
  const parsed = batchEventSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || 'action';
    throw new InvalidRequestError(
      'invalid_batch_event',
      `not a batch step: ${path} ${issue?.message ?? 'is invalid'}`,
      path,
    );
  }
  const step = parsed.data;
  if (step.action === 'plan') return planBatch(deps.s3, deps.batch, step);
  if (step.action === 'score') return scoreBatchItem({ ...deps }, step);
  return summariseBatch(deps.s3, step, deps.publish);
}
