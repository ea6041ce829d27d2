import { rmSync } from 'node:fs';
import type { Logger } from '@aws-lambda-powertools/logger';
import { readResultsConfig, resultsDatabaseSource } from '../lambda/config';
import {
  type Database,
  describeResultsDatabase,
  localSocketPath,
  migrate,
  openResultsDatabase,
} from '../lambda/db';
import type { PgliteDatabase } from '../lambda/db/open-database';
import { discardingSink, QueueSink, type ResultSink } from '../lambda/results';

/** Where the local server records results, and how to let go of it. */
export interface LocalResults {
  readonly sink: ResultSink;
  /** One line saying where results go, for the start-up banner. */
  readonly where: string;
  /** The database the sink writes to (undefined with `RESULTS_DB=off`). */
  readonly db?: Database;
  /** Writes what is queued (bounded), then closes the database and its socket. */
  close(): Promise<void>;
}

export interface LocalResultsOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Told how many rows were dropped (the buffer cap). */
  readonly onDrop?: (rows: number) => void;
}

/**
 * Opens the local server's results store: the database the environment names
 * (`DATABASE_URL`, or PGlite in `RESULTS_DB_DIR`, default `.data/results`), migrated, behind the
 * in-process {@link QueueSink}. A PGlite directory is served on its Unix socket
 * ({@link localSocketPath}) so `npm run db:migrate` and `npm run labels` reach it while the
 * server runs; the server's own writes go through that socket too, so a command's transaction
 * never takes in the server's inserts. `RESULTS_DB=off` records nothing.
 */
export async function openLocalResults({
  env = process.env,
  logger,
  onDrop,
}: LocalResultsOptions): Promise<LocalResults> {
  const config = readResultsConfig(env);
  if (!config.localRecording) {
    return { sink: discardingSink, where: 'not recorded (RESULTS_DB=off)', close: async () => {} };
  }
  const source = resultsDatabaseSource(env);
  const opened = await openResultsDatabase(source, { migrate: false });
  let db: Database = opened;
  let stopSocket = async () => {};
  if (isPglite(opened) && source.kind === 'pglite') {
    await migrate(opened);
    const served = await serveOverSocket(opened, source.dir);
    db = served.db;
    stopSocket = served.stop;
  } else {
    await migrate(opened);
  }
  const sink = new QueueSink(db, {
    intervalMs: config.flushMs,
    maxBufferedRows: config.bufferRows,
    logger,
    onDrop,
  });
  return {
    sink,
    db,
    where:
      source.kind === 'pglite' && isPglite(opened)
        ? `${describeResultsDatabase(source, opened)} (served on ${localSocketPath(source.dir)})`
        : describeResultsDatabase(source, opened),
    close: async () => {
      await sink.close({ timeoutMs: 5000 }).catch((error: unknown) =>
        logger.error('results not all written before closing', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
      await db.close().catch(() => {});
      await stopSocket();
    },
  };
}

async function serveOverSocket(pglite: PgliteDatabase, dir: string) {
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const path = localSocketPath(dir);
  // openResultsDatabase opened the directory itself, so nothing listens on a socket file left here.
  rmSync(path, { force: true });
  const server = new PGLiteSocketServer({ db: pglite.pglite, path, maxConnections: 20 });
  await server.start();
  const db = await openResultsDatabase({ kind: 'pglite', dir }, { migrate: false });
  return {
    db,
    stop: async () => {
      await server.stop().catch(() => {});
      rmSync(path, { force: true });
      await pglite.close();
    },
  };
}

function isPglite(db: Database): db is PgliteDatabase {
  return db.kind === 'pglite' && 'pglite' in db;
}
