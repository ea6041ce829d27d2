import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migrationsDir } from '../config';
import type { Database } from './database';

/** One migration file: `NNN_name.sql`. */
export interface Migration {
  readonly version: string;
  readonly sql: string;
  readonly checksum: string;
}

/** Reads `dir`'s `*.sql` files in file-name order. */
export async function readMigrations(dir: string = migrationsDir()): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name), 'utf8');
      return {
        version: name.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

// Any constant: every migrating process takes the same lock, so two cold starts never race.
const MIGRATION_LOCK = 4_246_813;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, in one transaction
 * (PostgreSQL's DDL is transactional: a failing file leaves the database as it was); returns the versions it applied. A recorded migration whose file changed since is an
 * error (edit by adding a migration, never by rewriting one).
 */
export async function migrate(db: Database, migrations?: readonly Migration[]): Promise<string[]> {
  const files = migrations ?? (await readMigrations());
  return db.transaction(async (tx) => {
    // The lock comes first, before even the bookkeeping table: two cold starts on an empty
    // database would otherwise race to create it.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    text        PRIMARY KEY,
      checksum   text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: string; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations',
    );
    const applied = new Map(rows.map((r) => [r.version, r.checksum]));
    const done: string[] = [];
    for (const migration of files) {
      const checksum = applied.get(migration.version);
      if (checksum === migration.checksum) continue;
      if (checksum !== undefined) {
        throw new Error(
          `migration ${migration.version} was changed after it was applied; add a new migration instead`,
        );
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [
        migration.version,
        migration.checksum,
      ]);
      done.push(migration.version);
    }
    return done;
  });
}
