import type { Logger } from '@aws-lambda-powertools/logger';
import type { ResultsConfig } from '../config';
import { PREDICT_METRICS, type ServiceMetrics } from '../metrics';
import { discardingSink, type ResultSink } from './result-sink';
import type { SqsSender } from './sqs-sink';

/**
 * The deployed predict function's sink: in AWS rows go to the results queue; without one they
 * are not recorded. Never PGlite here: the local server (`npm start`) builds its own handler with
 * the in-process queue. The SQS client (`sqs-client.ts`: SendMessageBatch signed with the SDK's
 * SigV4 signer, which the build puts in `aws-sdk.js` beside the bundle) is required only when
 * there is a queue. `sendAfterReply` (the predict function with its results extension
 * registering) makes the client at its first send, which waits for the extension to settle the
 * first invocation's rows after its reply: `aws-sdk.js` loads then, in that invocation's
 * post-reply phase, not during the init nor before the first reply. Later rows
 * leave as they are recorded: their sends overlap the reply (measured faster through
 * `start:lambda` than holding every send until after the reply, which kept instances busy longer).
 */
export function predictSink(
  results: Pick<ResultsConfig, 'queueUrl' | 'bufferRows'>,
  logger: Pick<Logger, 'info' | 'warn' | 'error'>,
  metrics: ServiceMetrics,
  options: { readonly sendAfterReply?: boolean } = {},
): ResultSink {
  if (!results.queueUrl) return discardingSink;
  const { SqsSink } = require('./sqs-sink') as typeof import('./sqs-sink');
  const afterReply = options.sendAfterReply === true;
  return new SqsSink({
    queueUrl: results.queueUrl,
    client: afterReply ? lazySqsClient() : sqsClient(),
    holdFirstSend: afterReply,
    maxBufferedRows: results.bufferRows,
    onDrop: (rows) => metrics.count(PREDICT_METRICS.rowsDropped, rows),
    logger,
  });
}

function sqsClient(): SqsSender {
  const { SqsClient } = require('./sqs-client') as typeof import('./sqs-client');
  return new SqsClient();
}

/** The SQS client, made at its first send. */
function lazySqsClient(): SqsSender {
  let client: SqsSender | undefined;
  return {
    sendMessageBatch: (input) => {
      client ??= sqsClient();
      return client.sendMessageBatch(input);
    },
  };
}
