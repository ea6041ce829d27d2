// `s3-store` is left out on purpose: `openStore` requires it on first use, so a function serving
// the embedded model never loads the AWS SDK (cold start).
export {
  type AliasPointer,
  aliasPointerSchema,
  POINTER_HISTORY,
  readPointer,
  writePointer,
} from './alias-pointer';
export { DirectoryStore } from './directory-store';
export {
  type GoldenRequests,
  goldenRequestSchema,
  goldenSchema,
  type Manifest,
  manifestSchema,
  metricSetSchema,
} from './manifest';
export type { ModelStore, RangeRead } from './model-store';
export { openStore } from './open-store';
export { readManifest } from './read-manifest';
export { DEFAULT_READ_OPTIONS, type ObjectRead, type ReadOptions, readObjects } from './read-objects';
export { SegmentedBuffer } from './segmented-buffer';
export { unreachable } from './store-error';
export { ALIAS_PATTERN, aliasId, STORE_LAYOUT, versionId } from './store-layout';
