import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { type CaptureSink, discardingCaptureSink, readCaptureConfig, S3CaptureSink } from './captures';
import { type Config, readConfig } from './config';
import * as edge from './edge';
import { recordFeedback } from './feedback';
import { health, scoreRequest } from './matcher';
import { createServiceMetrics, type ServiceMetrics } from './metrics';
import { requestModels } from './model';
import { discardingSink, predictSink, type ResultSink, readResultsConfig, recordScored } from './results';

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

/** The predict function (API Gateway v1/v2 events, direct invokes). It never throws: no input can crash it. */
export function createPredictHandler({
  config,
  sink,
  logger,
  metrics,
  handoffMs = 1000,
  capture,
}: PredictDeps) {
  const steps = { sink, logger, metrics: metrics ?? createServiceMetrics(logger, {}), handoffMs, capture };
  return async function handler(event: unknown, context?: Partial<Context>): Promise<unknown> {
    const input = edge.readEvent(event);
    const requestId = context?.awsRequestId ?? randomUUID();
    try {
      const route = edge.routeOfEvent(input);
      if (route === 'health') return edge.httpOk(await health(config));
      if (route === 'feedback')
        return edge.httpAccepted(await recordFeedback(edge.bodyOf(input), { ...steps, ...config.limits }));
      const scored = await scoreRequest(edge.matchRequestOf(input), config);
      const reply = edge.matchReply(input, scored);
      await recordScored(scored, requestId, steps, input.kind === 'invoke' ? input.payload : input.body);
      return reply;
    } catch (error) {
      edge.logRequestError(logger, error, requestId);
      return edge.failureReply(input, error, requestId);
    } finally {
      steps.metrics.publish();
    }
  };
}

const config = readConfig();
const results = readResultsConfig();
const logger = new Logger({ serviceName: 'budget-expense-matcher' });
const metrics = createServiceMetrics(logger);
// Start loading the model during the init phase; a failure here is retried by the first request.
requestModels(config).catch((error: unknown) => logger.error('model load failed at init', { error }));
const sink = predictSink(results, logger, metrics);
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
