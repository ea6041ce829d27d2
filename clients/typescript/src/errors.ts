/**
 * Every error the client throws. `code` is stable and branchable: the service's own code for a
 * whole-request error (`too_many_pairs`, `model_unavailable`, ...), the function error type for a
 * function that failed, the AWS error name for a Lambda API error (`TooManyRequestsException`
 * once retries are spent), or one of the client's own (`entry_too_large`, `unexpected_reply`).
 */
export class MatcherClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MatcherClientError';
  }
}

/**
 * The service refused the request as a whole (CONTRACT.md: not a matcher request, over a limit,
 * model unavailable): `code`, `message` and `field` as the service wrote them.
 */
export class MatcherServiceError extends MatcherClientError {
  constructor(
    code: string,
    message: string,
    /** The request field the service named, when it named one. */
    readonly field: string | undefined,
    /** The HTTP status, for the `url` variant. */
    readonly status: number | undefined,
  ) {
    super(code, message);
    this.name = 'MatcherServiceError';
  }
}

/**
 * The function failed (Lambda's `FunctionError`: it threw, timed out or ran out of memory);
 * `code` is Lambda's `errorType` (`Sandbox.Timedout`, `Runtime.ExitError`, ...).
 */
export class MatcherFunctionError extends MatcherClientError {
  constructor(
    code: string,
    message: string,
    /** Lambda's `FunctionError` header: `Unhandled` (or `Handled`). */
    readonly functionError: string,
  ) {
    super(code, message);
    this.name = 'MatcherFunctionError';
  }
}

/**
 * The call did not reach an answer: the Lambda API refused it (throttled past the retries, no
 * such function, not allowed), the HTTP route answered without the service's error shape, or the
 * network failed. `code` is the AWS error name or `http_<status>`; `cause` is the original.
 */
export class MatcherTransportError extends MatcherClientError {
  constructor(
    code: string,
    message: string,
    /** The HTTP status, when there was a response. */
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'MatcherTransportError';
  }
}
