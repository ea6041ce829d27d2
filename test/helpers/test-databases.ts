import { randomBytes } from 'node:crypto';
import { type Database, migrate, openDatabase } from '../../lambda/db';

/** Which database a test runs against. */
export type DatabaseKind = 'PGlite' | 'PostgreSQL';

/** PGlite always; PostgreSQL too when `DATABASE_URL` is set (`.ci/run` sets it). */
export const DATABASE_KINDS: readonly DatabaseKind[] = process.env.DATABASE_URL
  ? ['PGlite', 'PostgreSQL']
  : ['PGlite'];

/** A database of a test's own, and how to remove it. */
export interface TestDatabase {
  readonly db: Database;
  /** The PostgreSQL schema the tables are in (`public` for PGlite, which is private anyway). */
  readonly schema: string;
  /** How to connect to it again through `pg` (PostgreSQL only): the URL and the pool options. */
  readonly url?: string;
  readonly poolOptions?: string;
  /** Drops the schema (PostgreSQL) and closes the database. */
  drop(): Promise<void>;
}

/**
 * Opens an empty database for one test file: a fresh in-memory PGlite, or a schema of its own on
 * the PostgreSQL server. The schema is every pooled connection's `search_path` (a libpq
 * `options` setting), not a `SET` on one connection, so every query of the pool sees it.
 * Migrations are applied unless `migrate: false`.
 */
export async function openTestDatabase(
  kind: DatabaseKind,
  options: { readonly migrate?: boolean; readonly url?: string } = {},
): Promise<TestDatabase> {
  let test: TestDatabase;
  if (kind === 'PGlite') {
    const db = await openDatabase({ memory: true });
    test = { db, schema: 'public', drop: () => db.close() };
  } else {
    const serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) throw new Error('DATABASE_URL is not set');
    const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = await openDatabase({ url: serverUrl });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const poolOptions = `-c search_path=${schema}`;
    const url = options.url ?? serverUrl;
    const db = await openDatabase({ pool: { connectionString: url, options: poolOptions } });
    test = {
      db,
      schema,
      url,
      poolOptions,
      drop: async () => {
        await db.close().catch(() => {});
        await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.close();
      },
    };
  }
  if (options.migrate !== false) await migrate(test.db);
  return test;
}
