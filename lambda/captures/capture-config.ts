/** The capture settings, read from the environment in this one place. */
export interface CaptureConfig {
  /** `CAPTURE=off` turns capture off. @default on */
  readonly enabled: boolean;
  /** `CAPTURE_SAMPLE_RATE`: share of requests kept, 0 … 1. @default 1 locally; the stack sets AWS's */
  readonly sampleRate: number;
  /** `CAPTURE_DIR`: where the local server writes captures. @default `.data/captures` */
  readonly dir: string;
  /** `CAPTURE_BUCKET`: the captures bucket (AWS). @default unset: not captured in Lambda */
  readonly bucket?: string;
}

/** Reads {@link CaptureConfig}; throws naming the setting when a value is unusable. */
export function readCaptureConfig(env: NodeJS.ProcessEnv = process.env): CaptureConfig {
  const on = (env.CAPTURE ?? 'on').toLowerCase();
  if (!['on', 'off', ''].includes(on))
    throw new Error(`configuration CAPTURE: "${env.CAPTURE}" is not on or off`);
  const raw = env.CAPTURE_SAMPLE_RATE;
  const rate = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!(rate >= 0 && rate <= 1))
    throw new Error(`configuration CAPTURE_SAMPLE_RATE: "${raw}" is not a number from 0 to 1`);
  return {
    enabled: on !== 'off',
    sampleRate: rate,
    dir: env.CAPTURE_DIR || '.data/captures',
    bucket: env.CAPTURE_BUCKET || undefined,
  };
}
