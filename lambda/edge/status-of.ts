import {
  InvalidRequestError,
  MethodNotAllowedError,
  ModelLoadError,
  ModelStoreError,
  RequestTooLargeError,
  ResultsStoreError,
  RouteNotFoundError,
} from '../errors';

/**
 * The HTTP status the edge answers an error with: 4xx for the client's mistakes, 503 for what is
 * unavailable right now (the model, the store, the results queue), 500 for anything else. Decided
 * here only; the errors themselves carry no status.
 */
export function statusOf(error: unknown): number {
  if (error instanceof InvalidRequestError) return 400;
  if (error instanceof RouteNotFoundError) return 404;
  if (error instanceof MethodNotAllowedError) return 405;
  if (error instanceof RequestTooLargeError) return 413;
  if (
    error instanceof ModelLoadError ||
    error instanceof ModelStoreError ||
    error instanceof ResultsStoreError
  )
    return 503;
  return 500;
}
