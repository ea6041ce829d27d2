import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createWriterHandler } from '../../lambda/writer';
import { loadEvent } from '../helpers/events';
import { SwitchableDatabase } from '../helpers/switchable-database';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../helpers/test-databases';

const sample = () => loadEvent<SQSEvent>('writer/sqs-results-batch');

describeEachDatabase('results writer (SQS → %s)', (kind) => {
  let test: TestDatabase;
  let db: SwitchableDatabase;
  let handler: ReturnType<typeof createWriterHandler>;
  let opened: number;
  beforeEach(async () => {
    test = await openTestDatabase(kind);
    db = new SwitchableDatabase(test.db);
    opened = 0;
    handler = createWriterHandler({
      openDatabase: async () => {
        opened += 1;
        return db;
      },
      logger: new Logger({ logLevel: 'SILENT' }),
    });
  });
  afterEach(async () => {
    await test.drop();
  });
  const counts = async () => {
    const { rows } = await test.db.query<{ results: number; labels: number }>(
      'SELECT (SELECT count(*)::int FROM results) AS results, (SELECT count(*)::int FROM labels) AS labels',
    );
    return rows[0];
  };

  it('writes every record of the sample batch, all result rows in one INSERT, and reports no failures', async () => {
    const reply = await handler(sample());

    expect(reply).toEqual({ batchItemFailures: [] });
    expect(db.statements).toBe(2);
    expect(await counts()).toEqual({ results: 4, labels: 2 });
    const { rows } = await test.db.query(
      "SELECT request_id, entry_index, budget_id, itemization_id, score, decision, role, error_code FROM results WHERE request_id LIKE 'c6af%' ORDER BY entry_index",
    );
    expect(rows).toEqual([
      expect.objectContaining({
        entry_index: 0,
        budget_id: '309366',
        itemization_id: '4659497',
        score: 0.981,
        decision: true,
        role: 'live',
      }),
      expect.objectContaining({ entry_index: 1, itemization_id: '4659496', decision: false }),
      expect.objectContaining({ entry_index: 2, budget_id: null, score: null, error_code: 'missing_id' }),
    ]);
  });

  it('inserts nothing twice when the same batch is delivered again', async () => {
    await handler(sample());

    const reply = await handler(sample());

    expect(reply).toEqual({ batchItemFailures: [] });
    expect(await counts()).toEqual({ results: 4, labels: 2 });
  });

  it('reports a poison record as a batch item failure and writes the others', async () => {
    const event = sample();
    const poison = {
      ...(event.Records[0] as SQSRecord),
      messageId: 'poison-1',
      body: '{"kind":"results","rows":[{"request_id":1}]}',
    };
    const notJson = { ...(event.Records[0] as SQSRecord), messageId: 'poison-2', body: 'not json' };
    event.Records.splice(1, 0, poison, notJson);

    const reply = await handler(event);

    expect(reply).toEqual({
      batchItemFailures: [{ itemIdentifier: 'poison-1' }, { itemIdentifier: 'poison-2' }],
    });
    expect(await counts()).toEqual({ results: 4, labels: 2 });
  });

  it('fails only the record whose rows the database refuses, writing its batch-mates', async () => {
    const event = sample();
    const refused = {
      ...(event.Records[1] as SQSRecord),
      messageId: 'refused',
      // A NUL in text passes the schema but no PostgreSQL text column can hold it.
      body: (event.Records[1] as SQSRecord).body
        .replace('"309367"', '"309\\u0000367"')
        .replace('7d2f', 'ffff'),
    };
    event.Records.push(refused);

    const reply = await handler(event);

    expect(reply).toEqual({ batchItemFailures: [{ itemIdentifier: 'refused' }] });
    expect(await counts()).toEqual({ results: 4, labels: 2 });
  });

  it('fails the whole batch while the database is down, and writes it all when redelivered after', async () => {
    db.down = true;

    await expect(handler(sample())).rejects.toThrow(/All records failed/);
    db.down = false;
    const reply = await handler(sample());

    expect(reply).toEqual({ batchItemFailures: [] });
    expect(await counts()).toEqual({ results: 4, labels: 2 });
  });

  it('opens the database once per container, and again after a failed open', async () => {
    let attempts = 0;
    const flaky = createWriterHandler({
      openDatabase: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('secret not reachable');
        return db;
      },
      logger: new Logger({ logLevel: 'SILENT' }),
    });

    await expect(flaky(sample())).rejects.toThrow('secret not reachable');
    await flaky(sample());
    await flaky(sample());

    expect(attempts).toBe(2);
    expect(opened).toBe(0);
  });
});
