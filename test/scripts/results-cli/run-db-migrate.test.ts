import { readMigrations } from '../../../lambda/db';
import { runDbMigrate } from '../../../scripts/results-cli/run-db-migrate';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../../helpers/test-databases';

describeEachDatabase('npm run db:migrate on %s', (kind) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await openTestDatabase(kind, { migrate: false });
  });
  afterEach(async () => {
    await test.drop();
  });

  it('applies every migration from empty and names them and the database; then reports up to date', async () => {
    const out: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      openDatabase: async () => ({ ...test.db, close: async () => {} }),
      describe: () => 'the test database',
    };
    const versions = (await readMigrations()).map((m) => m.version);

    expect(await runDbMigrate(io)).toBe(0);
    expect(await runDbMigrate(io)).toBe(0);

    expect(out).toEqual([
      'results database: the test database',
      ...versions.map((v) => `applied ${v}`),
      'results database: the test database',
      `up to date: ${versions.length} migrations already applied`,
    ]);
  });
});
