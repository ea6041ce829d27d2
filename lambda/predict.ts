import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { type Config, readConfig } from './config';
import { errorReply, httpError, httpOk, invokeOk, readEvent, routeOf } from './edge';
import { MatcherError } from './errors';
import { health, type ScoredRequest, scoreRequest } from './matcher';
import { requestModels } from './model';
import { discardingSink, type ResultSink, toResultRows } from './results';

/** What the predict handler is built from; module scope builds the real ones, tests their own. */
export interface PredictDeps {
  readonly config: Config;
  readonly sink: ResultSink;
  readonly logger: Logger;
}

/**
 * The predict function: one handler for API Gateway REST (v1) and HTTP API (v2) proxy events and
 * for direct `Invoke` payloads. It adapts the event, calls the matcher, hands the scored rows to
 * the results sink, and maps the result or error to the reply. It never throws, so no client
 * input can crash the function.
 */
export function createPredictHandler({ config, sink, logger }: PredictDeps) {
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
        record(scored, requestId);
        return reply;
      }
      if (routeOf(input) === 'health') return httpOk(await health(config));
      const scored = await scoreRequest({ body: input.body ?? '' }, config);
      const reply = httpOk(scored.entries, { 'x-model-version': scored.modelVersion });
      record(scored, requestId);
      return reply;
    } catch (error) {
      log(error, requestId);
      return input.kind === 'invoke' ? errorReply(error, requestId) : httpError(error, requestId);
    }
  };

  /** Hands the reply's rows (and the shadow model's) to the sink; never fails a scored reply. */
  function record(scored: ScoredRequest, requestId: string): void {
    const { entries, modelVersion, threshold, shadow } = scored;
    logger.debug('scored', {
      pairs: scored.pairs,
      entry_errors: scored.entryErrors,
      model_version: modelVersion,
    });
    if (sink === discardingSink) return;
    try {
      const scoredAt = new Date();
      sink.record(toResultRows(entries, { requestId, modelVersion, threshold, role: 'live', scoredAt }));
      if (shadow) {
        const run = { requestId, modelVersion: shadow.modelVersion, threshold: shadow.threshold, scoredAt };
        sink.record(toResultRows(shadow.entries, { ...run, role: 'shadow' }));
      }
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
const logger = new Logger({ serviceName: 'budget-expense-matcher' });
// Start loading the model during the init phase; a failure here is retried by the first request.
requestModels(config).catch((error: unknown) => logger.error('model load failed at init', { error }));

/** The Lambda entry point (`predict.handler`). Results are discarded until a results store exists. */
export const handler = createPredictHandler({ config, sink: discardingSink, logger });
