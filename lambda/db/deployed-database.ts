import { readDatabaseConfig } from '../config';
import { ConfigurationError } from '../errors';
import type { Database } from './database';
import { openResultsDatabase } from './results-database';

/** Which function opens the database, and whether it may fall back to PGlite outside Lambda. */
export interface DeployedDatabaseOptions {
  /** For the message naming the missing setting: `writer`, `monitor`. */
  readonly functionName: string;
  /** Whether PGlite (`RESULTS_DB_DIR`) is allowed when not in Lambda (the monitor run locally). */
  readonly pgliteOutsideLambda: boolean;
}

/**
 * The one way the deployed functions (writer, monitor) open the results database: the one named by
 * `DATABASE_SECRET_ARN` (deployed) or `DATABASE_URL`, opened and migrated on first use, once per
 * container, and opened again after a failure. In Lambda never PGlite, which the bundles leave
 * out: a missing setting is named, not a missing module.
 */
export function deployedDatabase(
  { functionName, pgliteOutsideLambda }: DeployedDatabaseOptions,
  { source, inLambda } = readDatabaseConfig(),
): () => Promise<Database> {
  let opened: Promise<Database> | undefined;
  const open = async (): Promise<Database> => {
    if (source.kind === 'pglite' && (!pgliteOutsideLambda || inLambda)) {
      throw new ConfigurationError(
        'DATABASE_SECRET_ARN',
        `the ${functionName} needs DATABASE_SECRET_ARN or DATABASE_URL`,
      );
    }
    return openResultsDatabase(source);
  };
  return () => {
    opened ??= open().catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return opened;
  };
}
