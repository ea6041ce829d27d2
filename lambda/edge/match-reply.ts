import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ReplyEntry } from '../contract';
import { InvalidRequestError, RouteNotFoundError } from '../errors';
import type { EventInput } from './read-event';
import { errorReply, httpError, httpOkJson, invokeOk } from './replies';
import { ROUTES, type RouteName, routeOf } from './route';

/**
 * The matcher request an event carries: an HTTP body, or an invoke payload. Some clients
 * JSON-encode the invoke payload twice; a string payload is read as a body.
 */
export function matchRequestOf(input: EventInput): { readonly body: string } | { readonly payload: unknown } {
  if (input.kind === 'http') return { body: bodyOf(input) };
  return typeof input.payload === 'string' ? { body: input.payload } : { payload: input.payload };
}

/**
 * An HTTP request's body (`''` when it has none, or for an invoke payload).
 * @throws InvalidRequestError (400 `invalid_utf8`) for a base64 body whose bytes are not UTF-8
 */
export function bodyOf(input: EventInput): string {
  if (input.kind !== 'http') return '';
  if (input.invalidUtf8) {
    throw new InvalidRequestError('invalid_utf8', 'the request body is not valid UTF-8', 'body');
  }
  return input.body ?? '';
}

/**
 * The route an event takes in the scoring function: an HTTP request's by method and path; a direct
 * invoke always scores.
 * @throws RouteNotFoundError (404) for `/feedback`, which only the labels function serves
 */
export function routeOfEvent(input: EventInput): Exclude<RouteName, 'feedback'> {
  if (input.kind !== 'http') return 'match';
  const route = routeOf(input);
  if (route === 'feedback') throw notHere('feedback', 'the scoring function');
  return route;
}

/**
 * Checks that an event is the one HTTP route a single-purpose function serves (the labels
 * function: `POST /feedback`); a direct invoke or any other route is refused with 404.
 */
export function assertRoute(input: EventInput, only: RouteName): void {
  if (input.kind === 'http' && routeOf(input) === only) return;
  throw notHere(only === 'feedback' ? 'match' : 'feedback', 'the labels function');
}

function notHere(route: RouteName, where: string): RouteNotFoundError {
  const other = route === 'feedback' ? 'the labels function' : 'the scoring function';
  const { method, path } = ROUTES[route];
  return new RouteNotFoundError(
    'not_found',
    `${where} does not serve this request; ${method} ${path} goes to ${other}, through the API`,
    'path',
  );
}

/**
 * The reply to a scored request: the entries (invoke), or a 200 naming the model version (HTTP)
 * whose body is the reply JSON the matcher wrote straight from ids and scores.
 */
export function matchReply(
  input: EventInput,
  scored: { readonly entries: readonly ReplyEntry[]; readonly modelVersion: string; json(): string },
): unknown {
  if (input.kind === 'invoke') return invokeOk(scored.entries);
  return httpOkJson(scored.json(), scored.modelVersion);
}

/** The reply to a failed request: the error body (invoke), or an API Gateway reply with its status (HTTP). */
export function failureReply(
  input: EventInput,
  error: unknown,
  requestId: string,
): APIGatewayProxyResult | ReturnType<typeof errorReply> {
  return input.kind === 'invoke' ? errorReply(error, requestId) : httpError(error, requestId);
}
