import { mkdirSync } from 'node:fs';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type CaptureSink, discardingCaptureSink } from '../lambda/captures';
import { readCaptureConfig, readResultsConfig, resultsDatabaseSource } from '../lambda/config';
import { localSocketPath } from '../lambda/db';
import { discardingSink, type ResultSink } from '../lambda/results';
import type { ReceivedBodies } from './received-bodies';
import { JournalCaptureSink } from './results/journal-capture-sink';
import { hasUnloaded } from './results/journal-files';
import { JournalSink } from './results/journal-sink';
import { JournalWriter } from './results/journal-writer';
import { LoaderProcess } from './results/loader-process';

/** Where the local server records results, and how to let go of it. */
export interface LocalResults {
  readonly sink: ResultSink;
  /**
   * Where the requests behind recorded rows are captured: the same journal, written to
   * `CAPTURE_DIR` by the loader (`CAPTURE=off`, or recording off: nowhere).
   */
  readonly capture: CaptureSink;
  /**
   * Where the server lends each request's body bytes while it runs: the capture sink's, only
   * while it captures (undefined when capture or recording is off: nothing is lent).
   */
  readonly receivedBodies?: ReceivedBodies;
  /** One line saying where results go, for the start-up banner. */
  readonly where: string;
  /** The backlog and losses, as `GET /health` shows them under `results`. */
  status(): LocalResultsStatus;
  /** Waits until every row recorded so far is in the database; `false` after `timeoutMs`. */
  waitUntilLoaded(timeoutMs: number): Promise<boolean>;
  /** The loader process's id, while it runs (benchmarks measure its memory). */
  readonly loaderPid: number | undefined;
  /** The loader process and when it loads (tests look at it); undefined when recording is off. */
  readonly loader?: LoaderProcess;
  /**
   * Writes what is held to the journal, stops the loader (what it has not written stays in the
   * journal, replayed at the next start); resolves with the rows that could not be kept anywhere.
   */
  close(): Promise<{ lostRows: number }>;
}

/** `GET /health`'s `results`. */
export interface LocalResultsStatus {
  /**
   * `ok`; `connecting` (the loader is opening the database); `deferred` (rows wait in the
   * journal while the server is busy: loading begins once it is idle, or the lag or journal
   * bound is reached); `catching_up` (the loader is loading them); `database_unavailable`;
   * `stalled` (a write runs too long); `losing_rows`; `off`.
   */
  readonly state: string;
  /** Rows recorded and not yet in the database (in memory or in the journal). */
  readonly backlog_rows: number;
  /** Age of the oldest of them, in ms; null when there is none. */
  readonly oldest_age_ms: number | null;
  readonly journal_bytes: number;
  /** Rows lost since the server started: the journal or the disk was full. */
  readonly dropped_rows: number;
  /** Rows the database refused for their data (logged). */
  readonly refused_rows: number;
  /** Captured requests lost since the server started: the journal or the disk was full. */
  readonly dropped_captures: number;
  readonly database_error: string | null;
}

export interface LocalResultsOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Told how many rows were lost (the journal or the disk was full). */
  readonly onDrop?: (rows: number) => void;
  /** Told how many captured requests were lost (likewise). */
  readonly onDropCaptures?: (captures: number) => void;
  /** The bodies the server lends while their requests run: captured as those bytes. @default none */
  readonly receivedBodies?: ReceivedBodies;
}

/**
 * Opens the local server's results path. The server itself never talks to the database: rows go
 * to a journal on disk ({@link JournalSink}, `RESULTS_JOURNAL_DIR`), and a loader process
 * (`local/results/loader-main.ts`, at a lower CPU priority) owns the database the environment
 * names (`DATABASE_URL`, or PGlite in `RESULTS_DB_DIR`, default `.data/results`, which it serves
 * on its Unix socket for the CLIs) and writes the journal into it. So the server starts, scores
 * and keeps every row while the database is down, and a burst never waits on it.
 * `RESULTS_DB=off` records nothing.
 */
export async function openLocalResults({
  env = process.env,
  logger,
  onDrop,
  onDropCaptures,
  receivedBodies,
}: LocalResultsOptions): Promise<LocalResults> {
  const config = readResultsConfig(env);
  const captures = readCaptureConfig(env);
  if (!config.localRecording) {
    return {
      sink: discardingSink,
      capture: discardingCaptureSink,
      where: 'not recorded (RESULTS_DB=off)',
      status: () => ({ ...EMPTY, state: 'off' }),
      waitUntilLoaded: async () => true,
      loaderPid: undefined,
      close: async () => ({ lostRows: 0 }),
    };
  }
  const source = resultsDatabaseSource(env);
  const writer = await JournalWriter.open({ dir: config.journalDir, maxBytes: config.journalMaxBytes });
  const loader = new LoaderProcess({
    env: { ...env, RESULTS_JOURNAL_DIR: config.journalDir, CAPTURE_DIR: captures.dir },
    firstLiveSegment: writer.currentSegment,
    replayPending: await hasUnloaded(config.journalDir, writer.currentSegment),
    nice: config.loaderNice,
    idleMs: config.loadIdleMs,
    maxLagMs: config.loadMaxLagMs,
    maxBytes: config.loadMaxBytes,
    idleExitMs: config.loaderIdleExitMs,
    socketPath: source.kind === 'pglite' ? socketIn(source.dir) : undefined,
    logger,
  });
  const sink: JournalSink = new JournalSink({
    writer,
    flushMs: config.flushMs,
    logger,
    onDrop,
    onDropCaptures,
    onRecord: () => loader.recorded(),
    onAppended: () => loader.notify(),
  });
  const capture = captures.enabled
    ? new JournalCaptureSink(sink, captures.sampleRate, receivedBodies)
    : discardingCaptureSink;
  const sizer = setInterval(() => void writer.refreshSize().catch(() => {}), 1000);
  sizer.unref();

  const status = (): LocalResultsStatus => {
    const loaded = loader.status;
    const totalLoaded = loader.loadedBefore + (loaded?.loadedRows ?? 0);
    const inJournal = Math.max(0, sink.journaledRows + (loader.replayRows ?? 0) - totalLoaded);
    const backlog = sink.pendingRows + inJournal;
    const liveLoaded = totalLoaded - loader.replayLoadedBefore - (loaded?.replayLoadedRows ?? 0);
    const candidates = [loaded?.oldestAt, sink.oldestNotLoaded(liveLoaded), sink.pendingSince].filter(
      (t): t is number => typeof t === 'number',
    );
    const oldest = candidates.length > 0 ? Math.min(...candidates) : null;
    const { running, loading } = loader.state;
    const state =
      sink.droppedRows > 0
        ? 'losing_rows'
        : loaded?.failingSince
          ? 'database_unavailable'
          : loaded?.stalledSince
            ? 'stalled'
            : loader.replayRows === undefined || (running && loading && backlog > 0 && !loaded?.connected)
              ? 'connecting'
              : backlog === 0
                ? 'ok'
                : loading
                  ? 'catching_up'
                  : 'deferred';
    return {
      state,
      backlog_rows: backlog,
      oldest_age_ms: backlog > 0 && oldest !== null ? Date.now() - oldest : null,
      journal_bytes: writer.bytes,
      dropped_rows: sink.droppedRows,
      refused_rows: loaded?.refusedRows ?? 0,
      dropped_captures: sink.droppedCaptures,
      database_error: loaded?.lastError ?? null,
    };
  };
  loader.options.backlog = () => {
    const s = status();
    return { rows: s.backlog_rows, oldestAgeMs: s.oldest_age_ms, journalBytes: s.journal_bytes };
  };
  await loader.start();
  sink.status = () => ({ ...status() });

  return {
    sink,
    capture,
    receivedBodies: captures.enabled ? receivedBodies : undefined,
    where: `${source.kind === 'pglite' ? `PGlite in ${source.dir}` : source.kind === 'url' ? 'PostgreSQL (DATABASE_URL)' : 'PostgreSQL (DATABASE_SECRET_ARN)'}, through the journal in ${config.journalDir}`,
    status,
    get loaderPid() {
      return loader.pid;
    },
    loader,
    waitUntilLoaded: async (timeoutMs) => {
      const until = Date.now() + timeoutMs;
      await sink.flush({ timeoutMs });
      while (Date.now() < until) {
        if (loader.replayRows !== undefined && status().backlog_rows === 0) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return false;
    },
    close: async () => {
      clearInterval(sizer);
      let unsaved = 0;
      try {
        await sink.flush({ timeoutMs: 10_000 });
      } catch (error) {
        unsaved = sink.pendingRows;
        logger.error('results not all written to the journal before closing: they are lost', {
          error: error instanceof Error ? error.message : String(error),
          rows: unsaved,
        });
      }
      await writer.close().catch(() => {});
      // Long enough for PGlite to finish opening (a minute on a busy machine): killing it mid-way
      // could leave its directory half made. Nothing is lost either way: the rows are in the journal.
      await loader.stop(90_000);
      return { lostRows: sink.droppedRows + unsaved };
    },
  };
}

/** The public socket of a PGlite directory (made if missing, so the server can listen in it). */
function socketIn(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return localSocketPath(dir);
}

const EMPTY: LocalResultsStatus = {
  state: 'ok',
  backlog_rows: 0,
  oldest_age_ms: null,
  journal_bytes: 0,
  dropped_rows: 0,
  refused_rows: 0,
  dropped_captures: 0,
  database_error: null,
};
