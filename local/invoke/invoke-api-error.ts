/**
 * An error of the Lambda API itself (not of the function), answered the way AWS answers it:
 * its HTTP status, its type in the `x-amzn-ErrorType` header, and `{ Type, message }` as the JSON
 * body. Both the JS SDK and botocore read the error code from that header and the message from
 * the body, so callers get the same exception class as from AWS.
 */
export class InvokeApiError extends Error {
  constructor(
    /** HTTP status, as Lambda's API reference lists it for this error type. */
    readonly status: number,
    /** The exception name the SDKs map to a class, e.g. `ResourceNotFoundException`. */
    readonly type: string,
    message: string,
    /** Whether the caller (`User`) or the service (`Service`) is at fault, as Lambda's `Type` field says. */
    readonly fault: 'User' | 'Service' = 'User',
  ) {
    super(message);
    this.name = type;
  }
}
