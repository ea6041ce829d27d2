import { InvalidRequestError, RequestTooLargeError } from '../errors';

/**
 * Decodes a request body that must be JSON, for every route that takes one.
 * @throws RequestTooLargeError (413 `payload_too_large`) over `maxBodyBytes`;
 *   InvalidRequestError (400 `invalid_json`) when it is not JSON
 */
export function readJsonBody(body: string, maxBodyBytes: number): unknown {
  // A UTF-8 string is never more bytes than 3 per UTF-16 unit: skip the exact count when small.
  if (body.length * 3 > maxBodyBytes && Buffer.byteLength(body, 'utf8') > maxBodyBytes) {
    throw new RequestTooLargeError(
      'payload_too_large',
      `the request body is ${Buffer.byteLength(body, 'utf8')} bytes; the limit is ${maxBodyBytes}`,
      'body',
    );
  }
  try {
    return JSON.parse(body);
  } catch (cause) {
    const detail = cause instanceof SyntaxError ? `: ${cause.message}` : '';
    throw new InvalidRequestError('invalid_json', `the request body is not valid JSON${detail}`, 'body', {
      cause,
    });
  }
}
