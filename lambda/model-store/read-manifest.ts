import { ModelStoreError } from '../errors';
import { type Manifest, manifestSchema } from './manifest';
import type { ModelStore } from './model-store';

/**
 * Reads and validates the `manifest.json` under `prefix` (`''` for a flat artifact directory,
 * `versions/<v>/` in a versioned store). Throws a {@link ModelStoreError}: `model_not_found` when
 * there is none, `invalid_manifest` naming the first field that is wrong.
 */
export async function readManifest(store: ModelStore, prefix: string): Promise<Manifest> {
  const key = `${prefix}manifest.json`;
  const raw = await store.readSmall(key);
  if (raw === undefined) {
    throw new ModelStoreError(
      'model_not_found',
      `no model manifest at ${store.location.replace(/\/$/, '')}/${key}`,
      'manifest.json',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (cause) {
    throw new ModelStoreError(
      'invalid_manifest',
      `manifest.json is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`,
      'manifest.json',
      { cause },
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelStoreError(
      'invalid_manifest',
      `manifest.json: ${issue?.path.join('.')} ${issue?.message}`,
      issue?.path.join('.'),
    );
  }
  return parsed.data;
}
