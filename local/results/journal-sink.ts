import type { Logger } from '@aws-lambda-powertools/logger';
import { ResultsStoreError } from '../../lambda/errors';
import {
  appendRows,
  emptyColumns,
  type LabelRow,
  type ResultColumns,
  type ResultRow,
  type ResultSink,
} from '../../lambda/results';
import type { AppendOutcome, JournalWriter } from './journal-writer';

export interface JournalSinkOptions {
  readonly writer: JournalWriter;
  /** The batching window: rows wait at most this long before they are written to the journal, in ms. */
  readonly flushMs: number;
  /** Most rows in one journal line. @default 5000 */
  readonly lineRows?: number;
  /** Told after each durable append (the loader looks for new lines). */
  readonly onAppended?: () => void;
  /** Told how many rows were lost (the journal is full, or the disk). */
  readonly onDrop?: (rows: number) => void;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * The local results sink: rows go to the journal on disk, never to the database, so recording
 * costs a request only turning its rows into columns. Rows gather for at most `flushMs` (or
 * `lineRows` rows) and go out as one journal line; the writer fsyncs lines in batches. A separate
 * process (the loader) writes the journal into the database at its own pace.
 *
 * Labels are acknowledged once on disk: `recordLabels` starts their line at once and `settle`
 * waits for it, so a `POST /feedback` answered 202 survives a crash. Result rows are not waited
 * for: a SIGKILL loses at most the last `flushMs` of them (plus one fsync).
 */
export class JournalSink implements ResultSink {
  private columns: ResultColumns = emptyColumns();
  private columnsAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<boolean>>();
  private inFlightRows = 0;
  private lastLabels: Promise<boolean> | undefined;
  private droppingSince: number | undefined;
  private readonly lineRows: number;
  /** Rows and labels on disk since the server started. */
  journaledRows = 0;
  /** Rows and labels lost since the server started (the journal or the disk was full). */
  droppedRows = 0;
  /** (rows journaled so far, when the entry was recorded) of each entry on disk, oldest first. */
  private readonly marks: { cum: number; at: number }[] = [];
  /** What `GET /health` shows under `results` (set by whoever knows the loader's side too). */
  status?: () => Record<string, unknown>;

  constructor(private readonly options: JournalSinkOptions) {
    this.lineRows = options.lineRows ?? 5000;
  }

  /** Rows held in memory (not yet on disk). */
  get pendingRows(): number {
    return this.columns.request_id.length + this.inFlightRows;
  }

  /** Epoch ms of the oldest row held in memory; null when none. */
  get pendingSince(): number | null {
    return this.columns.request_id.length > 0 ? this.columnsAt : null;
  }

  record(rows: readonly ResultRow[]): void {
    if (rows.length === 0) return;
    if (this.columns.request_id.length === 0) this.columnsAt = Date.now();
    appendRows(this.columns, rows);
    if (this.columns.request_id.length >= this.lineRows) this.cut();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.cut(), this.options.flushMs);
      this.timer.unref();
    }
  }

  recordLabels(labels: readonly LabelRow[]): boolean {
    if (labels.length === 0) return true;
    this.lastLabels = this.append({ kind: 'labels', n: labels.length, at: Date.now(), data: labels });
    return true;
  }

  /** Waits, at most `maxMs`, for the labels recorded last to be on disk; `false` if they are not. */
  async settle(maxMs: number): Promise<boolean> {
    const labels = this.lastLabels;
    if (!labels) return true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), maxMs);
    });
    try {
      return await Promise.race([labels, late]);
    } finally {
      clearTimeout(timer);
      if (this.lastLabels === labels) this.lastLabels = undefined;
    }
  }

  /** Writes what is held to the journal and waits for it to be on disk. */
  async flush(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    this.cut();
    const all = Promise.all([...this.inFlight]);
    if (options.timeoutMs === undefined) {
      await all;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), options.timeoutMs);
    });
    const done = await Promise.race([all.then(() => true), late]);
    clearTimeout(timer);
    if (!done) {
      throw new ResultsStoreError(
        'flush_timeout',
        `${this.pendingRows} result rows not in the journal after ${options.timeoutMs} ms`,
      );
    }
  }

  private cut(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const n = this.columns.request_id.length;
    if (n === 0) return;
    const data = this.columns;
    this.columns = emptyColumns();
    void this.append({ kind: 'results', n, at: this.columnsAt, data });
  }

  private append(entry: { kind: string; n: number; at: number; data: unknown }): Promise<boolean> {
    this.inFlightRows += entry.n;
    const done = this.options.writer.append(entry).then(
      (outcome) => this.settled(entry.n, outcome, entry.at),
      (error: unknown) => this.settled(entry.n, { ok: false, reason: String(error) }),
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return done;
  }

  /**
   * When the oldest row journaled by this server and not among the first `loaded` was recorded
   * (epoch ms); null when all are loaded. Forgets the marks before it.
   */
  oldestNotLoaded(loaded: number): number | null {
    while (this.marks.length > 0 && (this.marks[0] as { cum: number }).cum <= loaded) this.marks.shift();
    return this.marks[0]?.at ?? null;
  }

  private settled(n: number, outcome: AppendOutcome, at = 0): boolean {
    this.inFlightRows -= n;
    if (outcome.ok) {
      this.journaledRows += n;
      this.marks.push({ cum: this.journaledRows, at });
      if (this.droppingSince !== undefined) {
        this.options.logger.warn('results journal writable again', {
          dropping_since: new Date(this.droppingSince).toISOString(),
          dropped_rows: this.droppedRows,
        });
        this.droppingSince = undefined;
      }
      this.options.onAppended?.();
      return true;
    }
    this.droppedRows += n;
    this.options.onDrop?.(n);
    if (this.droppingSince === undefined) {
      this.droppingSince = Date.now();
      this.options.logger.error('results journal cannot take rows: they are LOST (counted in /health)', {
        reason: outcome.reason,
        rows: n,
      });
    }
    return false;
  }
}
