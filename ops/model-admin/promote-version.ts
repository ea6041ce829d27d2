import { ModelStoreError } from '../../lambda/errors';
import {
  type AliasPointer,
  aliasId,
  type ModelStore,
  POINTER_HISTORY,
  readPointer,
  STORE_LAYOUT,
  writePointer,
} from '../../lambda/model-store';
import { readVersionManifest } from './resolve-version';

/** What moving an alias did. */
export interface AliasMove {
  readonly alias: string;
  readonly version: string;
  /** The version the alias named before, if any. */
  readonly previous?: string;
  /** False when the alias already named this version (nothing was written). */
  readonly changed: boolean;
}

/**
 * Points `alias` (`live`, `candidate`, ...) at a published `version`, remembering the version it
 * named before so that {@link rollbackAlias} can go back. The version must be completely published
 * (its manifest and every file it lists present at the listed sizes), or `version_not_found` /
 * `incomplete_version` says why not. Services reading the alias pick the move up at their next
 * re-check.
 */
export async function promoteVersion(
  store: ModelStore,
  alias: string,
  version: string,
  now: Date = new Date(),
): Promise<AliasMove> {
  aliasId(alias);
  const { manifest } = await readVersionManifest(store, version);
  const prefix = STORE_LAYOUT.versionPrefix(version);
  for (const file of manifest.files) {
    const head = await store.readRange(`${prefix}${file.path}`, 0, 0);
    if (head?.totalBytes !== file.bytes) {
      throw new ModelStoreError(
        'incomplete_version',
        `version ${version} is incomplete: ${file.path} is ${head ? `${head.totalBytes} bytes, not ${file.bytes}` : 'missing'}`,
        file.path,
      );
    }
  }
  const current = await readPointer(store, alias);
  if (current?.version === version) return { alias, version, previous: version, changed: false };
  const at = now.toISOString();
  const pointer: AliasPointer = {
    alias,
    version,
    updated_at: at,
    history: current
      ? [{ version: current.version, until: at }, ...current.history].slice(0, POINTER_HISTORY)
      : [],
  };
  await writePointer(store, pointer);
  return { alias, version, ...(current ? { previous: current.version } : {}), changed: true };
}
