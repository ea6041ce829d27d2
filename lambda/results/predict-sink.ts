import type { Logger } from '@aws-lambda-powertools/logger';
import type { ResultsConfig } from '../config';
import { PREDICT_METRICS, type ServiceMetrics } from '../metrics';
import { discardingSink, type ResultSink } from './result-sink';

/**
 * The deployed predict function's sink: in AWS rows go to the results queue; without one they
 * are not recorded. Never PGlite here: the local server (`npm start`) builds its own handler with
 * the in-process queue. The SQS client is required only when there is a queue: loading the AWS
 * SDK's client costs a function that records nothing about 50 ms of its cold start
 * (`npm run bench`, cold start).
 */
export function predictSink(
  results: Pick<ResultsConfig, 'queueUrl' | 'bufferRows'>,
  logger: Pick<Logger, 'info' | 'warn' | 'error'>,
  metrics: ServiceMetrics,
): ResultSink {
  if (!results.queueUrl) return discardingSink;
  const { SQSClient } = require('@aws-sdk/client-sqs') as typeof import('@aws-sdk/client-sqs');
  const { SqsSink } = require('./sqs-sink') as typeof import('./sqs-sink');
  return new SqsSink({
    queueUrl: results.queueUrl,
    client: new SQSClient({}),
    maxBufferedRows: results.bufferRows,
    onDrop: (rows) => metrics.count(PREDICT_METRICS.rowsDropped, rows),
    logger,
  });
}
