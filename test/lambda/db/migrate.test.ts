import { type Database, migrate, openDatabase, readMigrations } from '../../../lambda/db';

/** Every database the tests can reach: PGlite always, PostgreSQL when `DATABASE_URL` is set. */
const targets: [string, () => Promise<Database>][] = [
  ['PGlite', () => openDatabase({ memory: true })],
  ...(process.env.DATABASE_URL
    ? [
        ['PostgreSQL', () => openDatabase({ url: process.env.DATABASE_URL as string })] as [
          string,
          () => Promise<Database>,
        ],
      ]
    : []),
];

describe.each(targets)('migrate on %s', (_name, open) => {
  let db: Database;
  const schema = `migrate_test_${process.pid}`;

  beforeAll(async () => {
    db = await open();
    // A schema of its own, so the test never touches the tables other tests (or a server) use.
    await db.exec(
      `DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path TO ${schema}`,
    );
  });
  afterAll(async () => {
    await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.close();
  });

  it('applies every migration from empty, in order, and records each', async () => {
    const files = await readMigrations();

    const applied = await migrate(db, files);

    expect(applied).toEqual(files.map((f) => f.version));
    const { rows } = await db.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(applied);
    const tables = await db.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['results', 'labels']));
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(db)).toEqual([]);
  });

  it('refuses a recorded migration whose file changed', async () => {
    const files = await readMigrations();
    const changed = files.map((f, i) => (i === 0 ? { ...f, checksum: 'edited' } : f));

    await expect(migrate(db, changed)).rejects.toThrow(/was changed after it was applied/);
  });

  it('leaves the database as it was when a migration fails', async () => {
    const broken = {
      version: '999_broken',
      sql: 'CREATE TABLE half_done (x int); SELECT no_such_column FROM half_done;',
      checksum: 'x',
    };

    await expect(migrate(db, [...(await readMigrations()), broken])).rejects.toThrow();

    const { rows } = await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
    expect(rows).toHaveLength(0);
  });
});
