import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import { readCaptureConfig, resultsDatabaseSource } from '../../lambda/config';
import {
  type Database,
  localSocketPath,
  migrate,
  openPglite,
  openResultsDatabase,
  type PgliteDatabase,
} from '../../lambda/db';
import type { LoaderMessage, ServerMessage } from './loader-messages';
import { ResultsLoader } from './results-loader';

/**
 * The loader's PGlite settings. `shared_buffers` 16 MB instead of PostgreSQL's 128 MB: the loader
 * lives as long as the server, and PGlite's resident memory after opening fell from 342 to 229 MB
 * with it, while bulk inserts of 20,000-row statements were no slower (the data files are in the
 * operating system's page cache either way).
 */
const PGLITE_SETTINGS = ['shared_buffers=16MB'];

/**
 * The results loader process, started by the local server (`loader-process.ts`), never by hand:
 * it owns the results database (PGlite in `RESULTS_DB_DIR`, or `DATABASE_URL`), writes the
 * journal in `RESULTS_JOURNAL_DIR` into it (captured requests into `CAPTURE_DIR`), and, for PGlite, serves the database on its Unix
 * socket for `npm run db:migrate`, `labels` and `report` (through the server, which passes them
 * on). It loads only when the server allows it (`load` messages: the server defers loading while
 * it is busy), at a lower CPU priority than the server while requests arrive.
 */
async function main(): Promise<void> {
  const env = process.env;
  const dir = env.RESULTS_JOURNAL_DIR;
  if (!dir) throw new Error('configuration RESULTS_JOURNAL_DIR: not set');
  const logger = new Logger({
    serviceName: 'budget-expense-matcher',
    persistentKeys: { process: 'results-loader' },
  });
  const source = resultsDatabaseSource(env);
  let pglite: PgliteDatabase | undefined;
  let stopSocket = async () => {};

  const openDatabase = async (): Promise<Database> => {
    if (source.kind !== 'pglite') return openResultsDatabase(source);
    // A new directory is made by a short-lived process (see pglite-init-main.ts): initdb's memory
    // goes with it.
    if (!existsSync(join(source.dir, 'PG_VERSION'))) {
      await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', join(__dirname, 'pglite-init-main.ts'), source.dir],
        {
          env: process.env,
        },
      );
    }
    const db = await openPglite({ pgliteDir: source.dir }, { settings: PGLITE_SETTINGS });
    await migrate(db);
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    // The server serves the public socket and passes connections to this one (`loader-socket.ts`).
    const path = env.RESULTS_LOADER_SOCKET || localSocketPath(source.dir);
    rmSync(path, { force: true });
    const server = new PGLiteSocketServer({ db: db.pglite, path, maxConnections: 20 });
    await server.start();
    stopSocket = async () => {
      await server.stop().catch(() => {});
      rmSync(path, { force: true });
    };
    pglite = db;
    return db;
  };

  const send = (message: LoaderMessage) => {
    if (process.connected) process.send?.(message);
  };
  // Whether to load now: the server says (it defers loading while it is busy).
  let allowed = env.RESULTS_LOAD_ALLOWED !== '0';
  const loader = new ResultsLoader({
    dir,
    openDatabase: async () => {
      const db = await openDatabase();
      send({ type: 'ready' });
      return db;
    },
    mayLoad: () => allowed,
    logger,
    firstLiveSegment: env.RESULTS_FIRST_LIVE_SEGMENT ? Number(env.RESULTS_FIRST_LIVE_SEGMENT) : undefined,
    stallMs: env.RESULTS_STALL_MS ? Number(env.RESULTS_STALL_MS) : undefined,
    captureDir: readCaptureConfig(env).dir,
    // A CLI's transaction over the socket is one PGlite session with ours: wait for it to end.
    beforeWrite: async () => {
      while (pglite?.pglite.isInTransaction()) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    onStatus: (status) => send({ type: 'status', status }),
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    loader.stop();
  };
  process.on('message', (message: ServerMessage) => {
    if (message.type === 'appended') loader.notify();
    else if (message.type === 'load') {
      allowed = message.allowed;
      if (allowed) loader.notify();
    } else if (message.type === 'stop') stop();
  });
  process.on('disconnect', stop);
  // Ctrl-C reaches the whole process group: the server says when to stop, after its last rows.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', stop);

  await loader.countReplay();
  await loader.run();
  await stopSocket();
  await loader.database?.close().catch(() => {});
  // Every status sent before this is delivered before the server sees the channel close.
  await new Promise<void>((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send({ type: 'stopped' } satisfies LoaderMessage, undefined, undefined, () => resolve());
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`results loader failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
