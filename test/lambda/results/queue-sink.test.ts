import type { Logger } from '@aws-lambda-powertools/logger';
import { openDatabase } from '../../../lambda/db';
import { QueueSink } from '../../../lambda/results';
import { RecordingLogger } from '../../helpers/recording-logger';
import { resultRows } from '../../helpers/result-rows';
import { SwitchableDatabase } from '../../helpers/switchable-database';
import { TcpProxy } from '../../helpers/tcp-proxy';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../../helpers/test-databases';

const countRows = async (test: TestDatabase) =>
  (await test.db.query<{ n: number }>('SELECT count(*)::int AS n FROM results')).rows[0]?.n;

describeEachDatabase('QueueSink on %s', (kind) => {
  let test: TestDatabase;
  let sink: QueueSink | undefined;
  beforeEach(async () => {
    test = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await sink?.close({ timeoutMs: 2000 }).catch(() => {});
    sink = undefined;
    await test.drop();
  });

  it('returns at once and writes what was recorded in batches of at most batchRows, one statement each', async () => {
    const db = new SwitchableDatabase(test.db);
    sink = new QueueSink(db, { intervalMs: 50, batchRows: 5000 });

    for (let r = 0; r < 12; r += 1) sink.record(resultRows(1000, `req-${r}`));
    const statementsRightAfter = db.statements;
    await sink.flush();

    expect(statementsRightAfter).toBe(0);
    expect(db.statements).toBe(3);
    expect(await countRows(test)).toBe(12_000);
    expect(sink.pendingRows).toBe(0);
  });

  it('writes labels through the same queue', async () => {
    sink = new QueueSink(test.db, { intervalMs: 10 });

    const taken = sink.recordLabels([
      {
        budget_id: 'b1',
        itemization_id: 'i1',
        is_match: true,
        labelled_at: new Date().toISOString(),
        source: 'api',
      },
    ]);
    await sink.flush();

    expect(taken).toBe(true);
    const { rows } = await test.db.query('SELECT budget_id, is_match FROM labels');
    expect(rows).toEqual([{ budget_id: 'b1', is_match: true }]);
  });

  it('keeps the rows while the database is down and writes them, in full, when it is back', async () => {
    const db = new SwitchableDatabase(test.db);
    const logger = new RecordingLogger();
    sink = new QueueSink(db, {
      intervalMs: 10,
      retry: { initialMs: 20, maxMs: 50 },
      logger: logger as unknown as Logger,
    });
    db.down = true;

    for (let r = 0; r < 5; r += 1) sink.record(resultRows(100, `req-${r}`));
    await expect(sink.flush({ timeoutMs: 300 })).rejects.toMatchObject({ code: 'flush_timeout' });
    expect(sink.pendingRows).toBe(500);
    db.down = false;
    await sink.flush({ timeoutMs: 5000 });

    expect(await countRows(test)).toBe(500);
    expect(logger.find('results database unavailable')).toHaveLength(1);
    expect(logger.find('reachable again')).toHaveLength(1);
  });

  it('drops rows over the cap, counting them, logging once when it starts and once with the count when it ends', async () => {
    const db = new SwitchableDatabase(test.db);
    const logger = new RecordingLogger();
    const dropped: number[] = [];
    sink = new QueueSink(db, {
      intervalMs: 10,
      maxBufferedRows: 100,
      retry: { initialMs: 20, maxMs: 20 },
      logger: logger as unknown as Logger,
      onDrop: (n) => dropped.push(n),
    });
    db.down = true;

    sink.record(resultRows(60, 'kept'));
    sink.record(resultRows(60, 'dropped-1'));
    sink.record(resultRows(60, 'dropped-2'));
    db.down = false;
    await sink.flush({ timeoutMs: 5000 });
    sink.record(resultRows(10, 'after'));
    await sink.flush({ timeoutMs: 5000 });

    expect(dropped).toEqual([60, 60]);
    expect(logger.find('results buffer full')).toHaveLength(1);
    expect(logger.find('accepting rows again').map((l) => l.fields.dropped_rows)).toEqual([120]);
    const { rows } = await test.db.query<{ request_id: string; n: number }>(
      'SELECT request_id, count(*)::int AS n FROM results GROUP BY request_id ORDER BY request_id',
    );
    expect(rows).toEqual([
      { request_id: 'after', n: 10 },
      { request_id: 'kept', n: 60 },
    ]);
  });

  it('drops only the rows the database refuses (a poison row), writing the rest of their batch', async () => {
    const logger = new RecordingLogger();
    const dropped: number[] = [];
    sink = new QueueSink(test.db, {
      intervalMs: 10,
      logger: logger as unknown as Logger,
      onDrop: (n) => dropped.push(n),
    });
    const rows = resultRows(9);
    const poison = { ...rows[4], score: 7 } as (typeof rows)[number];

    sink.record(rows.map((r, i) => (i === 4 ? poison : r)));
    await sink.flush({ timeoutMs: 5000 });

    expect(await countRows(test)).toBe(8);
    expect(dropped).toEqual([1]);
    expect(logger.find('refused by the database')).toHaveLength(1);
  });

  if (kind === 'PostgreSQL') {
    it('rides out the real server going away (connections cut) and coming back', async () => {
      const server = new URL(process.env.DATABASE_URL as string);
      const proxy = new TcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
      await proxy.start();
      const viaProxy = new URL(server);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      const db = await openDatabase({
        pool: {
          connectionString: viaProxy.toString(),
          options: test.poolOptions,
          connectionTimeoutMillis: 500,
        },
      });
      sink = new QueueSink(db, { intervalMs: 10, retry: { initialMs: 20, maxMs: 100 } });
      try {
        sink.record(resultRows(100, 'before'));
        await sink.flush({ timeoutMs: 5000 });
        await proxy.stop();

        for (let r = 0; r < 10; r += 1) sink.record(resultRows(100, `during-${r}`));
        await expect(sink.flush({ timeoutMs: 500 })).rejects.toMatchObject({ code: 'flush_timeout' });
        await proxy.start();
        await sink.flush({ timeoutMs: 10_000 });

        expect(await countRows(test)).toBe(1100);
      } finally {
        await sink.close({ timeoutMs: 1000 }).catch(() => {});
        await db.close();
        await proxy.stop();
      }
    });
  }
});
