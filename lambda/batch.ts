import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { BATCH_METRICS, type BatchDeps, readBatchConfig, runBatchStep } from './batch/index';
import { readConfig } from './config';
import { createServiceMetrics } from './metrics';
import { requestModels } from './model';
import { predictSink } from './results';

/** The batch function: each invocation is one step of the batch state machine (`runBatchStep`). */
export function createBatchHandler(deps: BatchDeps) {
  return (event: unknown): Promise<unknown> => runBatchStep(event, deps);
}

const config = readConfig();
const logger = new Logger({ serviceName: BATCH_METRICS.service });
// Start loading the model during the init phase; a failure here is retried by the first item.
requestModels(config).catch((error: unknown) => logger.error('model load failed at init', { error }));
const metrics = new Metrics({ namespace: BATCH_METRICS.namespace, serviceName: BATCH_METRICS.service });

/** The Lambda entry point (`batch.handler`). */
export const handler = createBatchHandler({
  s3: new S3Client(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}),
  config,
  batch: readBatchConfig(),
  // Rows go to the results queue as the predict function's do, with role `batch`.
  sink: predictSink(config.results, logger, createServiceMetrics(logger, config.service)),
  publish: (counts) => {
    metrics.addMetric(BATCH_METRICS.failedItems, MetricUnit.Count, counts.failedItems);
    metrics.addMetric(BATCH_METRICS.failedLines, MetricUnit.Count, counts.failedLines);
    metrics.addMetric(BATCH_METRICS.pairsScored, MetricUnit.Count, counts.pairs);
    metrics.publishStoredMetrics();
  },
});
