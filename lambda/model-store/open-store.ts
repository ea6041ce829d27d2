import { DirectoryStore } from './directory-store';
import type { ModelStore } from './model-store';

/**
 * Opens the store at `location`: `s3://bucket/prefix` is S3 (through `endpoint` when given, for
 * S3-compatible servers), anything else a local directory.
 * @example openStore('s3://acme-models/matcher') // versions under s3://acme-models/matcher/versions/
 */
export function openStore(location: string, endpoint?: string): ModelStore {
  if (!location.startsWith('s3://')) return new DirectoryStore(location);
  // Required on first use: the AWS SDK costs cold-start time a directory store does not need.
  const { S3Store } = require('./s3-store') as typeof import('./s3-store');
  return S3Store.fromUrl(location, endpoint);
}
