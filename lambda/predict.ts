import { Logger } from '@aws-lambda-powertools/logger';
import type { CaptureSink } from './captures';
import { type Config, readConfig } from './config';
import * as edge from './edge';
import { health, scoreRequest } from './matcher';
import { createServiceMetrics, logsDebug, type ServiceMetrics } from './metrics';
import { requestModels } from './model';
import * as results from './results';

/** What the predict handler is built from; module scope builds the real ones, tests their own. */
export interface PredictDeps {
  readonly config: Config;
  readonly sink: results.ResultSink;
  readonly logger: Logger;
  readonly metrics?: ServiceMetrics; // default: counts logged at debug level
  readonly capture?: CaptureSink; // where requests behind recorded results are captured; default none
  readonly extension?: results.ResultsExtension; // sends rows after the reply (results/predict-extension.ts)
}

/** Scores and health (API Gateway v1/v2, direct invokes; labels: `labels.ts`). Never throws. */
export function createPredictHandler(deps: PredictDeps) {
  const { config, sink, logger, capture, extension: afterReply } = deps;
  const metrics = deps.metrics ?? createServiceMetrics(logger, config.service);
  const recording = { sink, logger, metrics, capture, logScored: logsDebug(logger), afterReply };
  const steps = { ...config.results, ...config.limits, ...recording };
  const handler = edge.edgeHandler({ logger, metrics }, async (input, requestId) => {
    if (edge.routeOfEvent(input) === 'health')
      return edge.httpOk({ ...(await health(config)), ...(sink.status ? { results: sink.status() } : {}) });
    const scored = await scoreRequest(edge.matchRequestOf(input), config);
    const reply = edge.matchReply(input, scored);
    const request = input.kind === 'invoke' ? input.payload : input.body;
    const recording = results.recordScored(scored, requestId, steps, request); // undefined: no wait
    if (recording) await recording;
    return reply;
  });
  return results.tellingExtension(handler, afterReply);
}
const config = readConfig();
const registration = results.startPredictRegistration(process.env); // its request leaves at the init's await
const logger = new Logger({ serviceName: config.service.name });
const metrics = createServiceMetrics(logger, config.service);
const sink = results.predictSink(config.results, logger, metrics, { sendAfterReply: !!registration });
requestModels(config).catch((error: unknown) => logger.error('model load failed at init', { error })); // retried later
const deps = { config, sink, logger, metrics, capture: results.predictCaptureSink(sink, logger) };
const extended = results.withResultsExtension(createPredictHandler, { ...config, ...deps, registration });
/** The Lambda entry point (`index.handler`), and the init's end, which the ES module bundle awaits. */
export const { handler, initialised } = extended;
