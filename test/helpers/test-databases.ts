import { randomBytes } from 'node:crypto';
import { type Database, migrate, openDatabase } from '../../lambda/db';

/** Which database a test runs against. */
export type DatabaseKind = 'PGlite' | 'PostgreSQL';

/** PGlite always; PostgreSQL too when `DATABASE_URL` is set (`.ci/run` sets it). */
export const DATABASE_KINDS: readonly DatabaseKind[] = process.env.DATABASE_URL
  ? ['PGlite', 'PostgreSQL']
  : ['PGlite'];

/** Why the PostgreSQL half of a suite is skipped, in the skipped suite's name. */
export const POSTGRES_SKIPPED =
  'skipped: DATABASE_URL is not set; e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test';

/** jest's skipped `describe`, so a suite that cannot run here still shows, with its reason. */
const describeSkipped = describe.skip;

/**
 * `describe.each(DATABASE_KINDS)` that also shows the PostgreSQL suite when it cannot run: as
 * skipped, with the reason in its name (`… on PostgreSQL (skipped: DATABASE_URL is not set …)`).
 * `%s` in the title is the database kind.
 */
export function describeEachDatabase(title: string, fn: (kind: DatabaseKind) => void): void {
  for (const kind of ['PGlite', 'PostgreSQL'] as const) {
    const name = title.replace('%s', kind);
    if (DATABASE_KINDS.includes(kind)) describe(name, () => fn(kind));
    else describeSkipped(`${name} (${POSTGRES_SKIPPED})`, () => fn(kind));
  }
}

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
