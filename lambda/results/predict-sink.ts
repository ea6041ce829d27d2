import type { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ResultsConfig } from '../config';
import { PREDICT_METRICS, type ServiceMetrics } from '../metrics';
import { discardingSink, type ResultSink } from './result-sink';
import { SqsSink } from './sqs-sink';

/**
 * The deployed predict function's sink: in AWS rows go to the results queue; without one they
 * are not recorded. Never PGlite here: the local server (`npm start`) builds its own handler with
 * the in-process queue.
 */
export function predictSink(
  results: Pick<ResultsConfig, 'queueUrl' | 'bufferRows'>,
  logger: Pick<Logger, 'info' | 'warn' | 'error'>,
  metrics: ServiceMetrics,
): ResultSink {
  if (!results.queueUrl) return discardingSink;
  return new SqsSink({
    queueUrl: results.queueUrl,
    client: new SQSClient({}),
    maxBufferedRows: results.bufferRows,
    onDrop: (rows) => metrics.count(PREDICT_METRICS.rowsDropped, rows),
    logger,
  });
}
