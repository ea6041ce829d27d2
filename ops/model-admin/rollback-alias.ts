import { ModelStoreError } from '../../lambda/errors';
import { aliasId, type ModelStore, readPointer, writePointer } from '../../lambda/model-store';
import type { AliasMove } from './promote-version';
import { readVersionManifest } from './resolve-version';

/**
 * Moves `alias` back to the version it named before the last promotion, and forgets the version
 * rolled back from (a second rollback goes one further back). Nothing is deleted: the version
 * rolled back from stays in the store for audit and comparison. Throws `alias_not_found` or
 * `nothing_to_roll_back`.
 */
export async function rollbackAlias(
  store: ModelStore,
  alias: string,
  now: Date = new Date(),
): Promise<AliasMove> {
  aliasId(alias);
  const current = await readPointer(store, alias);
  if (!current) {
    throw new ModelStoreError('alias_not_found', `alias "${alias}" is not set in ${store.location}`, 'alias');
  }
  const [previous, ...older] = current.history;
  if (!previous) {
    throw new ModelStoreError(
      'nothing_to_roll_back',
      `alias "${alias}" has named only ${current.version}; there is no earlier version to roll back to`,
      'alias',
    );
  }
  await readVersionManifest(store, previous.version);
  await writePointer(store, {
    alias,
    version: previous.version,
    updated_at: now.toISOString(),
    history: older,
  });
  return { alias, version: previous.version, previous: current.version, changed: true };
}
