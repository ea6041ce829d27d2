import { type Database, migrate, readMigrations } from '../../lambda/db';

export interface DbMigrateIo {
  readonly out: (line: string) => void;
  readonly openDatabase: () => Promise<Database>;
  /** Names the database for the report (`describeResultsDatabase`). */
  readonly describe: (db: Database) => string;
}

/**
 * `npm run db:migrate`: applies the migrations not yet applied to the results database and says
 * which it applied, to which database. Returns the exit code.
 */
export async function runDbMigrate(io: DbMigrateIo): Promise<number> {
  const files = await readMigrations();
  const db = await io.openDatabase();
  try {
    const applied = await migrate(db, files);
    io.out(`results database: ${io.describe(db)}`);
    if (applied.length === 0) io.out(`up to date: ${files.length} migrations already applied`);
    for (const version of applied) io.out(`applied ${version}`);
    return 0;
  } finally {
    await db.close();
  }
}
