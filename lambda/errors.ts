/**
 * Every `code` a {@link MatcherError} carries: stable strings clients and operators may branch on,
 * listed with their meaning in `docs/contract.md` ("Error codes"). Request-level codes reach
 * clients; store and results codes reach the CLI, logs and the writer's dead-letter queue.
 */
export type ErrorCode =
  // The request as a whole (400, 413), and routing (404, 405).
  | 'invalid_json'
  | 'invalid_utf8'
  | 'not_a_matcher_request'
  | 'missing_field'
  | 'not_a_list'
  | 'invalid_request'
  | 'payload_too_large'
  | 'too_many_pairs'
  | 'reply_too_large'
  | 'too_many_labels'
  | 'not_found'
  | 'method_not_allowed'
  // Loading the model (clients see `model_unavailable`).
  | 'model_not_found'
  | 'invalid_manifest'
  | 'invalid_artifact'
  | 'model_file_missing'
  | 'checksum_mismatch'
  | 'feature_spec_mismatch'
  | 'golden_mismatch'
  | 'alias_not_set'
  | 'no_backend'
  // The model store and its admin operations.
  | 'store_unreachable'
  | 'invalid_version'
  | 'invalid_alias'
  | 'invalid_pointer'
  | 'version_exists'
  | 'version_not_found'
  | 'incomplete_version'
  | 'alias_not_found'
  | 'nothing_to_roll_back'
  // Batch scoring steps (lambda/batch/).
  | 'key_outside_prefix'
  | 'invalid_batch_event'
  | 'batch_input_changed'
  // Results and labels.
  | 'feedback_unavailable'
  | 'results_backlog'
  | 'results_handoff_timeout'
  | 'flush_timeout'
  | 'invalid_message'
  | 'results_send_failed'
  // One pair of a scored request (the rest of the reply is scored).
  | 'score_not_finite'
  // A setting the service cannot use (the function fails at cold start).
  | 'invalid_configuration';

/**
 * The one family of errors the matcher raises. Each carries a stable `code` that clients may
 * branch on, the offending `field` where there is one, and the `cause` it wraps. HTTP statuses and
 * what a client sees are decided at the edge only (`lambda/edge/`). Each class writes its `name`
 * as a literal: the bundles are minified, and logs should name the class, not a minified one.
 */
export class MatcherError extends Error {
  override name = 'MatcherError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The request as a whole is not a matcher request (not JSON, not an object, lists missing). */
export class InvalidRequestError extends MatcherError {
  override name = 'InvalidRequestError';
}

/** The request is a matcher request but over a size limit (body bytes, pair count, reply bytes). */
export class RequestTooLargeError extends MatcherError {
  override name = 'RequestTooLargeError';
}

/** No route answers this method and path. */
export class RouteNotFoundError extends MatcherError {
  override name = 'RouteNotFoundError';
}

/** The route exists but not for this HTTP method. */
export class MethodNotAllowedError extends MatcherError {
  override name = 'MethodNotAllowedError';
}

/** The model artifact could not be read, verified or loaded. */
export class ModelLoadError extends MatcherError {
  override name = 'ModelLoadError';
}

/**
 * A model store operation failed: the store is unreachable, an artifact in it is missing or
 * invalid, a version or alias does not exist, a version already exists, or there is nothing to
 * roll back to. Codes are listed in `docs/contract.md`.
 */
export class ModelStoreError extends MatcherError {
  override name = 'ModelStoreError';
}

/**
 * Results or labels could not be taken or handed on: no results store is configured
 * (`feedback_unavailable`), the sink's buffer is full (`results_backlog`), the labels were not handed off in time (`results_handoff_timeout`), or a flush ran out of
 * time (`flush_timeout`).
 */
export class ResultsStoreError extends MatcherError {
  override name = 'ResultsStoreError';
}

/** A message on the results queue that is not a results message (poison: it goes to the dead-letter queue). */
export class InvalidResultsMessageError extends MatcherError {
  override name = 'InvalidResultsMessageError';
}

/**
 * A setting (an environment variable) the service cannot use. `field` names it, and the message
 * starts `configuration <SETTING>:` and says what is wrong. Thrown at init, so a misconfigured
 * function fails at cold start rather than on some later request.
 */
export class ConfigurationError extends MatcherError {
  override name = 'ConfigurationError';

  constructor(setting: string, problem: string, options?: { cause?: unknown }) {
    super('invalid_configuration', `configuration ${setting}: ${problem}`, setting, options);
  }
}
