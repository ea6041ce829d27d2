import { writeResults } from '../../../lambda/results';
import { resultRows } from '../../helpers/result-rows';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../helpers/test-databases';

describe.each(DATABASE_KINDS)('migration 003_batch_role on %s', (kind) => {
  let test: TestDatabase;

  // PGlite's start (a wasm PostgreSQL, migrated) takes minutes when the machine is busy.
  beforeAll(async () => {
    test = await openTestDatabase(kind);
  }, 300_000);
  afterAll(async () => {
    await test?.drop();
  });

  it('stores rows with role batch beside live ones, and still refuses an unknown role', async () => {
    const batch = resultRows(3, 'run-1/17', { role: 'batch' });

    const written = await writeResults(test.db, [...batch, ...resultRows(2, 'req-live')]);

    expect(written).toBe(5);
    const { rows } = await test.db.query<{ role: string; n: number }>(
      'SELECT role, count(*)::int AS n FROM results GROUP BY role ORDER BY role',
    );
    expect(rows).toEqual([
      { role: 'batch', n: 3 },
      { role: 'live', n: 2 },
    ]);
    await expect(
      writeResults(test.db, resultRows(1, 'req-x', { role: 'offline' as 'batch' })),
    ).rejects.toThrow(/results_role_check/);
  });
});
