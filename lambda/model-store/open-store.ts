import { DirectoryStore } from './directory-store';
import type { ModelStore } from './model-store';
import { S3Store } from './s3-store';

/**
 * Opens the store at `location`: `s3://bucket/prefix` is S3 (through `endpoint` when given, for
 * S3-compatible servers), anything else a local directory.
 * @example openStore('s3://acme-models/matcher') // versions under s3://acme-models/matcher/versions/
 */
export function openStore(location: string, endpoint?: string): ModelStore {
  return location.startsWith('s3://') ? S3Store.fromUrl(location, endpoint) : new DirectoryStore(location);
}
