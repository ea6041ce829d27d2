import { type Database, migrate, readMigrations } from '../../../lambda/db';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../../helpers/test-databases';

describeEachDatabase('migrate on %s', (kind) => {
  let test: TestDatabase;
  let db: Database;
  let schema: string;

  beforeAll(async () => {
    // An empty database of its own (a schema that every pooled connection uses, on PostgreSQL).
    test = await openTestDatabase(kind, { migrate: false });
    db = test.db;
    schema = test.schema;
  });
  afterAll(async () => {
    await test.drop();
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
