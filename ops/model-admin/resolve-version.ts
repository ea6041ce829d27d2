import { ModelStoreError } from '../../lambda/errors';
import {
  ALIAS_PATTERN,
  type Manifest,
  type ModelStore,
  readManifest,
  readPointer,
  STORE_LAYOUT,
  versionId,
} from '../../lambda/model-store';

/**
 * Resolves `ref`, an alias name (`live`, `candidate`) or a version id, to a published version
 * and reads its manifest. Throws `version_not_found` when there is no such alias or version.
 */
export async function resolveVersion(
  store: ModelStore,
  ref: string,
): Promise<{ version: string; manifest: Manifest; viaAlias?: string }> {
  if (ALIAS_PATTERN.test(ref)) {
    const pointer = await readPointer(store, ref);
    if (pointer) return { ...(await readVersionManifest(store, pointer.version)), viaAlias: ref };
  }
  return readVersionManifest(store, ref);
}

/** Reads a published version's manifest; `version_not_found` when it is not (completely) published. */
export async function readVersionManifest(
  store: ModelStore,
  version: string,
): Promise<{ version: string; manifest: Manifest }> {
  try {
    return { version, manifest: await readManifest(store, STORE_LAYOUT.versionPrefix(versionId(version))) };
  } catch (error) {
    if (error instanceof ModelStoreError && error.code === 'model_not_found') {
      throw new ModelStoreError(
        'version_not_found',
        `no version or alias "${version}" in ${store.location}`,
        'version',
        { cause: error },
      );
    }
    throw error;
  }
}
