import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ReplyEntry } from '../contract';
import type { EventInput } from './read-event';
import { errorReply, httpError, httpOk, invokeOk } from './replies';
import { type RouteName, routeOf } from './route';

/**
 * The matcher request an event carries: an HTTP body, or an invoke payload. Some clients
 * JSON-encode the invoke payload twice; a string payload is read as a body.
 */
export function matchRequestOf(input: EventInput): { readonly body: string } | { readonly payload: unknown } {
  if (input.kind === 'http') return { body: input.body ?? '' };
  return typeof input.payload === 'string' ? { body: input.payload } : { payload: input.payload };
}

/** An HTTP request's body (`''` when it has none, or for an invoke payload). */
export function bodyOf(input: EventInput): string {
  return input.kind === 'http' ? (input.body ?? '') : '';
}

/** The route an event takes: an HTTP request's by method and path; a direct invoke always scores. */
export function routeOfEvent(input: EventInput): RouteName {
  return input.kind === 'http' ? routeOf(input) : 'match';
}

/** The reply to a scored request: the entries (invoke), or a 200 naming the model version (HTTP). */
export function matchReply(
  input: EventInput,
  scored: { readonly entries: readonly ReplyEntry[]; readonly modelVersion: string },
): unknown {
  if (input.kind === 'invoke') return invokeOk(scored.entries);
  return httpOk(scored.entries, { 'x-model-version': scored.modelVersion });
}

/** The reply to a failed request: the error body (invoke), or an API Gateway reply with its status (HTTP). */
export function failureReply(
  input: EventInput,
  error: unknown,
  requestId: string,
): APIGatewayProxyResult | ReturnType<typeof errorReply> {
  return input.kind === 'invoke' ? errorReply(error, requestId) : httpError(error, requestId);
}
