import { MatcherError } from '../errors';
import { statusOf } from './status-of';

/** The logging {@link logRequestError} needs (Powertools' `Logger` has it). */
export interface ErrorLogger {
  info(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/**
 * Logs a request's error once: a client's mistake (4xx) at info level with its code and field,
 * anything else at error level with the error itself (stack included; never in the reply).
 */
export function logRequestError(logger: ErrorLogger, error: unknown, requestId: string): void {
  if (error instanceof MatcherError && statusOf(error) < 500)
    logger.info('request rejected', { code: error.code, field: error.field, request_id: requestId });
  else
    logger.error('request failed', {
      error: error instanceof Error ? error : String(error),
      request_id: requestId,
    });
}
