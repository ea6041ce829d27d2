import { ModelStoreError } from '../errors';

/** Wraps a failure to reach the store (not a missing key) in a `store_unreachable` error. */
export function unreachable(location: string, key: string, cause: unknown): ModelStoreError {
  const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
  return new ModelStoreError('store_unreachable', `model store ${location} (${key}): ${reason}`, key, {
    cause,
  });
}
