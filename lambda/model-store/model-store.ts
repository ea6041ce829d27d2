/** Part of an object being read: its total size (as the store reports it) and the requested bytes. */
export interface RangeRead {
  /** The whole object's size in bytes, whatever range was asked for. */
  readonly totalBytes: number;
  /**
   * The requested bytes, in order, in chunks of the store's choosing. A chunk may be reused for
   * the next one: copy it out before asking for more.
   */
  readonly chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/**
 * Where model versions live: a flat space of keys (`/`-separated) holding immutable artifact
 * files and small alias pointers (DESIGN.md #4). One interface, two backends: a local directory
 * ({@link DirectoryStore}) and S3 ({@link S3Store}). Keys that do not exist read as `undefined`;
 * any other failure (unreachable, denied) throws a `ModelStoreError` with code `store_unreachable`.
 */
export interface ModelStore {
  /** Where the store is, for messages: an absolute directory or `s3://bucket/prefix`. */
  readonly location: string;
  /**
   * Streams bytes `[start, end)` of `key`; `undefined` when `key` does not exist. Callers keep
   * each range well below 2 GiB (see `readObjects`), so no single read ever reaches that limit.
   */
  readRange(key: string, start: number, end: number): Promise<RangeRead | undefined>;
  /** Reads a small object (a manifest, a pointer) whole; `undefined` when it does not exist. */
  readSmall(key: string): Promise<Buffer | undefined>;
  /** Whether `key` exists. */
  exists(key: string): Promise<boolean>;
  /** Uploads the local file at `sourcePath` to `key` (streamed; multipart when large). */
  writeFile(key: string, sourcePath: string): Promise<void>;
  /** Writes a small object whole, replacing any previous one (alias pointers). */
  writeSmall(key: string, body: string): Promise<void>;
  /** The names one level below `prefix` (which ends in `/`): files and folders alike. */
  listChildren(prefix: string): Promise<string[]>;
}
