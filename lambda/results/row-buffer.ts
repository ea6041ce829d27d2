import type { Logger } from '@aws-lambda-powertools/logger';
import { itemRows, messageRows, type SinkItem, type SinkMessage, sinkItems } from './results-message';

/** What a sink's buffer needs. */
export interface RowBufferOptions {
  /** Most rows and labels held, taken-but-unconfirmed ones included; beyond it new ones are dropped. */
  readonly maxRows: number;
  /** Told how many rows were dropped, each time some are (the `ResultRowsDropped` metric). */
  readonly onDrop?: (rows: number) => void;
  readonly logger?: Pick<Logger, 'warn'>;
}

/**
 * The rows and labels a sink has accepted and not yet handed on, in order, with a cap so that a
 * database or queue that stays down cannot grow the process without bound. Beyond the cap whole
 * messages are dropped (a request's rows stay together), counted, and logged once when dropping
 * starts and once, with the count, when it stops.
 *
 * A sink `take`s a batch, tries to hand it on, and then either confirms it (`done`) or puts it
 * back at the front (`putBack`), so a batch that failed is retried before anything newer.
 */
export class RowBuffer {
  private readonly queue: SinkMessage[] = [];
  private queued = 0;
  private outstanding = 0;
  private droppedInEpisode = 0;
  private droppingSince: Date | undefined;
  /** Rows and labels accepted since the buffer was made (dropped ones not counted). */
  accepted = 0;
  /** Rows and labels confirmed (`done`) since the buffer was made. */
  handled = 0;

  constructor(private readonly options: RowBufferOptions) {}

  /** Rows and labels held: queued, and taken but not yet confirmed. */
  get size(): number {
    return this.queued + this.outstanding;
  }

  /** Rows and labels waiting to be taken. */
  get waiting(): number {
    return this.queued;
  }

  /** Queues a message; `false` (and the rows counted as dropped) when it does not fit under the cap. */
  push(message: SinkMessage): boolean {
    const count = messageRows(message);
    if (count === 0) return true;
    if (this.size + count > this.options.maxRows) {
      this.drop(count);
      return false;
    }
    this.endDropping();
    this.queue.push(message);
    this.queued += count;
    this.accepted += count;
    return true;
  }

  /**
   * Takes up to `maxRows` rows from the front: items of the first message's kind, from as many
   * consecutive messages of that kind as fit (a scoring's pairs are taken whole, at least one).
   * `undefined` when nothing waits.
   */
  take(maxRows: number): SinkMessage | undefined {
    const first = this.queue[0];
    if (!first) return undefined;
    const items: SinkItem[] = [];
    let rows = 0;
    while (rows < maxRows) {
      const head = this.queue[0];
      if (!head || head.kind !== first.kind) break;
      const headItems = sinkItems(head);
      let n = 0;
      while (n < headItems.length) {
        const weight = itemRows(headItems[n] as SinkItem);
        if (rows > 0 && rows + weight > maxRows) break;
        rows += weight;
        n++;
      }
      items.push(...headItems.slice(0, n));
      if (n === headItems.length) this.queue.shift();
      else {
        this.queue[0] = withItems(head, headItems.slice(n));
        break;
      }
    }
    this.queued -= rows;
    this.outstanding += rows;
    return withItems(first, items);
  }

  /** Confirms a taken message (or part of one) as handed on. */
  done(message: SinkMessage): void {
    const count = messageRows(message);
    this.outstanding -= count;
    this.handled += count;
    if (this.size < this.options.maxRows) this.endDropping();
  }

  /** Confirms `count` taken rows that can never be handed on (poison): counted as dropped. */
  discard(count: number): void {
    this.outstanding -= count;
    this.handled += count;
    this.options.onDrop?.(count);
  }

  /** Returns a taken message (or part of one) to the front of the queue, to be retried first. */
  putBack(message: SinkMessage): void {
    const count = messageRows(message);
    if (count === 0) return;
    this.outstanding -= count;
    this.queued += count;
    this.queue.unshift(message);
  }

  private drop(count: number): void {
    if (this.droppingSince === undefined) {
      this.droppingSince = new Date();
      this.options.logger?.warn('results buffer full: dropping new rows until it drains', {
        max_rows: this.options.maxRows,
      });
    }
    this.droppedInEpisode += count;
    this.options.onDrop?.(count);
  }

  private endDropping(): void {
    if (this.droppingSince === undefined) return;
    this.options.logger?.warn('results buffer accepting rows again', {
      dropped_rows: this.droppedInEpisode,
      dropping_since: this.droppingSince.toISOString(),
      max_rows: this.options.maxRows,
    });
    this.droppingSince = undefined;
    this.droppedInEpisode = 0;
  }
}

function withItems(like: SinkMessage, items: readonly SinkItem[]): SinkMessage {
  if (like.kind === 'pairs') return { kind: 'pairs', pairs: items as never };
  return like.kind === 'results'
    ? { kind: 'results', rows: items as never }
    : { kind: 'labels', labels: items as never };
}
