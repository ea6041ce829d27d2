/** How long to wait between retries of a failing hand-off. */
export interface BackoffOptions {
  /** First wait, in ms. @default 250 */
  readonly initialMs?: number;
  /** Longest wait, in ms. @default 15000 */
  readonly maxMs?: number;
}

/** Exponential backoff with full jitter, so several processes retrying do not retry in step. */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 15_000;
  }

  /** The wait before the next retry; each call doubles the ceiling up to `maxMs`. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt += 1;
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  /** After a success: the next failure starts from `initialMs` again. */
  reset(): void {
    this.attempt = 0;
  }
}
