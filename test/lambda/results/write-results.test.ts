import { parseRequest } from '../../../lambda/contract';
import { matchRequest } from '../../../lambda/matcher';
import { toResultRows, writeResults } from '../../../lambda/results';
import { loadEvent } from '../../helpers/events';
import { resultRows } from '../../helpers/result-rows';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../../helpers/test-databases';

describeEachDatabase('writeResults on %s', (kind) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await test.drop();
  });
  const count = async () =>
    (await test.db.query<{ n: number }>('SELECT count(*)::int AS n FROM results')).rows[0]?.n;

  it('stores every field of every row', async () => {
    const rows = [
      ...resultRows(2, 'req-a'),
      {
        ...resultRows(1, 'req-a')[0],
        entry_index: 2,
        budget_id: null,
        itemization_id: 'i9',
        score: null,
        decision: null,
        error_code: 'missing_id',
      },
      ...resultRows(1, 'req-a', { role: 'shadow', model_version: 'candidate' }),
    ] as ReturnType<typeof resultRows>;

    const inserted = await writeResults(test.db, rows);

    expect(inserted).toBe(4);
    const { rows: stored } = await test.db.query(
      `SELECT request_id, entry_index, role, budget_id, itemization_id, score, decision, threshold,
              model_version, error_code, to_char(scored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS scored_at
         FROM results ORDER BY role, entry_index`,
    );
    expect(stored).toEqual(rows);
  });

  it('inserts nothing twice when a batch is redelivered, or repeats rows within itself', async () => {
    const rows = resultRows(50);
    await writeResults(test.db, rows);

    const again = await writeResults(test.db, [
      ...rows,
      ...resultRows(10, 'req-2'),
      ...resultRows(10, 'req-2'),
    ]);

    expect(again).toBe(10);
    expect(await count()).toBe(60);
  });

  it('writes 20,000 rows in one call (one statement, a fixed number of parameters)', async () => {
    const rows = resultRows(20_000, 'big');
    const started = performance.now();

    const inserted = await writeResults(test.db, rows);

    const ms = performance.now() - started;
    expect(inserted).toBe(20_000);
    expect(await count()).toBe(20_000);
    console.log(`${kind}: 20,000 result rows in one unnest INSERT: ${ms.toFixed(0)} ms`);
  });

  it('is refused as a whole for a row the table cannot hold, writing nothing', async () => {
    const rows = resultRows(3);
    const bad = { ...resultRows(1)[0], entry_index: 3, score: 1.5 } as (typeof rows)[number];

    await expect(writeResults(test.db, [...rows, bad])).rejects.toMatchObject({ code: '23514' });
    expect(await count()).toBe(0);
  });

  it('stores the rows of pairs whose score was not finite (score_not_finite), beside scored ones', async () => {
    // Every other pair scores NaN: a broken model that got past loading.
    const nanEveryOther = {
      threshold: 0.5,
      score: (_f: Float32Array, rows: number) =>
        Float32Array.from({ length: rows }, (_, i) => (i % 2 ? Number.NaN : 0.25)),
    };
    const entries = matchRequest(parseRequest(loadEvent('direct-invoke-trip')), nanEveryOther);
    const rows = toResultRows(entries, {
      requestId: 'req-nan',
      modelVersion: 'broken',
      threshold: 0.5,
      role: 'live',
      scoredAt: new Date('2026-12-01T00:00:00Z'),
    });

    const inserted = await writeResults(test.db, rows);

    expect(inserted).toBe(rows.length);
    const { rows: stored } = await test.db.query<{ error_code: string | null; n: number }>(
      'SELECT error_code, count(*)::int AS n FROM results GROUP BY error_code ORDER BY error_code',
    );
    const half = rows.length / 2;
    expect(stored).toEqual([
      { error_code: 'score_not_finite', n: half },
      { error_code: null, n: half },
    ]);
  });

  it('does nothing for no rows', async () => {
    expect(await writeResults(test.db, [])).toBe(0);
  });
});
