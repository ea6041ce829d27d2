import { resolve } from 'node:path';
import { DEFAULT_LIMITS, type RequestLimits } from './contract';
import { BACKEND_PREFERENCE, type BackendName, parseBackendList } from './model/backend';

/** Everything the service reads from its environment, read in this one place. */
export interface Config {
  /** `MODEL_DIR`: the model artifact directory. @default `models/default` under the working directory (`/var/task` in Lambda). */
  readonly modelDir: string;
  /** `TFJS_BACKEND`: backends to try, in order, comma-separated. @default `tensorflow,cpu,wasm` */
  readonly backends: readonly BackendName[];
  /** `MAX_BODY_BYTES` and `MAX_PAIRS` (reply entries). @default 6 MiB and 50,000 */
  readonly limits: RequestLimits;
}

/**
 * Reads the configuration from `env`; throws naming the setting when a value is unusable,
 * so a misconfigured function fails at cold start, not on some later request.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    modelDir: resolve(env.MODEL_DIR || 'models/default'),
    backends: env.TFJS_BACKEND
      ? parseSetting('TFJS_BACKEND', env.TFJS_BACKEND, parseBackendList)
      : BACKEND_PREFERENCE,
    limits: {
      maxBodyBytes: positiveInt(env, 'MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes),
      maxPairs: positiveInt(env, 'MAX_PAIRS', DEFAULT_LIMITS.maxPairs),
    },
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return parseSetting(name, raw, (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`"${v}" is not a positive integer`);
    return n;
  });
}

function parseSetting<T>(name: string, raw: string, parse: (v: string) => T): T {
  try {
    return parse(raw);
  } catch (error) {
    throw new Error(`configuration ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
