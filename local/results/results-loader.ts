import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Database } from '../../lambda/db';
import {
  appendColumns,
  appendPairs,
  Backoff,
  columnsBatch,
  emptyColumns,
  type LabelRow,
  labelsBatch,
  type ResultColumns,
  type ScoredPairs,
  type SplittableBatch,
  writeIsolating,
} from '../../lambda/results';
import { isCaptureList, writeCaptureFiles } from './capture-files';
import {
  type Checkpoint,
  type JournalEntry,
  listSegments,
  readCheckpoint,
  segmentName,
  writeCheckpoint,
} from './journal-files';
import { type ReadLine, readLines } from './journal-reader';

/** How one kind of journal entry is written: entries of that kind combined into one batch. */
export type EntryWriter = (data: readonly unknown[]) => SplittableBatch;

/**
 * The kinds the loader writes into the database. Captured requests (kind `captures`) go to the
 * capture folder instead (`writeCaptureFiles`); another kind of record rides the same journal by
 * adding its writer here and appending entries of its kind.
 */
export const ENTRY_WRITERS: Readonly<Record<string, EntryWriter>> = {
  results: (data) =>
    columnsBatch(
      data.reduce<ResultColumns>((all, d) => appendColumns(all, d as ResultColumns), emptyColumns()),
    ),
  labels: (data) => labelsBatch((data as LabelRow[][]).flat()),
  // A request's rows in the shape they were scored (`JournalSink.recordPairs`), expanded here.
  pairs: (data) =>
    columnsBatch(
      (data as ScoredPairs[][]).reduce<ResultColumns>((all, list) => {
        for (const pairs of list) appendPairs(all, pairs);
        return all;
      }, emptyColumns()),
    ),
};

/** What the loader tells the server, for `/health` and the shutdown. */
export interface LoaderStatus {
  /** Rows written (or refused) since the loader started. */
  readonly loadedRows: number;
  /** Rows found at start in segments of earlier runs (replayed), and how many of them are loaded. */
  readonly replayRows: number;
  readonly replayLoadedRows: number;
  /** Rows the database refused for their data (logged, never retried). */
  readonly refusedRows: number;
  /** Epoch ms of the oldest row not yet written, of the lines the loader has read; null when caught up. */
  readonly oldestAt: number | null;
  /** Since when the database has been failing (cannot be opened, or writes fail); null when fine. */
  readonly failingSince: number | null;
  readonly lastError: string | null;
  /** Since when one write has been running longer than `stallMs`; null otherwise. */
  readonly stalledSince: number | null;
  /** Whether the database is open and migrated. */
  readonly connected: boolean;
}

export interface ResultsLoaderOptions {
  readonly dir: string;
  /** Opens (and migrates) the database; called again after a failure. */
  readonly openDatabase: () => Promise<Database>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Segments numbered below this were written by earlier runs (counted as the replay). @default none */
  readonly firstLiveSegment?: number;
  /** Most rows in one statement. @default 20000 */
  readonly batchRows?: number;
  /** A write running longer than this is reported as stalled, in ms. @default 10000 */
  readonly stallMs?: number;
  /** Waits between retries while the database fails. */
  readonly retry?: { readonly initialMs?: number; readonly maxMs?: number };
  /** How often to look for new lines when not told, in ms. @default 500 */
  readonly pollMs?: number;
  /**
   * Where captured requests (journal entries of kind `captures`) are written (`CAPTURE_DIR`).
   * @default unset: such entries are skipped, with a warning
   */
  readonly captureDir?: string;
  /**
   * Whether to load now (the server defers loading while it is busy); asked before each statement.
   * Call {@link ResultsLoader.notify} when it turns true. @default always
   */
  readonly mayLoad?: () => boolean;
  /** Waits until a write may run (PGlite: no socket client is in a transaction). */
  readonly beforeWrite?: () => Promise<void>;
  readonly onStatus?: (status: LoaderStatus) => void;
}

/**
 * Writes the journal into the database, oldest first, in large statements (consecutive entries
 * of a kind combined, up to `batchRows`), and moves its checkpoint after each; deletes a segment
 * once it has passed it and a newer one exists. While the database cannot be opened or refuses
 * writes it retries with backoff, forever: the rows are safe on disk meanwhile. A row the database
 * refuses for its data is isolated (split and retry), logged and counted, and never blocks the rest.
 */
export class ResultsLoader {
  private db: Database | undefined;
  private checkpoint: Checkpoint | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private readonly backoff: Backoff;
  private status: {
    -readonly [K in keyof LoaderStatus]: LoaderStatus[K];
  } = {
    loadedRows: 0,
    replayRows: 0,
    replayLoadedRows: 0,
    refusedRows: 0,
    oldestAt: null,
    failingSince: null,
    lastError: null,
    stalledSince: null,
    connected: false,
  };

  constructor(private readonly options: ResultsLoaderOptions) {
    this.backoff = new Backoff(options.retry ?? { initialMs: 200, maxMs: 5000 });
  }

  /** Counts the rows left by earlier runs (reads their segments once). */
  async countReplay(): Promise<number> {
    const first = this.options.firstLiveSegment;
    if (first === undefined) return 0;
    const checkpoint = await readCheckpoint(this.options.dir);
    let rows = 0;
    for (const n of await listSegments(this.options.dir)) {
      if (n >= first || n < checkpoint.segment) continue;
      let offset = n === checkpoint.segment ? checkpoint.offset : 0;
      for (;;) {
        const { lines } = await readLines(this.options.dir, n, offset);
        if (lines.length === 0) break;
        for (const line of lines) rows += line.entry?.n ?? 0;
        offset = (lines.at(-1) as ReadLine).end;
      }
    }
    this.status.replayRows = rows;
    this.report();
    return rows;
  }

  /** Loads until {@link stop}. */
  async run(): Promise<void> {
    while (!this.stopping) {
      let progressed = false;
      try {
        progressed = await this.step();
      } catch (error) {
        await this.fail(error);
        continue;
      }
      if (!progressed && !this.stopping) await this.sleep(this.options.pollMs ?? 500);
    }
  }

  /** New lines were appended: look now. */
  notify(): void {
    this.wake?.();
  }

  /** Stops after the statement under way (if any). */
  stop(): void {
    this.stopping = true;
    this.wake?.();
  }

  /** The database, once opened. */
  get database(): Database | undefined {
    return this.db;
  }

  private async step(): Promise<boolean> {
    if (!this.db) {
      this.db = await this.options.openDatabase();
      this.status.connected = true;
      this.report();
      this.recovered();
      // Said at once: with nothing to load, no write would report it (and /health would say
      // `connecting` for as long as the server stays idle).
      this.report();
    }
    if (!this.mayLoad()) return false;
    this.checkpoint ??= await readCheckpoint(this.options.dir);
    const segments = await listSegments(this.options.dir);
    let checkpoint: Checkpoint = this.checkpoint;
    for (const n of segments)
      if (n < checkpoint.segment) await rm(join(this.options.dir, segmentName(n)), { force: true });
    const current = segments.find((n) => n >= checkpoint.segment);
    if (current === undefined) {
      this.caughtUp();
      return false;
    }
    if (current !== checkpoint.segment) checkpoint = await this.move({ segment: current, offset: 0 });
    const { lines, rest } = await readLines(this.options.dir, current, checkpoint.offset);
    if (lines.length === 0) {
      const next = segments.find((n) => n > current);
      if (next === undefined) {
        this.caughtUp();
        return false;
      }
      if (rest > 0)
        this.options.logger.warn('results journal: a torn last line (a crash while writing it) was skipped', {
          segment: segmentName(current),
          bytes: rest,
        });
      await this.move({ segment: next, offset: 0 });
      await rm(join(this.options.dir, segmentName(current)), { force: true });
      return true;
    }
    for (const line of lines) {
      if (!line.entry)
        this.options.logger.error('results journal: a line that is not an entry was skipped', {
          line: line.bad,
        });
    }
    for (const window of windows(lines, this.options.batchRows ?? 20_000)) {
      if (this.stopping) return true;
      if (!this.mayLoad()) return false;
      this.status.oldestAt = window.oldestAt;
      // Captures first: a window's captures are on disk by the time its rows count as loaded.
      const kinds = [...window.kinds].sort(([a], [b]) => Number(b === 'captures') - Number(a === 'captures'));
      for (const [kind, entries] of kinds) await this.write(kind, entries);
      this.status.loadedRows += window.rows;
      if (this.options.firstLiveSegment !== undefined && current < this.options.firstLiveSegment)
        this.status.replayLoadedRows += window.rows;
      await this.move({ segment: current, offset: window.end });
      this.report();
    }
    return true;
  }

  private mayLoad(): boolean {
    return this.options.mayLoad?.() ?? true;
  }

  private async write(kind: string, entries: readonly JournalEntry[]): Promise<void> {
    if (kind === 'captures') return this.writeCaptures(entries);
    const writer = ENTRY_WRITERS[kind];
    if (!writer) {
      this.options.logger.error('results journal: an entry of an unknown kind was skipped', { kind });
      return;
    }
    const db = this.db as Database;
    for (;;) {
      await this.options.beforeWrite?.();
      const stallMs = this.options.stallMs ?? 10_000;
      const stall = setTimeout(() => {
        this.status.stalledSince = Date.now() - stallMs;
        this.options.logger.warn('results writing stalled: one statement has run for longer than expected', {
          stall_ms: stallMs,
          rows: entries.reduce((n, e) => n + e.n, 0),
        });
        this.report();
      }, stallMs);
      try {
        const outcome = await writeIsolating(db, writer(entries.map((e) => e.data)));
        for (const { row, error } of outcome.refused)
          this.options.logger.error('result row refused by the database, left out', { row, error });
        this.status.refusedRows += outcome.refused.length;
        this.recovered();
        return;
      } catch (error) {
        if (this.stopping) throw error;
        await this.fail(error);
      } finally {
        clearTimeout(stall);
        if (this.status.stalledSince !== null) {
          this.status.stalledSince = null;
          this.report();
        }
      }
    }
  }

  /** Writes the captured requests of `entries` to the capture folder, retrying while it fails. */
  private async writeCaptures(entries: readonly JournalEntry[]): Promise<void> {
    const dir = this.options.captureDir;
    if (dir === undefined) {
      this.options.logger.warn('results journal: captured requests skipped (no capture folder)', {
        entries: entries.length,
      });
      return;
    }
    const documents = [];
    for (const entry of entries) {
      if (isCaptureList(entry.data)) documents.push(...entry.data);
      else
        this.options.logger.error(
          'results journal: a captures entry that is not a list of captures was skipped',
          {},
        );
    }
    for (;;) {
      try {
        await writeCaptureFiles(dir, documents);
        return;
      } catch (error) {
        if (this.stopping) throw error;
        this.options.logger.warn('captured requests not written to the capture folder: retried', {
          error: error instanceof Error ? error.message : String(error),
          dir,
        });
        await this.fail(error);
      }
    }
  }

  private async fail(error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    if (this.status.failingSince === null) {
      this.status.failingSince = Date.now();
      this.options.logger.warn('results database unavailable: rows stay in the journal and are retried', {
        error: message,
      });
    }
    this.status.lastError = message;
    this.report();
    if (!this.stopping) await this.sleep(this.backoff.next());
  }

  private recovered(): void {
    this.backoff.reset();
    if (this.status.failingSince === null) return;
    this.options.logger.info('results database reachable again: writing the journal', {
      unavailable_since: new Date(this.status.failingSince).toISOString(),
    });
    this.status.failingSince = null;
    this.status.lastError = null;
    this.report();
  }

  private caughtUp(): void {
    if (this.status.oldestAt === null) return;
    this.status.oldestAt = null;
    this.report();
  }

  private async move(checkpoint: Checkpoint): Promise<Checkpoint> {
    this.checkpoint = checkpoint;
    await writeCheckpoint(this.options.dir, checkpoint);
    return checkpoint;
  }

  private report(): void {
    this.options.onStatus?.({ ...this.status });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}

/**
 * The lines read, cut into windows of at most `maxRows` rows (at least one line each): each
 * window's entries by kind (in the order each kind first appears), its rows, the time of its
 * oldest entry and the offset after its last line. A window's kinds are written one statement
 * each, then the checkpoint moves past the window. Captures lines hold no rows (`n: 0`) and never
 * start a window of their own; lines that are not entries were logged and are passed over.
 */
function windows(lines: readonly ReadLine[], maxRows: number) {
  const out: { kinds: Map<string, JournalEntry[]>; rows: number; oldestAt: number | null; end: number }[] =
    [];
  let window: (typeof out)[number] | undefined;
  for (const line of lines) {
    const rows = line.entry?.n ?? 0;
    if (!window || (rows > 0 && window.rows > 0 && window.rows + rows > maxRows)) {
      window = { kinds: new Map(), rows: 0, oldestAt: null, end: line.end };
      out.push(window);
    }
    window.end = line.end;
    const entry = line.entry;
    if (!entry) continue;
    window.rows += rows;
    window.oldestAt = window.oldestAt === null ? entry.at : Math.min(window.oldestAt, entry.at);
    const list = window.kinds.get(entry.kind);
    if (list) list.push(entry);
    else window.kinds.set(entry.kind, [entry]);
  }
  return out;
}
