import { type ErrorCode, ModelLoadError, ModelStoreError } from '../errors';

/** What the store says about an artifact that makes it unloadable (as opposed to the store being unreachable). */
const ARTIFACT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'model_not_found',
  'invalid_manifest',
  'model_file_missing',
  'checksum_mismatch',
  'invalid_artifact',
]);

/**
 * Reads from the store as a step of loading a model: an artifact the store found missing or
 * invalid becomes a {@link ModelLoadError} with the same code, field and cause (clients see
 * `model_unavailable`); an unreachable store stays a `ModelStoreError` (`store_unreachable`).
 */
export async function asLoadStep<T>(reading: Promise<T>): Promise<T> {
  try {
    return await reading;
  } catch (error) {
    if (error instanceof ModelStoreError && ARTIFACT_CODES.has(error.code)) {
      throw new ModelLoadError(error.code, error.message, error.field, { cause: error.cause });
    }
    throw error;
  }
}
