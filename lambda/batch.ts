import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  BATCH_METRICS,
  type BatchConfig,
  batchEventSchema,
  planBatch,
  readBatchConfig,
  type ScoreItemDeps,
  scoreBatchItem,
  summariseBatch,
} from './batch/index';
import { type Config, readConfig } from './config';
import { InvalidRequestError } from './errors';
import { requestModels } from './model';
import { discardingSink, type ResultSink, readResultsConfig, SqsSink } from './results';

/** What the batch handler is built from; module scope builds the real ones, tests their own. */
export interface BatchDeps {
  readonly s3: S3Client;
  readonly config: Config;
  readonly batch: BatchConfig;
  readonly sink: ResultSink;
  /** Publishes a run's counts (the failed-items alarm's metric). */
  readonly publish: (counts: { failedItems: number; failedLines: number; pairs: number }) => void;
}

/**
 * The batch function, the Step Functions state machine's one task (`cdk/constructs/batch-scoring.ts`):
 * `plan` cuts a JSONL of requests in S3 into map items, `score` scores one item with the predict
 * function's own code and writes its replies to S3, `summarise` counts the run's failed items.
 * A bad event fails the task with a clear error; Step Functions reports it.
 */
export function createBatchHandler(deps: BatchDeps) {
  const scoreDeps: ScoreItemDeps = { s3: deps.s3, config: deps.config, batch: deps.batch, sink: deps.sink };
  return async function handler(event: unknown): Promise<unknown> {
    const parsed = batchEventSchema.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidRequestError(
        'invalid_batch_event',
        `not a batch step: ${issue?.path.join('.') || 'event'} ${issue?.message ?? 'is invalid'}`,
        issue?.path.join('.') || 'action',
      );
    }
    const step = parsed.data;
    if (step.action === 'plan') return planBatch(deps.s3, deps.batch, step);
    if (step.action === 'score') return scoreBatchItem(scoreDeps, step);
    return summariseBatch(deps.s3, step, deps.publish);
  };
}

const config = readConfig();
const batch = readBatchConfig();
const results = readResultsConfig();
const logger = new Logger({ serviceName: BATCH_METRICS.service });
// Start loading the model during the init phase; a failure here is retried by the first item.
requestModels(config).catch((error: unknown) => logger.error('model load failed at init', { error }));
const metrics = new Metrics({ namespace: BATCH_METRICS.namespace, serviceName: BATCH_METRICS.service });

/** The Lambda entry point (`batch.handler`). */
export const handler = createBatchHandler({
  s3: new S3Client(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}),
  config,
  batch,
  sink: results.queueUrl
    ? new SqsSink({
        queueUrl: results.queueUrl,
        client: new SQSClient({}),
        maxBufferedRows: results.bufferRows,
        logger,
      })
    : discardingSink,
  publish: (counts) => {
    metrics.addMetric(BATCH_METRICS.failedItems, MetricUnit.Count, counts.failedItems);
    metrics.addMetric(BATCH_METRICS.failedLines, MetricUnit.Count, counts.failedLines);
    metrics.addMetric(BATCH_METRICS.pairsScored, MetricUnit.Count, counts.pairs);
    metrics.publishStoredMetrics();
  },
});
