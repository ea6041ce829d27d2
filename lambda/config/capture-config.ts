import { resolve } from 'node:path';
import { ConfigurationError } from '../errors';

/**
 * The capture settings (the requests behind recorded results, docs/results-and-monitoring.md,
 * "Captured requests"), read from the environment in this one place.
 */
export interface CaptureConfig {
  /** `CAPTURE=off` turns capture off. @default on (captured only where results are recorded) */
  readonly enabled: boolean;
  /** `CAPTURE_SAMPLE_RATE`: share of requests kept, 0 … 1, decided per request id. @default 1 locally; the stack sets AWS's */
  readonly sampleRate: number;
  /** `CAPTURE_DIR`: where the local server's results loader writes captures. @default `.data/captures` */
  readonly dir: string;
  /** `CAPTURE_BUCKET`: the captures bucket (AWS). @default unset: not captured in Lambda */
  readonly bucket?: string;
  /**
   * `CAPTURE_BUFFER_MB`: most megabytes of captures the predict function holds while S3 is slow or
   * failing (retried at its next invocations, like the results rows it holds). @default 64
   */
  readonly bufferBytes: number;
}

/** Reads {@link CaptureConfig}; throws a {@link ConfigurationError} naming the setting when a value is unusable. */
export function readCaptureConfig(env: NodeJS.ProcessEnv = process.env): CaptureConfig {
  const on = (env.CAPTURE ?? 'on').trim().toLowerCase();
  if (!['on', 'off', ''].includes(on))
    throw new ConfigurationError('CAPTURE', `"${env.CAPTURE}" is not on or off`);
  const raw = env.CAPTURE_SAMPLE_RATE;
  const rate = raw === undefined || raw.trim() === '' ? 1 : Number(raw);
  if (!(rate >= 0 && rate <= 1))
    throw new ConfigurationError('CAPTURE_SAMPLE_RATE', `"${raw}" is not a number from 0 to 1`);
  const mb = env.CAPTURE_BUFFER_MB;
  const bufferMb = mb === undefined || mb.trim() === '' ? 64 : Number(mb);
  if (!Number.isInteger(bufferMb) || bufferMb < 1)
    throw new ConfigurationError('CAPTURE_BUFFER_MB', `"${mb}" is not a whole number of at least 1`);
  const bucket = env.CAPTURE_BUCKET?.trim();
  if (bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw new ConfigurationError('CAPTURE_BUCKET', `"${bucket}" is not an S3 bucket name`);
  return {
    enabled: on !== 'off',
    sampleRate: rate,
    dir: resolve(env.CAPTURE_DIR || '.data/captures'),
    bucket: bucket || undefined,
    bufferBytes: bufferMb * 1024 * 1024,
  };
}
