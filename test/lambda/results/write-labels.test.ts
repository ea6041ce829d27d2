import { writeLabels } from '../../../lambda/results';
import { label } from '../../helpers/result-rows';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../../helpers/test-databases';

describeEachDatabase('writeLabels on %s', (kind) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await test.drop();
  });
  const stored = async () =>
    (
      await test.db.query(
        `SELECT budget_id, itemization_id, is_match, source,
                to_char(labelled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS labelled_at
           FROM labels ORDER BY budget_id, itemization_id`,
      )
    ).rows;

  it('inserts new labels and replaces older ones with newer', async () => {
    await writeLabels(test.db, [label('b1', 'i1', false, '2026-01-01T00:00:00.000Z', 'api')]);

    const written = await writeLabels(test.db, [
      label('b1', 'i1', true, '2026-02-01T00:00:00.000Z', 'file:x.csv'),
      label('b2', 'i2', true, '2026-02-01T00:00:00.000Z', 'api'),
    ]);

    expect(written).toBe(2);
    expect(await stored()).toEqual([
      {
        budget_id: 'b1',
        itemization_id: 'i1',
        is_match: true,
        source: 'file:x.csv',
        labelled_at: '2026-02-01T00:00:00.000Z',
      },
      {
        budget_id: 'b2',
        itemization_id: 'i2',
        is_match: true,
        source: 'api',
        labelled_at: '2026-02-01T00:00:00.000Z',
      },
    ]);
  });

  it('never lets a redelivered older label overwrite a newer one', async () => {
    const older = label('b1', 'i1', false, '2026-01-01T00:00:00.000Z');
    const newer = label('b1', 'i1', true, '2026-03-01T00:00:00.000Z');
    await writeLabels(test.db, [older]);
    await writeLabels(test.db, [newer]);

    const written = await writeLabels(test.db, [older]);

    expect(written).toBe(0);
    expect(await stored()).toEqual([
      expect.objectContaining({ is_match: true, labelled_at: newer.labelled_at }),
    ]);
  });

  it('keeps the latest label of a pair within one batch, whatever the order', async () => {
    const written = await writeLabels(test.db, [
      label('b1', 'i1', true, '2026-03-01T00:00:00.000Z'),
      label('b1', 'i1', false, '2026-01-01T00:00:00.000Z'),
      label('b1', 'i1', false, '2026-02-01T00:00:00.000Z'),
    ]);

    expect(written).toBe(1);
    expect(await stored()).toEqual([expect.objectContaining({ is_match: true })]);
  });

  it('writes 20,000 labels in one call', async () => {
    const labels = Array.from({ length: 20_000 }, (_, i) =>
      label(`b${i % 10}`, `i${i}`, i % 3 === 0, '2026-01-01T00:00:00.000Z'),
    );

    expect(await writeLabels(test.db, labels)).toBe(20_000);
    expect((await stored()).length).toBe(20_000);
  });
});
