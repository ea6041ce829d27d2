import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PoolConfig } from 'pg';
import type { Database, Queryable } from './database';

/** A PGlite database, with the embedded instance (the local server serves it over a socket). */
export interface PgliteDatabase extends Database {
  readonly kind: 'pglite';
  readonly pglite: PGlite;
}

/** Where results go: a PostgreSQL URL, a pg pool configuration, or a PGlite data directory. */
export type DatabaseLocation =
  | { readonly url: string }
  | { readonly pool: PoolConfig }
  | { readonly pgliteDir: string }
  | { readonly memory: true };

/**
 * Opens the results database. A URL or pool configuration goes through `pg` (PostgreSQL, Aurora);
 * a directory through PGlite, embedded
 * Postgres compiled to WebAssembly, so `npm start` needs no server. PGlite is loaded only here, on
 * demand: Lambda bundles leave it out (`LOCAL_ONLY_PACKAGES`).
 */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if ('url' in location) return openPostgres({ connectionString: location.url });
  if ('pool' in location) return openPostgres(location.pool);
  return openPglite(location);
}

/** How to run an embedded PGlite. */
export interface PgliteOptions {
  /**
   * PostgreSQL settings (`name=value`, as in postgresql.conf), e.g. a smaller `shared_buffers`
   * for a long-running process that should stay small. @default PGlite's own
   */
  readonly settings?: readonly string[];
}

/**
 * Opens PGlite in a directory (created if missing) or in memory. A new database starts from the
 * data directory tarball named by `PGLITE_TEMPLATE` when it is set (the tests set it: PGlite's
 * initdb costs seconds of CPU per database, loading a tarball a fraction of that).
 */
export async function openPglite(
  location: { readonly pgliteDir: string } | { readonly memory: true },
  options: PgliteOptions = {},
): Promise<PgliteDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  let dataDir: string | undefined;
  if ('pgliteDir' in location) {
    dataDir = resolve(location.pgliteDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const template = process.env.PGLITE_TEMPLATE;
  const fresh = dataDir === undefined || !existsSync(join(dataDir, 'PG_VERSION'));
  const settings = options.settings?.length ? { postgresqlconf: [...options.settings] } : {};
  const db =
    template && fresh
      ? await PGlite.create({
          ...(dataDir ? { dataDir } : {}),
          loadDataDir: new Blob([readFileSync(template)]),
          ...settings,
        })
      : await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...settings });
  return {
    kind: 'pglite',
    pglite: db,
    query: async <R extends object>(sql: string, params?: readonly unknown[]) =>
      db.query<R>(sql, params ? [...params] : undefined),
    exec: async (sql) => {
      await db.exec(sql);
    },
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: async <R extends object>(sql: string, params?: readonly unknown[]) =>
            tx.query<R>(sql, params ? [...params] : undefined),
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    close: () => db.close(),
  };
}

/**
 * The pool's bounds, so that a database that stops answering (frozen, not refusing) fails a
 * statement instead of holding it forever: connecting waits at most 5 s, the server cancels a
 * statement after 30 s (`statement_timeout`), and the client gives up on one after 35 s
 * (`query_timeout`, for when the server itself does not answer). The largest statement we send,
 * 20,000 result rows in one INSERT, takes well under a second on a healthy server.
 */
export const POOL_DEFAULTS = {
  max: 4,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
  statement_timeout: 30_000,
  query_timeout: 35_000,
} as const satisfies PoolConfig;

/**
 * How long connecting may take through a Unix socket: that is the local server's PGlite
 * (`npm start`), and the server starts its results loader, which opens the database, when the
 * first client connects (seconds; a minute on a crowded machine). A frozen database is still
 * caught by the statement and query timeouts.
 */
export const LOCAL_SOCKET_CONNECT_MS = 180_000;

function onUnixSocket(config: PoolConfig): boolean {
  let host = config.host;
  if (host === undefined && config.connectionString) {
    try {
      host = new URL(config.connectionString).searchParams.get('host') ?? undefined;
    } catch {
      host = undefined;
    }
  }
  return typeof host === 'string' && host.startsWith('/');
}

async function openPostgres(config: PoolConfig): Promise<Database> {
  const { Pool } = await import('pg');
  const socket = onUnixSocket(config) ? { connectionTimeoutMillis: LOCAL_SOCKET_CONNECT_MS } : {};
  const pool = new Pool({ ...POOL_DEFAULTS, ...socket, ...config });
  // An idle client losing its connection (database restarted) must not crash the process.
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    query: async <R extends object>(sql: string, params?: readonly unknown[]) => {
      const result = await pool.query(sql, params ? [...params] : undefined);
      return { rows: result.rows as R[] };
    },
    // Without parameters pg uses the simple query protocol, which runs several statements.
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          query: async <R extends object>(sql: string, params?: readonly unknown[]) => {
            const result = await client.query(sql, params ? [...params] : undefined);
            return { rows: result.rows as R[] };
          },
          exec: async (sql) => {
            await client.query(sql);
          },
        };
        const value = await work(tx);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
