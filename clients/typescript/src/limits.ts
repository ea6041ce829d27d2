/**
 * The service's limits a chunk must stay inside. The defaults are the deployed service's:
 * Lambda's synchronous payload limit and the function's own `MAX_BODY_BYTES` and `MAX_PAIRS`.
 */
export interface ChunkLimits {
  /** Largest request, in bytes of its JSON. @default 6,291,456 (6 MiB: Lambda's and `MAX_BODY_BYTES`) */
  readonly maxRequestBytes: number;
  /**
   * Most reply entries a request may ask for: budgets × items, plus one per budget and per item
   * (each could be an error entry), as the service counts them (`MAX_PAIRS`). @default 50,000
   */
  readonly maxEntries: number;
  /**
   * Largest reply, in bytes, as estimated before sending (ids' lengths plus a fixed part per entry).
   * Lambda returns at most 6 MB; the service refuses a reply over 6 MiB − 4 KiB (`reply_too_large`).
   * @default 5,767,168 (5.5 MiB, a margin under the service's own check for the estimate)
   */
  readonly maxReplyBytes: number;
}

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = {
  maxRequestBytes: 6 * 1024 * 1024,
  maxEntries: 50_000,
  maxReplyBytes: 5.5 * 1024 * 1024,
};

/**
 * Bytes of one scored entry beyond its two ids:
 * `{"budget_id":"","itemization_id":"","score":0.123456,"match":false},` is 66 characters.
 */
export const PAIR_REPLY_OVERHEAD = 72;

/**
 * Bytes allowed for one budget's or item's error entry: code, message and field are short
 * (about 150 bytes); the allowance covers the longest message the service writes.
 */
export const ERROR_ENTRY_BYTES = 400;
