import { resolve } from 'node:path';
import { DEFAULT_LIMITS, type RequestLimits } from '../contract';
import { ConfigurationError } from '../errors';
import { ALIAS_PATTERN } from '../model-store';
import {
  BACKEND_PREFERENCE,
  type BackendName,
  parseBackendList,
  parseScoringEngine,
  type ScoringEngine,
} from './backend-names';
import { type CaptureConfig, readCaptureConfig } from './capture-config';
import { type ResultsConfig, readResultsConfig } from './results-config';
import { readServiceConfig, type ServiceConfig } from './service-config';

/**
 * Everything the predict function reads from its environment, read once at init. The other
 * functions read only their part (`readDatabaseConfig`, `readServiceConfig`).
 */
export interface Config {
  /** `MODEL_DIR`: the model artifact directory. @default `models/default` under the working directory (`/var/task` in Lambda). */
  readonly modelDir: string;
  /** `TFJS_BACKEND`: backends to try, in order, comma-separated. @default `tensorflow,wasm,cpu` */
  readonly backends: readonly BackendName[];
  /**
   * `SCORING_ENGINE`: `auto` scores a model the dense pass covers (a small stack of Dense layers)
   * with it, without loading TF.js at all, and any other model with TF.js; `tfjs` always scores
   * with TF.js (`npm run check:lambda` uses it to run the layer's backends). @default `auto`
   */
  readonly engine: ScoringEngine;
  /** `MAX_BODY_BYTES` and `MAX_PAIRS` (reply entries). @default 6 MiB and 50,000 */
  readonly limits: RequestLimits;
  /**
   * `MODEL_STORE`: the versioned model store to serve from, a directory or `s3://bucket/prefix`.
   * @default unset: serve the embedded artifact in `modelDir`, never re-checked
   */
  readonly modelStore?: string;
  /** `MODEL_ALIAS`: the alias (pointer) in the store whose version serves. @default `live` */
  readonly modelAlias: string;
  /** `SHADOW_ALIAS`: an alias whose version also scores every request, results only. @default unset (no shadow scoring) */
  readonly shadowAlias?: string;
  /** `MODEL_REFRESH_SECONDS`: how often, at most, the aliases are re-checked (0: every request). @default 60 */
  readonly modelRefreshSeconds: number;
  /** `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`: an S3-compatible endpoint (path-style addressing). @default unset: AWS S3 */
  readonly s3Endpoint?: string;
  /** `RESULTS_*`: where scored rows and labels go, and how long the reply waits for them. */
  readonly results: ResultsConfig;
  /** `CAPTURE*`: whether, how often and where the requests behind recorded results are kept. */
  readonly captures: CaptureConfig;
  /** The service's name, and whether it runs in Lambda. */
  readonly service: ServiceConfig;
}

/** The settings that decide which model serves and how it is kept current. */
export type ModelConfig = Pick<
  Config,
  | 'modelDir'
  | 'backends'
  | 'engine'
  | 'modelStore'
  | 'modelAlias'
  | 'shadowAlias'
  | 'modelRefreshSeconds'
  | 's3Endpoint'
>;

/**
 * Reads the configuration from `env`; throws a {@link ConfigurationError} naming the setting when a
 * value is unusable, so a misconfigured function fails at cold start, not on some later request.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (env.SHADOW_ALIAS && !env.MODEL_STORE) {
    throw new ConfigurationError('SHADOW_ALIAS', 'needs MODEL_STORE (aliases live in a model store)');
  }
  return {
    modelDir: resolve(env.MODEL_DIR || 'models/default'),
    backends: env.TFJS_BACKEND ? parseBackendList(env.TFJS_BACKEND) : BACKEND_PREFERENCE,
    engine: env.SCORING_ENGINE ? parseScoringEngine(env.SCORING_ENGINE) : 'auto',
    limits: {
      maxBodyBytes: positiveInt(env, 'MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes),
      maxPairs: positiveInt(env, 'MAX_PAIRS', DEFAULT_LIMITS.maxPairs),
    },
    modelStore: env.MODEL_STORE ? storeLocation(env.MODEL_STORE) : undefined,
    modelAlias: env.MODEL_ALIAS ? aliasName('MODEL_ALIAS', env.MODEL_ALIAS) : 'live',
    shadowAlias: env.SHADOW_ALIAS ? aliasName('SHADOW_ALIAS', env.SHADOW_ALIAS) : undefined,
    modelRefreshSeconds: nonNegativeInt(env, 'MODEL_REFRESH_SECONDS', 60),
    s3Endpoint: env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined,
    results: readResultsConfig(env),
    captures: readCaptureConfig(env),
    service: readServiceConfig(env),
  };
}

function storeLocation(value: string): string {
  if (value.startsWith('s3://') && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(value)) {
    throw new ConfigurationError('MODEL_STORE', `"${value}" is not s3://bucket/prefix`);
  }
  return value.startsWith('s3://') ? value : resolve(value);
}

function aliasName(name: string, value: string): string {
  if (!ALIAS_PATTERN.test(value))
    throw new ConfigurationError(name, `"${value}" is not an alias name (a-z, 0-9, - and _)`);
  return value;
}

function nonNegativeInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigurationError(name, `"${raw}" is not a whole number of seconds`);
  return n;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new ConfigurationError(name, `"${raw}" is not a positive integer`);
  return n;
}
