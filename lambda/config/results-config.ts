import { resolve } from 'node:path';
import { ConfigurationError } from '../errors';

/** The results settings, read from the environment in this one place. */
export interface ResultsConfig {
  /** `RESULTS_QUEUE_URL`: the SQS queue the predict function sends rows and labels to. @default unset: not recorded (Lambda) */
  readonly queueUrl?: string;
  /** `RESULTS_HANDOFF_MS`: longest the predict handler waits for the SQS hand-off before replying. @default 1000 */
  readonly handoffMs: number;
  /**
   * `RESULTS_SEND`: when the predict function sends a reply's rows to the queue in AWS:
   * `after-reply` (an internal Lambda extension sends them once the reply is out; needs the
   * Extensions API) or `before-reply` (the handler waits for the hand-off). @default after-reply
   */
  readonly send: 'after-reply' | 'before-reply';
  /** `RESULTS_BUFFER_ROWS`: most rows a sink holds while its queue or database is unreachable. @default 100000 */
  readonly bufferRows: number;
  /**
   * `RESULTS_FLUSH_MS`: the local batching window: rows wait at most this long before they are
   * written to the journal, so a SIGKILL loses at most this window's rows. @default 100
   */
  readonly flushMs: number;
  /** `RESULTS_JOURNAL_DIR`: the local journal's folder. @default `RESULTS_DB_DIR` (or `.data/results`) + `-journal` */
  readonly journalDir: string;
  /** `RESULTS_JOURNAL_MB`: most megabytes the journal may hold; past it rows are lost (counted). @default 2048 */
  readonly journalMaxBytes: number;
  /** `RESULTS_LOADER_NICE`: how much lower the loader process's CPU priority is while requests arrive (0 to 19). @default 19 */
  readonly loaderNice: number;
  /**
   * `RESULTS_LOAD_IDLE_MS`: the local loader loads once no row has been recorded for this long
   * (the journal absorbs a burst meanwhile). @default 1000
   */
  readonly loadIdleMs: number;
  /**
   * `RESULTS_LOAD_MAX_LAG_S`: under sustained load the loader loads anyway once the oldest row
   * waiting is this old (0: load at once, never defer). @default 60
   */
  readonly loadMaxLagMs: number;
  /** `RESULTS_LOAD_MAX_MB`: ... or once the journal holds this many megabytes. @default 512 */
  readonly loadMaxBytes: number;
  /**
   * `RESULTS_LOADER_IDLE_EXIT_S`: the loader process exits (freeing its database's memory) once
   * it has caught up and nothing has needed it for this long; it is started again when rows must
   * be loaded or a CLI connects (0: it never exits). @default 30
   */
  readonly loaderIdleExitMs: number;
  /** `RESULTS_DB=off`: the local server records nothing. @default on */
  readonly localRecording: boolean;
}

/** Reads {@link ResultsConfig}; throws naming the setting when a value is unusable. */
export function readResultsConfig(env: NodeJS.ProcessEnv = process.env): ResultsConfig {
  const recording = (env.RESULTS_DB ?? 'on').toLowerCase();
  if (!['on', 'off', ''].includes(recording))
    throw new ConfigurationError('RESULTS_DB', `"${env.RESULTS_DB}" is not on or off`);
  return {
    queueUrl: env.RESULTS_QUEUE_URL || undefined,
    handoffMs: whole(env, 'RESULTS_HANDOFF_MS', 1000, 0),
    send: sendMode(env.RESULTS_SEND),
    bufferRows: whole(env, 'RESULTS_BUFFER_ROWS', 100_000, 1),
    flushMs: whole(env, 'RESULTS_FLUSH_MS', 100, 0),
    journalDir: resolve(env.RESULTS_JOURNAL_DIR || `${env.RESULTS_DB_DIR || '.data/results'}-journal`),
    journalMaxBytes: whole(env, 'RESULTS_JOURNAL_MB', 2048, 1) * 1024 * 1024,
    loaderNice: Math.min(19, whole(env, 'RESULTS_LOADER_NICE', 19, 0)),
    loadIdleMs: whole(env, 'RESULTS_LOAD_IDLE_MS', 1000, 0),
    loadMaxLagMs: whole(env, 'RESULTS_LOAD_MAX_LAG_S', 60, 0) * 1000,
    loadMaxBytes: whole(env, 'RESULTS_LOAD_MAX_MB', 512, 1) * 1024 * 1024,
    loaderIdleExitMs: whole(env, 'RESULTS_LOADER_IDLE_EXIT_S', 30, 0) * 1000,
    localRecording: recording !== 'off',
  };
}

function sendMode(raw: string | undefined): ResultsConfig['send'] {
  const mode = (raw || 'after-reply').toLowerCase();
  if (mode !== 'after-reply' && mode !== 'before-reply')
    throw new ConfigurationError('RESULTS_SEND', `"${raw}" is not after-reply or before-reply`);
  return mode;
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigurationError(
      name,
      `"${raw}" is not a whole number${min > 0 ? ` of at least ${min}` : ''}`,
    );
  return n;
}
