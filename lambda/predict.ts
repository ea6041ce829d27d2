import { Logger } from '@aws-lambda-powertools/logger';
import type { CaptureSink } from './captures';
import { type Config, readConfig } from './config';
import * as edge from './edge';
import { health, scoreRequest } from './matcher';
import { createServiceMetrics, logsDebug, type ServiceMetrics } from './metrics';
import { requestModels } from './model';
import { predictCaptureSink, predictSink, type ResultSink, recordScored } from './results';

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
  const { config, sink, logger, capture, metrics = createServiceMetrics(logger, config.service) } = deps;
  const logScored = logsDebug(logger);
  const steps = { ...config.results, ...config.limits, sink, logger, metrics, capture, logScored };
  return edge.edgeHandler({ logger, metrics }, async (input, requestId) => {
    if (edge.routeOfEvent(input) === 'health')
      return edge.httpOk({ ...(await health(config)), ...(sink.status ? { results: sink.status() } : {}) });
    const scored = await scoreRequest(edge.matchRequestOf(input), config);
    const reply = edge.matchReply(input, scored);
    await recordScored(scored, requestId, steps, input.kind === 'invoke' ? input.payload : input.body);
    return reply;
  });
}

const config = readConfig();
const logger = new Logger({ serviceName: config.service.name });
const metrics = createServiceMetrics(logger, config.service);
const sink = predictSink(config.results, logger, metrics);
// Start loading the model during the init phase; a failure here is retried by the first request.
requestModels(config).catch((error: unknown) => logger.error('model load failed at init', { error }));

/** The Lambda entry point (`predict.handler`). */
const capture = predictCaptureSink(sink, logger);
export const handler = createPredictHandler({ config, sink, logger, metrics, capture });
