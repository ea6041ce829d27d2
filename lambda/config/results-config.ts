import { ConfigurationError } from '../errors';

/** The results settings, read from the environment in this one place. */
export interface ResultsConfig {
  /** `RESULTS_QUEUE_URL`: the SQS queue the predict function sends rows and labels to. @default unset: not recorded (Lambda) */
  readonly queueUrl?: string;
  /** `RESULTS_HANDOFF_MS`: longest the predict handler waits for the SQS hand-off before replying. @default 1000 */
  readonly handoffMs: number;
  /** `RESULTS_BUFFER_ROWS`: most rows a sink holds while its queue or database is unreachable. @default 100000 */
  readonly bufferRows: number;
  /** `RESULTS_FLUSH_MS`: how long the local queue batches rows before writing them. @default 200 */
  readonly flushMs: number;
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
    bufferRows: whole(env, 'RESULTS_BUFFER_ROWS', 100_000, 1),
    flushMs: whole(env, 'RESULTS_FLUSH_MS', 200, 0),
    localRecording: recording !== 'off',
  };
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
