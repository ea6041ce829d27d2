import { resolve } from 'node:path';
import { readServiceConfig } from './service-config';

/** Where the results database is, as the environment says. */
export type ResultsDatabaseSource =
  /** `DATABASE_SECRET_ARN`: Aurora/RDS credentials in Secrets Manager (the deployed functions). */
  | { readonly kind: 'secret'; readonly secretArn: string }
  /** `DATABASE_URL`: any PostgreSQL server. */
  | { readonly kind: 'url'; readonly url: string }
  /** Neither: PGlite in `RESULTS_DB_DIR` (default `.data/results`), the local default. */
  | { readonly kind: 'pglite'; readonly dir: string };

/** Reads which results database to use: a secret, then a URL, then the local PGlite directory. */
export function resultsDatabaseSource(env: NodeJS.ProcessEnv = process.env): ResultsDatabaseSource {
  if (env.DATABASE_SECRET_ARN) return { kind: 'secret', secretArn: env.DATABASE_SECRET_ARN };
  if (env.DATABASE_URL) return { kind: 'url', url: env.DATABASE_URL };
  return { kind: 'pglite', dir: resolve(env.RESULTS_DB_DIR || '.data/results') };
}

/** Where the SQL files are: `MIGRATIONS_DIR`, default `db/migrations` (beside the bundle in Lambda). */
export function migrationsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.MIGRATIONS_DIR || 'db/migrations');
}

/** What the writer and monitor read: their database, and whether they run in Lambda. */
export interface DatabaseConfig {
  readonly source: ResultsDatabaseSource;
  /** `AWS_LAMBDA_FUNCTION_NAME` is set: never PGlite, which the bundles leave out. */
  readonly inLambda: boolean;
}

/** Reads {@link DatabaseConfig} from `env`, once, at init. */
export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return { source: resultsDatabaseSource(env), inLambda: readServiceConfig(env).inLambda };
}
