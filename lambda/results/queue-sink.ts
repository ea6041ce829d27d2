import type { Logger } from '@aws-lambda-powertools/logger';
import { isDataError, type Queryable } from '../db';
import { ResultsStoreError } from '../errors';
import { Backoff, type BackoffOptions } from './backoff';
import type { LabelRow } from './label-row';
import type { ResultRow } from './result-row';
import type { ResultSink } from './result-sink';
import { messageItems, type ResultsMessage } from './results-message';
import { RowBuffer } from './row-buffer';
import { waitAtMost } from './wait-at-most';
import { writeMessage } from './write-message';

/** How the local queue drains. */
export interface QueueSinkOptions {
  /** How long rows wait to be batched with the next requests' before a write, in ms. @default 200 */
  readonly intervalMs?: number;
  /** Most rows (or labels) in one INSERT. @default 5000 */
  readonly batchRows?: number;
  /** Most rows held while the database is down (`RESULTS_BUFFER_ROWS`). @default 100000 */
  readonly maxBufferedRows?: number;
  /** Waits between retries while the database is down. */
  readonly retry?: BackoffOptions;
  /** Told how many rows were dropped (the cap was hit, or rows the database refuses). */
  readonly onDrop?: (rows: number) => void;
  readonly logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * The local results sink: an in-process queue. `record` returns at once; a short timer
 * (unref'd, so it never keeps the process alive) drains the queue into the database in
 * batches of at most `batchRows`, one statement each. While the database is down the rows stay
 * queued, in order, and are retried with backoff; nothing is lost unless the cap is hit.
 *
 * @example
 * const sink = new QueueSink(db, { logger });
 * sink.record(rows);        // returns at once
 * await sink.flush();       // rows are in the results table
 */
export class QueueSink implements ResultSink {
  private readonly buffer: RowBuffer;
  private readonly backoff: Backoff;
  private readonly intervalMs: number;
  private readonly batchRows: number;
  private readonly logger: QueueSinkOptions['logger'];
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  private failingSince: Date | undefined;
  private closed = false;
  private readonly waiters: { target: number; resolve: () => void }[] = [];

  constructor(
    private readonly db: Queryable,
    options: QueueSinkOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 200;
    this.batchRows = options.batchRows ?? 5000;
    this.logger = options.logger;
    this.backoff = new Backoff(options.retry);
    this.buffer = new RowBuffer({
      maxRows: options.maxBufferedRows ?? 100_000,
      onDrop: options.onDrop,
      logger: options.logger,
    });
  }

  /** Rows and labels held, not yet written. */
  get pendingRows(): number {
    return this.buffer.size;
  }

  record(rows: readonly ResultRow[]): void {
    if (this.buffer.push({ kind: 'results', rows })) this.schedule(this.intervalMs);
  }

  recordLabels(labels: readonly LabelRow[]): boolean {
    const taken = this.buffer.push({ kind: 'labels', labels });
    if (taken) this.schedule(this.intervalMs);
    return taken;
  }

  /** Nothing to wait for: the process keeps running and the timer writes the rows. */
  async settle(): Promise<void> {}

  async flush(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    const target = this.buffer.accepted;
    if (this.buffer.handled >= target) return;
    const written = new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    if (!this.failingSince) this.schedule(0);
    if (options.timeoutMs === undefined) return written;
    if (!(await waitAtMost(written, options.timeoutMs))) {
      throw new ResultsStoreError(
        'flush_timeout',
        `${this.buffer.size} result rows not written after ${options.timeoutMs} ms`,
      );
    }
  }

  /** Writes what is queued (waiting at most `timeoutMs`, default 5 s), then stops the timer. */
  async close(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    try {
      await this.flush({ timeoutMs: options.timeoutMs ?? 5000 });
    } finally {
      this.closed = true;
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.draining) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => void this.drain(), delayMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    this.timer = undefined;
    this.draining = true;
    let retryInMs: number | undefined;
    try {
      for (let batch = this.buffer.take(this.batchRows); batch; batch = this.buffer.take(this.batchRows)) {
        const failure = await this.writeIsolating(batch);
        if (failure) {
          for (const part of failure.unwritten.reverse()) this.buffer.putBack(part);
          retryInMs = this.backoff.next();
          this.noteFailure(failure.error, retryInMs);
          return;
        }
        this.noteRecovery();
        this.wake();
      }
    } finally {
      this.draining = false;
      if (retryInMs !== undefined) this.schedule(retryInMs);
      else if (this.buffer.waiting > 0) this.schedule(0);
    }
  }

  /**
   * Writes a batch; when the database refuses it for its data (a row it can never store), writes
   * the halves apart until the refused rows are alone, and drops only those. Any other failure
   * (the database is down) ends the attempt: it returns the parts not written, in order.
   */
  private async writeIsolating(
    batch: ResultsMessage,
  ): Promise<{ error: unknown; unwritten: ResultsMessage[] } | undefined> {
    try {
      await writeMessage(this.db, batch);
      this.buffer.done(batch);
      return undefined;
    } catch (error) {
      if (!isDataError(error)) return { error, unwritten: [batch] };
      const items = messageItems(batch);
      if (items.length === 1) {
        this.logger?.error('result row refused by the database, dropped', {
          error: error instanceof Error ? error.message : String(error),
          row: items[0],
        });
        this.buffer.discard(1);
        return undefined;
      }
      const half = Math.ceil(items.length / 2);
      const rest = slice(batch, half, items.length);
      const failure = await this.writeIsolating(slice(batch, 0, half));
      if (failure) return { error: failure.error, unwritten: [...failure.unwritten, rest] };
      return this.writeIsolating(rest);
    }
  }

  private noteFailure(error: unknown, retryInMs: number): void {
    if (this.failingSince) return;
    this.failingSince = new Date();
    this.logger?.warn('results database unavailable: rows are kept and retried', {
      error: error instanceof Error ? error.message : String(error),
      pending_rows: this.buffer.size,
      retry_in_ms: retryInMs,
    });
  }

  private noteRecovery(): void {
    this.backoff.reset();
    if (!this.failingSince) return;
    this.logger?.info('results database reachable again: writing the kept rows', {
      unavailable_since: this.failingSince.toISOString(),
      pending_rows: this.buffer.size,
    });
    this.failingSince = undefined;
  }

  private wake(): void {
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      const waiter = this.waiters[i];
      if (waiter && this.buffer.handled >= waiter.target) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}

function slice(message: ResultsMessage, from: number, to: number): ResultsMessage {
  return message.kind === 'results'
    ? { kind: 'results', rows: message.rows.slice(from, to) }
    : { kind: 'labels', labels: message.labels.slice(from, to) };
}
