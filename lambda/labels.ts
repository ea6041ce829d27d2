import { Logger } from '@aws-lambda-powertools/logger';
import { type Config, readConfig } from './config';
import * as edge from './edge';
import { recordFeedback } from './feedback';
import { createServiceMetrics, type ServiceMetrics } from './metrics';
import { predictSink, type ResultSink } from './results';

/** What the labels handler is built from; module scope builds the real ones, tests their own. */
export interface LabelsDeps {
  readonly config: Config;
  readonly sink: ResultSink;
  readonly logger: Logger;
  readonly metrics?: ServiceMetrics; // default: counts logged at debug level
}

/**
 * The labels function: `POST /feedback` through API Gateway, and nothing else. It is its own
 * function so that permission to write labels is its own: the scoring function cannot tell a
 * forged API Gateway event from a real one, so it takes no labels at all.
 */
export function createLabelsHandler(deps: LabelsDeps) {
  const { config, sink, logger, metrics = createServiceMetrics(logger, config.service) } = deps;
  const steps = { ...config.results, ...config.limits, sink, logger, metrics };
  return edge.edgeHandler({ logger, metrics }, async (input) => {
    edge.assertRoute(input, 'feedback');
    return edge.httpAccepted(await recordFeedback(edge.bodyOf(input), steps));
  });
}

const config = readConfig();
const logger = new Logger({ serviceName: config.service.name });
const metrics = createServiceMetrics(logger, config.service);
/** The Lambda entry point (`labels.handler`). */
export const handler = createLabelsHandler({
  config,
  sink: predictSink(config.results, logger, metrics),
  logger,
  metrics,
});
