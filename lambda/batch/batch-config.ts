import { ConfigurationError } from '../errors';

/** The batch function's settings, read from the environment in this one place. */
export interface BatchConfig {
  /** `BATCH_PREFIX`: the only key prefix the function reads requests from and writes replies under. @default `batch/` */
  readonly prefix: string;
  /**
   * `BATCH_LINES_PER_ITEM`: request lines per map item. One 10 × 2,000 request is 642 KB and about
   * 0.5 s of scoring at 1,769 MB: 100 lines keep an item near a minute, far inside the 15-minute
   * timeout. @default 100
   */
  readonly linesPerItem: number;
  /** `BATCH_MAX_ITEM_BYTES`: an item also ends before its requests pass this many bytes. @default 64 MiB */
  readonly maxItemBytes: number;
}

/** Reads {@link BatchConfig}; throws naming the setting when a value is unusable. */
export function readBatchConfig(env: NodeJS.ProcessEnv = process.env): BatchConfig {
  const prefix = env.BATCH_PREFIX ?? 'batch/';
  if (prefix !== '' && !prefix.endsWith('/')) {
    throw new ConfigurationError('BATCH_PREFIX', `"${prefix}" must end with "/"`);
  }
  return {
    prefix,
    linesPerItem: positive(env, 'BATCH_LINES_PER_ITEM', 100),
    maxItemBytes: positive(env, 'BATCH_MAX_ITEM_BYTES', 64 * 1024 * 1024),
  };
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigurationError(name, `"${raw}" is not a positive whole number`);
  return n;
}
