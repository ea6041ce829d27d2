import type { Logger } from '@aws-lambda-powertools/logger';
import { type CaptureRecord, captureParts } from '../../lambda/captures';
import { ResultsStoreError } from '../../lambda/errors';
import {
  appendRows,
  emptyColumns,
  type LabelRow,
  pairsRowCount,
  type ResultColumns,
  type ResultRow,
  type ResultSink,
  type ScoredPairs,
} from '../../lambda/results';
import type { AppendOutcome, JournalWriter } from './journal-writer';

export interface JournalSinkOptions {
  readonly writer: JournalWriter;
  /** The batching window: rows wait at most this long before they are written to the journal, in ms. */
  readonly flushMs: number;
  /** Most rows in one journal line. @default 5000 */
  readonly lineRows?: number;
  /**
   * Most bytes of captured requests held before they are written early (their rows follow with
   * the window): a bound on the memory captures take between writes. @default 1 MiB
   */
  readonly captureBytes?: number;
  /** Told each time a request's rows are handed over (the server is busy: loading can wait). */
  readonly onRecord?: () => void;
  /** Told after each durable append (the loader looks for new lines). */
  readonly onAppended?: () => void;
  /** Told how many rows were lost (the journal is full, or the disk). */
  readonly onDrop?: (rows: number) => void;
  /** Told how many captured requests were lost (the journal is full, or the disk). */
  readonly onDropCaptures?: (captures: number) => void;
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
 *
 * Captured requests ({@link capture}) ride the same path: held with the rows of their window and
 * written as one `captures` line just before the window's `results` line, in the same write and
 * fsync, so a capture is on disk whenever its rows are (the loader writes it to the capture
 * folder). A captures line has `n: 0`: it holds no rows. A received body is held as the bytes the
 * server read and written as they came (never decoded, joined or encoded again); past
 * `captureBytes` held the captures are written early, so the memory they hold stays bounded.
 */
export class JournalSink implements ResultSink {
  private columns: ResultColumns = emptyColumns();
  private captures: CaptureRecord[] = [];
  private captureBytesHeld = 0;
  private pairs: ScoredPairs[] = [];
  private pairsRows = 0;
  private pairsAt = 0;
  private columnsAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<boolean>>();
  private inFlightRows = 0;
  private lastLabels: Promise<boolean> | undefined;
  private droppingSince: number | undefined;
  private readonly lineRows: number;
  private readonly captureBytes: number;
  /** Rows and labels on disk since the server started. */
  journaledRows = 0;
  /** Rows and labels lost since the server started (the journal or the disk was full). */
  droppedRows = 0;
  /** Captured requests on disk since the server started, and lost (the journal or the disk was full). */
  journaledCaptures = 0;
  droppedCaptures = 0;
  /** (rows journaled so far, when the entry was recorded) of each entry on disk, oldest first. */
  private readonly marks: { cum: number; at: number }[] = [];
  /** What `GET /health` shows under `results` (set by whoever knows the loader's side too). */
  status?: () => Record<string, unknown>;

  constructor(private readonly options: JournalSinkOptions) {
    this.lineRows = options.lineRows ?? 5000;
    this.captureBytes = options.captureBytes ?? 1024 * 1024;
  }

  /** Rows held in memory (not yet on disk). */
  get pendingRows(): number {
    return this.columns.request_id.length + this.pairsRows + this.inFlightRows;
  }

  /** Epoch ms of the oldest row held in memory; null when none. */
  get pendingSince(): number | null {
    const held = [
      ...(this.columns.request_id.length > 0 ? [this.columnsAt] : []),
      ...(this.pairsRows > 0 ? [this.pairsAt] : []),
    ];
    return held.length > 0 ? Math.min(...held) : null;
  }

  /**
   * Holds a request's rows in the shape they were scored (budgets × items: a 10 × 200 request is
   * 210 ids and 2,000 numbers, not 2,000 row objects); the loader expands them into rows.
   */
  recordPairs(pairs: ScoredPairs): void {
    const n = pairsRowCount(pairs);
    if (n === 0) return;
    this.options.onRecord?.();
    if (this.pairsRows === 0) this.pairsAt = Date.now();
    this.pairs.push(pairs);
    this.pairsRows += n;
    if (this.pairsRows >= this.lineRows) this.cut();
    else this.startTimer();
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.cut(), this.options.flushMs);
    this.timer.unref();
  }

  record(rows: readonly ResultRow[]): void {
    if (rows.length === 0) return;
    this.options.onRecord?.();
    if (this.columns.request_id.length === 0) this.columnsAt = Date.now();
    appendRows(this.columns, rows);
    if (this.columns.request_id.length >= this.lineRows) this.cut();
    else this.startTimer();
  }

  /**
   * Holds a captured request for the journal: written with the rows recorded in the same window
   * (hand the capture over before its rows: `recordScored` does). Held as it came (the received
   * body's bytes where the server kept them), turned into the journal's bytes when the window is
   * cut, off the reply path (`captureParts`). Past `captureBytes` held, the captures held are
   * written at once (their rows follow with the window).
   */
  capture(record: CaptureRecord): void {
    this.captures.push(record);
    this.captureBytesHeld += heldBytes(record);
    // Past the bound only the captures go out early (cheap: their bytes are written as they
    // are); their rows follow with the window, so a capture is never on disk after its rows.
    if (this.captureBytesHeld >= this.captureBytes) this.cutCaptures();
    else this.startTimer();
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
    this.cutCaptures();
    if (this.pairsRows > 0) {
      const pairs = this.pairs;
      const head = { kind: 'pairs', n: this.pairsRows, at: this.pairsAt };
      this.pairs = [];
      this.pairsRows = 0;
      void this.appendWith(head, () => this.options.writer.appendJson(head, JSON.stringify(pairs)));
    }
    const n = this.columns.request_id.length;
    if (n === 0) return;
    const data = this.columns;
    this.columns = emptyColumns();
    void this.append({ kind: 'results', n, at: this.columnsAt, data });
  }

  private cutCaptures(): void {
    if (this.captures.length === 0) return;
    const records = this.captures;
    this.captures = [];
    this.captureBytesHeld = 0;
    this.appendCaptures(records);
  }

  private appendCaptures(records: readonly CaptureRecord[]): void {
    const at = records[0]?.capturedAt.getTime() ?? Date.now();
    // `[doc,doc,...]` as pieces of bytes: a received body is written as it came (one writev).
    const parts: Buffer[] = [OPEN_LIST];
    let kept = 0;
    for (const record of records) {
      let document: Buffer[];
      try {
        document = captureParts(record);
      } catch (error) {
        // An invoke payload JSON cannot hold (a BigInt, a cycle): that capture is lost, said.
        this.capturesSettled(1, { ok: false, reason: String(error) });
        continue;
      }
      if (kept > 0) parts.push(COMMA);
      parts.push(...document);
      kept++;
    }
    if (kept === 0) return;
    parts.push(CLOSE_LIST);
    const done = this.options.writer.appendBytes({ kind: 'captures', n: 0, at }, parts).then(
      (outcome) => this.capturesSettled(kept, outcome),
      (error: unknown) => this.capturesSettled(kept, { ok: false, reason: String(error) }),
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  private capturesSettled(n: number, outcome: AppendOutcome): boolean {
    if (outcome.ok) {
      this.journaledCaptures += n;
      return true;
    }
    this.droppedCaptures += n;
    this.options.onDropCaptures?.(n);
    this.options.logger.error('captured requests could not be written to the journal: they are LOST', {
      reason: outcome.reason,
      captures: n,
    });
    return false;
  }

  private append(entry: { kind: string; n: number; at: number; data: unknown }): Promise<boolean> {
    return this.appendWith(entry, () => this.options.writer.append(entry));
  }

  private appendWith(
    entry: { readonly n: number; readonly at: number },
    write: () => Promise<AppendOutcome>,
  ): Promise<boolean> {
    this.inFlightRows += entry.n;
    let written: Promise<AppendOutcome>;
    try {
      written = write();
    } catch (error) {
      written = Promise.reject(error);
    }
    const done = written.then(
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

const OPEN_LIST = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE_LIST = Buffer.from(']');

/** About the bytes a held capture takes: its received body, else its text (two bytes a character at most). */
function heldBytes(record: CaptureRecord): number {
  if (record.body) return record.body.length;
  return typeof record.request === 'string' ? record.request.length : 0;
}
