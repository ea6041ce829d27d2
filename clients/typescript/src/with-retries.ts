import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorType, RetryStrategyV2 } from '@smithy/types';

/** How a failed attempt is classified for the retry strategy; `undefined`: not retried. */
export type Classify = (error: unknown) => { type: RetryErrorType; retryAfterMs?: number } | undefined;

/**
 * Runs `attempt` under the AWS SDK's standard retry strategy (`@smithy/core/retry`): exponential
 * backoff with full jitter (base 100 ms, 500 ms after throttling, at most 20 s), a bounded number of
 * attempts and the shared retry quota that stops a client from retrying into an outage.
 */
export async function withRetries<T>(
  strategy: RetryStrategyV2,
  scope: string,
  attempt: () => Promise<T>,
  classify: Classify,
): Promise<T> {
  let token = await strategy.acquireInitialRetryToken(scope);
  for (;;) {
    try {
      const result = await attempt();
      strategy.recordSuccess(token);
      return result;
    } catch (error) {
      const kind = classify(error);
      if (kind === undefined) throw error;
      try {
        token = await strategy.refreshRetryTokenForRetry(token, {
          errorType: kind.type,
          ...(kind.retryAfterMs === undefined
            ? {}
            : { retryAfterHint: new Date(Date.now() + kind.retryAfterMs) }),
        });
      } catch {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, token.getRetryDelay()));
    }
  }
}

/** The SDK's standard strategy with `maxAttempts` attempts in all. */
export function standardRetries(maxAttempts: number): RetryStrategyV2 {
  return new StandardRetryStrategy(maxAttempts);
}
