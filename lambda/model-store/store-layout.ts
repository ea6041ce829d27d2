import { ModelStoreError } from '../errors';

/**
 * Where things live in a model store (DESIGN.md #4):
 *
 * ```
 * versions/<version>/manifest.json   written last: a version without it is incomplete
 * versions/<version>/model.json      TF.js layers topology and weights manifest
 * versions/<version>/<shard>.bin     weight shards
 * aliases/<alias>.json               pointer: which version the alias names, and its history
 * ```
 */
export const STORE_LAYOUT = {
  versions: 'versions/',
  aliases: 'aliases/',
  versionPrefix: (version: string) => `versions/${versionId(version)}/`,
  alias: (alias: string) => `aliases/${aliasId(alias)}.json`,
} as const;

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** What an alias name may be: it becomes an object key, so nothing that could escape its folder. */
export const ALIAS_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Checks a version id (the manifest's `version`, a time-stamped batch id); throws naming it. */
export function versionId(version: string): string {
  if (!VERSION.test(version) || version.includes('..')) {
    throw new ModelStoreError('invalid_version', `"${version}" is not a version id`, 'version');
  }
  return version;
}

/** Checks an alias name (`live`, `candidate`, ...); throws naming it. */
export function aliasId(alias: string): string {
  if (!ALIAS_PATTERN.test(alias)) {
    throw new ModelStoreError(
      'invalid_alias',
      `"${alias}" is not an alias name (a-z, 0-9, - and _)`,
      'alias',
    );
  }
  return alias;
}
