/**
 * The one family of errors the matcher raises. Each carries a stable `code` that clients may
 * branch on, the offending `field` where there is one, and the `cause` it wraps. They are
 * mapped to HTTP statuses or invoke replies only at the edge (`lambda/edge/`).
 */
export class MatcherError extends Error {
  /** HTTP status the edge answers with when this error reaches it. */
  readonly status: number = 500;

  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request as a whole is not a matcher request (not JSON, not an object, lists missing). */
export class InvalidRequestError extends MatcherError {
  override readonly status: number = 400;
}

/** The request is a matcher request but over a size limit (body bytes, pair count, reply bytes). */
export class RequestTooLargeError extends MatcherError {
  override readonly status = 413;
}

/** No route answers this method and path. */
export class RouteNotFoundError extends MatcherError {
  override readonly status = 404;
}

/** The route exists but not for this HTTP method. */
export class MethodNotAllowedError extends MatcherError {
  override readonly status = 405;
}

/** The model artifact could not be read, verified or loaded. */
export class ModelLoadError extends MatcherError {
  override readonly status = 503;
}

/**
 * A model store operation failed: the store is unreachable, a version or alias does not exist,
 * a version already exists, or there is nothing to roll back to. Codes are listed in the README
 * ("Model lifecycle").
 */
export class ModelStoreError extends MatcherError {
  override readonly status = 503;
}

/**
 * Results or labels could not be taken or handed on: no results store is configured
 * (`feedback_unavailable`), the sink's buffer is full (`results_backlog`), the labels were not handed off in time (`results_handoff_timeout`), or a flush ran out of
 * time (`flush_timeout`).
 */
export class ResultsStoreError extends MatcherError {
  override readonly status = 503;
}

/** A message on the results queue that is not a results message (poison: it goes to the dead-letter queue). */
export class InvalidResultsMessageError extends MatcherError {
  override readonly status = 400;
}
