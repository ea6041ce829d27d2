import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ErrorReply } from '../contract';
import { MatcherError, ModelLoadError, RequestTooLargeError, ResultsStoreError } from '../errors';
import { statusOf } from './status-of';

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

// Lambda returns at most 6 MB (6,291,456 bytes) from a synchronous invocation, envelope included;
// the margin covers the API Gateway proxy envelope around the body.
export const MAX_REPLY_BYTES = 6 * 1024 * 1024 - 4096;

/** A 200 API Gateway reply carrying `body` as JSON, plus any extra headers. */
export function httpOk(body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  const json = JSON.stringify(body);
  assertReplyFits(json);
  return { statusCode: 200, headers: { ...JSON_HEADERS, ...headers }, body: json };
}

/**
 * A 200 API Gateway reply whose body is `json`, already written (the matcher's reply), naming the
 * model version that scored it. Its headers are one literal: a spread of two header objects was
 * a visible part of a 1 × 1 request over HTTP in the profile of the local server.
 */
export function httpOkJson(json: string, modelVersion: string): APIGatewayProxyResult {
  assertReplyFits(json);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'x-model-version': modelVersion },
    body: json,
  };
}

/**
 * The reply of a direct invoke, after checking that Lambda can return it. Small replies are
 * not serialised to check: 1,000 entries with the longest ids allowed are under 4 MB.
 */
export function invokeOk<T extends readonly unknown[]>(entries: T): T {
  if (entries.length > 1000) assertReplyFits(JSON.stringify(entries));
  return entries;
}

/** A 202 API Gateway reply: the request was taken and will be processed (`POST /feedback`). */
export function httpAccepted(body: unknown): APIGatewayProxyResult {
  return { statusCode: 202, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/**
 * Throws `reply_too_large` (413) when `json` is over {@link MAX_REPLY_BYTES}: Lambda would
 * otherwise fail the invocation, and API Gateway answer an unlabelled 502.
 */
export function assertReplyFits(json: string): void {
  if (json.length <= MAX_REPLY_BYTES / 3) return;
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_REPLY_BYTES) {
    throw new RequestTooLargeError(
      'reply_too_large',
      `the reply would be ${bytes} bytes, over Lambda's 6 MB limit; send fewer line items (or shorter ids) a request`,
      'all_user_expense_lineitems',
    );
  }
}

/** The API Gateway reply for an error: its status, and `{ error: { code, message, field } }`. */
export function httpError(error: unknown, requestId: string | undefined): APIGatewayProxyResult {
  return {
    statusCode: statusOf(error),
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
  if (error instanceof MatcherError && statusOf(error) < 500) {
    return {
      error: {
        code: error.code,
        message: error.message,
        ...(error.field === undefined ? {} : { field: error.field }),
      },
    };
  }
  // Its messages are written for clients: retry later, or where labels can be sent.
  if (error instanceof ResultsStoreError)
    return { error: { code: error.code, message: `${error.message}${ref}` } };
  if (error instanceof ModelLoadError) {
    return { error: { code: 'model_unavailable', message: `the model is not available right now${ref}` } };
  }
  return { error: { code: 'internal_error', message: `internal error${ref}` } };
}
