import { type ErrorLogger, logRequestError } from './log-request-error';
import { failureReply } from './match-reply';
import { type EventInput, readEvent } from './read-event';
import { type InvocationContext, requestIdOf } from './request-id';

/** What {@link edgeHandler} needs around a handler's own steps. */
export interface EdgeDeps {
  readonly logger: ErrorLogger;
  /** Published once per invocation, whatever the outcome (the service's metrics). */
  readonly metrics: { publish(): void };
}

/** A handler's own steps: the event as read, and the invocation's request id, to the reply. */
export type EdgeSteps = (input: EventInput, requestId: string) => Promise<unknown>;

/**
 * The edge around an API Gateway or invoke handler: reads the event, takes the request id, runs
 * `steps`, and turns whatever they throw into the reply for that event (status from the error;
 * never a stack trace), logged once. Metrics are published after every invocation. The handler
 * it returns never throws.
 *
 * @example
 * export const handler = edgeHandler({ logger, metrics }, async (input) => httpOk(await work(input)));
 */
export function edgeHandler(deps: EdgeDeps, steps: EdgeSteps) {
  return async function handler(event: unknown, context?: InvocationContext): Promise<unknown> {
    const input = readEvent(event);
    const requestId = requestIdOf(context);
    try {
      return await steps(input, requestId);
    } catch (error) {
      logRequestError(deps.logger, error, requestId);
      return failureReply(input, error, requestId);
    } finally {
      deps.metrics.publish();
    }
  };
}
