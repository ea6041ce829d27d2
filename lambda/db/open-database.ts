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

/**
 * Opens PGlite in a directory (created if missing) or in memory. A new database starts from the
 * data directory tarball named by `PGLITE_TEMPLATE` when it is set (the tests set it: PGlite's
 * initdb costs seconds of CPU per database, loading a tarball a fraction of that).
 */
export async function openPglite(
  location: { readonly pgliteDir: string } | { readonly memory: true },
): Promise<PgliteDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  let dataDir: string | undefined;
  if ('pgliteDir' in location) {
    dataDir = resolve(location.pgliteDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const template = process.env.PGLITE_TEMPLATE;
  const fresh = dataDir === undefined || !existsSync(join(dataDir, 'PG_VERSION'));
  const db =
    template && fresh
      ? await PGlite.create({
          ...(dataDir ? { dataDir } : {}),
          loadDataDir: new Blob([readFileSync(template)]),
        })
      : await PGlite.create(dataDir);
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

async function openPostgres(config: PoolConfig): Promise<Database> {
  const { Pool } = await import('pg');
  const pool = new Pool({ max: 4, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000, ...config });
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
