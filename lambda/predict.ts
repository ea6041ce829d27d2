import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { type CaptureSink, discardingCaptureSink, S3CaptureSink } from './captures';
import { type Config, readConfig } from './config';
import * as edge from './edge';
import { health, scoreRequest } from './matcher';
import { createServiceMetrics, type ServiceMetrics } from './metrics';
import { requestModels } from './model';
import { discardingSink, predictSink, type ResultSink, recordScored } from './results';

/** What the predict handler is built from; module scope builds the real ones, tests their own. */
export interface PredictDeps {
  readonly config: Config;
  readonly sink: ResultSink;
  readonly logger: Logger;
  readonly metrics?: ServiceMetrics; // default: counts logged at debug level
  /** Where the requests behind recorded results are captured (`lambda/captures/`). @default none */
  readonly capture?: CaptureSink;
}

/** Scores and health (API Gateway v1/v2, direct invokes; labels: `labels.ts`). Never throws. */
export function createPredictHandler(deps: PredictDeps) {
  const { config, logger, metrics = createServiceMetrics(logger, deps.config.service) } = deps;
  const steps = {
    ...config.results,
    ...config.limits,
    sink: deps.sink,
    logger,
    metrics,
    capture: deps.capture,
  };
  return async function handler(event: unknown, context?: edge.InvocationContext): Promise<unknown> {
    const input = edge.readEvent(event);
    const requestId = edge.requestIdOf(context);
    try {
      const route = edge.routeOfEvent(input);
      if (route === 'health')
        return edge.httpOk({
          ...(await health(config)),
          ...(deps.sink.status ? { results: deps.sink.status() } : {}),
        });
      const scored = await scoreRequest(edge.matchRequestOf(input), config);
      const reply = edge.matchReply(input, scored);
      await recordScored(scored, requestId, steps, input.kind === 'invoke' ? input.payload : input.body);
      return reply;
    } catch (error) {
      edge.logRequestError(logger, error, requestId);
      return edge.failureReply(input, error, requestId);
    } finally {
      metrics.publish();
    }
  };
}

const config = readConfig();
const logger = new Logger({ serviceName: config.service.name });
const metrics = createServiceMetrics(logger, config.service);
const sink = predictSink(config.results, logger, metrics);
// Start loading the model during the init phase; a failure here is retried by the first request.
requestModels(config).catch((error: unknown) => logger.error('model load failed at init', { error }));
// Requests behind recorded rows go to the captures bucket when the stack names one (CAPTURE_BUCKET),
// held and retried beside the rows' SQS hand-off.
const { captures } = config;
const capture: CaptureSink =
  captures.enabled && captures.bucket && sink !== discardingSink
    ? new S3CaptureSink({
        client: new S3Client({}),
        bucket: captures.bucket,
        sampleRate: captures.sampleRate,
        maxHeldBytes: captures.bufferBytes,
        onError: (error, requestId) =>
          logger.warn('capture upload failed: held and retried', {
            error: String(error),
            request_id: requestId,
          }),
        onDrop: (requestId) =>
          logger.error('capture dropped: CAPTURE_BUFFER_MB of captures held', { request_id: requestId }),
      })
    : discardingCaptureSink;

/** The Lambda entry point (`predict.handler`). */
export const handler = createPredictHandler({ config, sink, logger, metrics, capture });
