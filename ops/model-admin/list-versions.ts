import { MatcherError } from '../../lambda/errors';
import {
  type Manifest,
  type ModelStore,
  readManifest,
  readPointer,
  STORE_LAYOUT,
} from '../../lambda/model-store';

/** One line of `model list`: a version, the aliases naming it, and its manifest in brief. */
export interface VersionSummary {
  readonly version: string;
  readonly aliases: readonly string[];
  /** Absent when the version has no readable manifest (a publish that did not finish). */
  readonly manifest?: Manifest;
  /** Why the manifest could not be read, when it could not. */
  readonly problem?: string;
}

/**
 * Every version in the store, oldest first (version ids are time-stamped), with the aliases that
 * name it. Versions whose manifest is missing or invalid are listed with the problem, not hidden.
 */
export async function listVersions(store: ModelStore): Promise<VersionSummary[]> {
  const [versions, aliases] = await Promise.all([
    store.listChildren(STORE_LAYOUT.versions),
    aliasTargets(store),
  ]);
  const summaries: VersionSummary[] = [];
  // A few manifests at a time: enough to be quick, few enough not to flood the store.
  for (let i = 0; i < versions.length; i += 8) {
    const batch = versions.slice(i, i + 8);
    summaries.push(
      ...(await Promise.all(
        batch.map(async (version): Promise<VersionSummary> => {
          const named = aliases.get(version) ?? [];
          try {
            return {
              version,
              aliases: named,
              manifest: await readManifest(store, `${STORE_LAYOUT.versions}${version}/`),
            };
          } catch (error) {
            if (error instanceof MatcherError && error.code === 'store_unreachable') throw error;
            return {
              version,
              aliases: named,
              problem: error instanceof Error ? error.message : String(error),
            };
          }
        }),
      )),
    );
  }
  return summaries;
}

/** Alias names by the version each one names. */
export async function aliasTargets(store: ModelStore): Promise<Map<string, string[]>> {
  const names = (await store.listChildren(STORE_LAYOUT.aliases))
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -'.json'.length));
  const targets = new Map<string, string[]>();
  for (const alias of names) {
    const pointer = await readPointer(store, alias).catch(() => undefined);
    if (pointer) targets.set(pointer.version, [...(targets.get(pointer.version) ?? []), alias]);
  }
  return targets;
}
