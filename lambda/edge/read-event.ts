import { isUtf8 } from 'node:buffer';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

/** An HTTP request that arrived through API Gateway (REST proxy v1 or HTTP API v2). */
export interface HttpInput {
  readonly kind: 'http';
  readonly format: 'rest' | 'http-api';
  readonly method: string;
  readonly path: string;
  /** The body as text (base64 already decoded); undefined when there was none. */
  readonly body: string | undefined;
  /**
   * Set when a base64 body's bytes are not valid UTF-8: the body is refused (400 `invalid_utf8`)
   * rather than decoded with replacement characters, which would make distinct raw ids collide.
   */
  readonly invalidUtf8?: true;
}

/** A direct `Invoke` (SDK, boto3): the payload is the request object itself. */
export interface InvokeInput {
  readonly kind: 'invoke';
  readonly payload: unknown;
}

export type EventInput = HttpInput | InvokeInput;

/**
 * Tells the three ways a request arrives apart (DESIGN.md "The one path a request takes"):
 * an API Gateway REST proxy event, an HTTP API v2 event, or a direct invoke payload.
 */
export function readEvent(event: unknown): EventInput {
  if (isRestEvent(event)) return httpInput('rest', event.httpMethod, stringOr(event.path), event);
  if (isHttpApiEvent(event)) {
    const http = event.requestContext.http;
    return httpInput('http-api', http.method, stringOr(event.rawPath, http.path), event);
  }
  return { kind: 'invoke', payload: event };
}

/** The input of an HTTP event, its body decoded (one object of one shape: no spread a request). */
function httpInput(
  format: HttpInput['format'],
  method: string,
  path: string,
  event: { body?: string | null; isBase64Encoded?: boolean },
): HttpInput {
  const body = event.body;
  if (typeof body !== 'string') return { kind: 'http', format, method, path, body: undefined };
  if (!event.isBase64Encoded) return { kind: 'http', format, method, path, body };
  const bytes = Buffer.from(body, 'base64');
  return isUtf8(bytes)
    ? { kind: 'http', format, method, path, body: bytes.toString('utf8') }
    : { kind: 'http', format, method, path, body: undefined, invalidUtf8: true };
}

function isRestEvent(event: unknown): event is APIGatewayProxyEvent {
  return isObject(event) && typeof event.httpMethod === 'string' && isObject(event.requestContext);
}

function isHttpApiEvent(event: unknown): event is APIGatewayProxyEventV2 {
  if (!isObject(event) || event.version !== '2.0' || !isObject(event.requestContext)) return false;
  const http = event.requestContext.http;
  return isObject(http) && typeof http.method === 'string';
}

/** The first argument that is a string, or '' (event fields are client-shaped: trust no type). */
function stringOr(value: unknown, fallback?: unknown): string {
  if (typeof value === 'string') return value;
  return typeof fallback === 'string' ? fallback : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
