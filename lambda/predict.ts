import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { readConfig } from './config';
import { errorReply, httpError, httpOk, readEvent, routeOf } from './edge';
import { MatcherError } from './errors';
import { health, scoreRequest } from './matcher';
import { currentModel } from './model';

const config = readConfig();
const logger = new Logger({ serviceName: 'budget-expense-matcher' });
// Start loading the model during the init phase; a failure here is retried by the first request.
currentModel(config).catch((error: unknown) => logger.error('model load failed at init', { error }));

/**
 * The predict function: one handler for API Gateway REST (v1) and HTTP API (v2) proxy events and
 * for direct `Invoke` payloads. It adapts the event, calls the matcher, and maps the result or
 * error to the reply; it never throws, so no client input can crash the function.
 */
export async function handler(event: unknown, context?: Partial<Context>): Promise<unknown> {
  const input = readEvent(event);
  try {
    if (input.kind === 'invoke') {
      // Some clients JSON-encode the request twice; a string payload is read as a body.
      const request =
        typeof input.payload === 'string' ? { body: input.payload } : { payload: input.payload };
      return (await scoreRequest(request, config)).entries;
    }
    if (routeOf(input) === 'health') return httpOk(await health(config));
    const scored = await scoreRequest({ body: input.body ?? '' }, config);
    logger.debug('scored', {
      pairs: scored.pairs,
      entry_errors: scored.entryErrors,
      model_version: scored.modelVersion,
    });
    return httpOk(scored.entries, { 'x-model-version': scored.modelVersion });
  } catch (error) {
    log(error, context?.awsRequestId);
    return input.kind === 'invoke'
      ? errorReply(error, context?.awsRequestId)
      : httpError(error, context?.awsRequestId);
  }
}

function log(error: unknown, requestId: string | undefined): void {
  if (error instanceof MatcherError && error.status < 500)
    logger.info('request rejected', { code: error.code, field: error.field });
  else
    logger.error('request failed', {
      error: error instanceof Error ? error : String(error),
      request_id: requestId,
    });
}
