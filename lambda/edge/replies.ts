import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ErrorReply } from '../contract';
import { MatcherError } from '../errors';

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** A 200 API Gateway reply carrying `body` as JSON, plus any extra headers. */
export function httpOk(body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: 200, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** The API Gateway reply for an error: its status, and `{ error: { code, message, field } }`. */
export function httpError(error: unknown, requestId: string | undefined): APIGatewayProxyResult {
  return {
    statusCode: error instanceof MatcherError ? error.status : 500,
    headers: JSON_HEADERS,
    body: JSON.stringify(errorReply(error, requestId)),
  };
}

/**
 * What a client may see of an error, the same for API Gateway bodies and direct invoke
 * replies. Client errors (4xx) say what was wrong; internal ones say so, with the request id
 * to quote, and never their internals.
 */
export function errorReply(error: unknown, requestId: string | undefined): ErrorReply {
  const ref = requestId ? ` (request id ${requestId})` : '';
  if (error instanceof MatcherError && error.status < 500) {
    return {
      error: {
        code: error.code,
        message: error.message,
        ...(error.field === undefined ? {} : { field: error.field }),
      },
    };
  }
  if (error instanceof MatcherError) {
    return { error: { code: 'model_unavailable', message: `the model is not available right now${ref}` } };
  }
  return { error: { code: 'internal_error', message: `internal error${ref}` } };
}
