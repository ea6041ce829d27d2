import { join } from 'node:path';
import { ModelStoreError } from '../../lambda/errors';
import { FEATURE_SPEC_HASH } from '../../lambda/features';
import { loadModel } from '../../lambda/model';
import { selectBackend } from '../../lambda/model/backend';
import {
  DirectoryStore,
  type ModelStore,
  readManifest,
  STORE_LAYOUT,
  versionId,
} from '../../lambda/model-store';
import { hashFile } from './hash-file';
import { promoteVersion } from './promote-version';

/** What a publish wrote. */
export interface PublishResult {
  readonly version: string;
  /** Where the version now lives, e.g. `s3://bucket/prefix/versions/2026-11-23T081400Z/`. */
  readonly location: string;
  readonly files: number;
  readonly bytes: number;
  /** Whether the golden requests were run (only for a model of this checkout's feature spec). */
  readonly goldenChecked: boolean;
  /** The alias moved to the new version, when one was asked for. */
  readonly alias?: string;
}

/**
 * Publishes the trained artifact in `artifactDir` (manifest.json, model.json, weight shards) as a
 * new version of `store`, under the manifest's own `version` (the time-stamped batch id training
 * gives it). The local files are verified against the manifest first; a version that already
 * exists is never overwritten (`version_exists`); the model is loaded as serving loads it, so its
 * golden requests are re-run and a model that would be refused (`golden_mismatch`, a score that
 * is not finite or drifted) is never published; the manifest is written last, so a publish that
 * fails half-way leaves no version that anything would list or load. With `alias`, the alias is
 * then moved to the new version.
 */
export async function publishVersion(
  store: ModelStore,
  artifactDir: string,
  options: { readonly alias?: string } = {},
): Promise<PublishResult> {
  const manifest = await readManifest(new DirectoryStore(artifactDir), '');
  const version = versionId(manifest.version);
  let bytes = 0;
  for (const file of manifest.files) {
    const actual = await hashFile(join(artifactDir, file.path)).catch((cause: unknown) => {
      throw new ModelStoreError('model_file_missing', `${file.path} is not in ${artifactDir}`, file.path, {
        cause,
      });
    });
    if (actual.bytes !== file.bytes || actual.sha256 !== file.sha256) {
      throw new ModelStoreError(
        'checksum_mismatch',
        `${file.path} is ${actual.bytes} bytes with sha256 ${actual.sha256.slice(0, 12)}…; the manifest says ${file.bytes} bytes, ${file.sha256.slice(0, 12)}…`,
        file.path,
      );
    }
    bytes += file.bytes;
  }
  // The golden requests, as serving will run them at load (throws ModelLoadError naming the
  // pair). A model for another feature spec cannot be loaded by this checkout: the service that
  // implements its spec runs them when it loads it.
  const goldenChecked = manifest.feature_spec.hash === FEATURE_SPEC_HASH;
  if (goldenChecked) (await loadModel(artifactDir, await selectBackend())).dispose();
  const prefix = STORE_LAYOUT.versionPrefix(version);
  if (await store.exists(`${prefix}manifest.json`)) {
    throw new ModelStoreError(
      'version_exists',
      `version ${version} is already published in ${store.location}; versions are never overwritten (retrain to get a new version)`,
      'version',
    );
  }
  for (const file of manifest.files)
    await store.writeFile(`${prefix}${file.path}`, join(artifactDir, file.path));
  await store.writeFile(`${prefix}manifest.json`, join(artifactDir, 'manifest.json'));
  if (options.alias) await promoteVersion(store, options.alias, version);
  return {
    version,
    location: `${store.location.replace(/\/$/, '')}/${prefix}`,
    files: manifest.files.length + 1,
    bytes,
    goldenChecked,
    ...(options.alias ? { alias: options.alias } : {}),
  };
}
