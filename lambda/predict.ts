import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { type CaptureSink, discardingCaptureSink, readCaptureConfig, S3CaptureSink } from './captures';
import { type Config, readConfig } from './config';
import { errorReply, httpAccepted, httpError, httpOk, invokeOk, readEvent, routeOf } from './edge';
import { MatcherError, ResultsStoreError } from './errors';
import { acceptFeedback, parseFeedback } from './feedback';
import { health, type ScoredRequest, scoreRequest } from './matcher';
import { createServiceMetrics, PREDICT_METRICS, type ServiceMetrics } from './metrics';
import { requestModels } from './model';
import { discardingSink, type ResultSink, readResultsConfig, SqsSink, toResultRows } from './results';

/** What the predict handler is built from; module scope builds the real ones, tests their own. */
export interface PredictDeps {
  readonly config: Config;
  readonly sink: ResultSink;
  readonly logger: Logger;
  /** @default counts logged at debug level */
  readonly metrics?: ServiceMetrics;
  /** Longest wait for the sink's hand-off before replying (`RESULTS_HANDOFF_MS`). @default 1000 */
  readonly handoffMs?: number;
  /** Where the requests behind recorded results are captured (`lambda/captures/`). @default none */
  readonly capture?: CaptureSink;
}

/**
 * The predict function: one handler for API Gateway REST (v1) and HTTP API (v2) proxy events and
 * for direct `Invoke` payloads. It adapts the event, calls the matcher, hands the scored rows to
 * the results sink, and maps the result or error to the reply. It never throws, so no client
 * input can crash the function.
 */
export function createPredictHandler({
  config,
  sink,
  logger,
  metrics = createServiceMetrics(logger, {}),
  handoffMs = 1000,
  capture = discardingCaptureSink,
}: PredictDeps) {
  return async function handler(event: unknown, context?: Partial<Context>): Promise<unknown> {
    const input = readEvent(event);
    const requestId = context?.awsRequestId ?? randomUUID();
    try {
      if (input.kind === 'invoke') {
        // Some clients JSON-encode the request twice; a string payload is read as a body.
        const request =
          typeof input.payload === 'string' ? { body: input.payload } : { payload: input.payload };
        const scored = await scoreRequest(request, config);
        const reply = invokeOk(scored.entries);
        await record(scored, requestId, input.payload);
        return reply;
      }
      const route = routeOf(input);
      if (route === 'health') return httpOk(await health(config));
      if (route === 'feedback') return await feedback(input.body ?? '');
      const scored = await scoreRequest({ body: input.body ?? '' }, config);
      const reply = httpOk(scored.entries, { 'x-model-version': scored.modelVersion });
      await record(scored, requestId, input.body);
      return reply;
    } catch (error) {
      log(error, requestId);
      return input.kind === 'invoke' ? errorReply(error, requestId) : httpError(error, requestId);
    } finally {
      metrics.publish();
    }
  };

  /** `POST /feedback`: labels are validated item by item, handed to the sink, and answered 202. */
  async function feedback(body: string): Promise<APIGatewayProxyResult> {
    const { labels, entries } = acceptFeedback(parseFeedback(body, config.limits.maxBodyBytes), 'api');
    if (sink === discardingSink) {
      throw new ResultsStoreError(
        'feedback_unavailable',
        'labels are not recorded here: this service has no results store configured',
      );
    }
    if (!sink.recordLabels(labels)) {
      throw new ResultsStoreError(
        'results_backlog',
        'the labels could not be queued right now; send them again later',
      );
    }
    await sink.settle(handoffMs);
    return httpAccepted(entries);
  }

  /**
   * Hands the reply's rows (and the shadow model's) to the sink and waits, at most `handoffMs`,
   * for them to leave the process (the SQS sink; the local queue returns at once); never fails a
   * scored reply.
   */
  async function record(scored: ScoredRequest, requestId: string, request: unknown): Promise<void> {
    const { entries, modelVersion, threshold, shadow } = scored;
    logger.debug('scored', {
      pairs: scored.pairs,
      entry_errors: scored.entryErrors,
      model_version: modelVersion,
    });
    metrics.count(PREDICT_METRICS.pairsScored, scored.pairs, { modelVersion });
    metrics.count(PREDICT_METRICS.itemErrors, scored.entryErrors, { modelVersion });
    if (sink === discardingSink) return;
    try {
      const scoredAt = new Date();
      sink.record(toResultRows(entries, { requestId, modelVersion, threshold, role: 'live', scoredAt }));
      if (shadow) {
        const run = { requestId, modelVersion: shadow.modelVersion, threshold: shadow.threshold, scoredAt };
        sink.record(toResultRows(shadow.entries, { ...run, role: 'shadow' }));
      }
      // The request behind the rows, by the same request id (sampled; written off the reply path).
      capture.capture({ requestId, capturedAt: scoredAt, request });
      await Promise.all([sink.settle(handoffMs), capture.settle(handoffMs)]);
    } catch (error) {
      logger.error('results not recorded', {
        error: error instanceof Error ? error : String(error),
        request_id: requestId,
      });
    }
  }

  function log(error: unknown, requestId: string): void {
    if (error instanceof MatcherError && error.status < 500)
      logger.info('request rejected', { code: error.code, field: error.field, request_id: requestId });
    else
      logger.error('request failed', {
        error: error instanceof Error ? error : String(error),
        request_id: requestId,
      });
  }
}

const config = readConfig();
const results = readResultsConfig();
const logger = new Logger({ serviceName: 'budget-expense-matcher' });
const metrics = createServiceMetrics(logger);
// Start loading the model during the init phase; a failure here is retried by the first request.
requestModels(config).catch((error: unknown) => logger.error('model load failed at init', { error }));

// In AWS rows go to the results queue; without one they are not recorded. Never PGlite here: the
// local server (`npm start`) builds its own handler with the in-process queue.
const sink: ResultSink = results.queueUrl
  ? new SqsSink({
      queueUrl: results.queueUrl,
      client: new SQSClient({}),
      maxBufferedRows: results.bufferRows,
      onDrop: (rows) => metrics.count(PREDICT_METRICS.rowsDropped, rows),
      logger,
    })
  : discardingSink;

// Requests behind recorded rows go to the captures bucket when the stack names one (CAPTURE_BUCKET).
const captures = readCaptureConfig();
const capture: CaptureSink =
  captures.enabled && captures.bucket && sink !== discardingSink
    ? new S3CaptureSink({
        client: new S3Client({}),
        bucket: captures.bucket,
        sampleRate: captures.sampleRate,
        onError: (error, record) =>
          logger.warn('request not captured', { error: String(error), request_id: record.requestId }),
      })
    : discardingCaptureSink;

/** The Lambda entry point (`predict.handler`). */
export const handler = createPredictHandler({
  config,
  sink,
  logger,
  metrics,
  handoffMs: results.handoffMs,
  capture,
});
