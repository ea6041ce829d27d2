import { readdirSync } from 'node:fs';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Database, openDatabase } from '../../../lambda/db';
import { JournalSink } from '../../../local/results/journal-sink';
import { JournalWriter } from '../../../local/results/journal-writer';
import { type LoaderStatus, ResultsLoader } from '../../../local/results/results-loader';
import { RecordingLogger } from '../../helpers/recording-logger';
import { label, resultRows } from '../../helpers/result-rows';
import { useScratch } from '../../helpers/scratch';
import { SwitchableDatabase } from '../../helpers/switchable-database';
import { TcpProxy } from '../../helpers/tcp-proxy';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../helpers/test-databases';

const asLogger = (logger: RecordingLogger) => logger as unknown as Logger;

/**
 * The local results path without HTTP: rows recorded into the journal (JournalSink), loaded into
 * a real database (PGlite, and PostgreSQL when DATABASE_URL is set) by the ResultsLoader, through
 * the faults it must survive. Every test counts the rows.
 */
describe.each(DATABASE_KINDS)('journal and loader on %s', (kind) => {
  jest.setTimeout(180_000);
  const scratch = useScratch();
  let test: TestDatabase;
  let dir: string;
  const running: { loader: ResultsLoader; done: Promise<void> }[] = [];
  beforeEach(async () => {
    test = await openTestDatabase(kind);
    dir = scratch.dir('journal');
  });
  afterEach(async () => {
    for (const r of running.splice(0)) {
      r.loader.stop();
      await r.done;
    }
    await test.drop();
  });
  const count = async (table = 'results') =>
    (await test.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;

  /** A server's side: a fresh journal segment and a sink writing into it. */
  async function record(requests: number, rowsEach: number, prefix: string) {
    const writer = await JournalWriter.open({ dir, maxBytes: 1e9 });
    const sink = new JournalSink({ writer, flushMs: 10, logger: asLogger(new RecordingLogger()) });
    for (let r = 0; r < requests; r++) sink.record(resultRows(rowsEach, `${prefix}-${r}`));
    await sink.flush();
    await writer.close();
    return { writer, sink };
  }

  function startLoader(
    db: Database,
    options: { firstLiveSegment?: number; stallMs?: number; mayLoad?: () => boolean } = {},
  ) {
    const logger = new RecordingLogger();
    let status: LoaderStatus | undefined;
    const loader = new ResultsLoader({
      dir,
      openDatabase: async () => db,
      logger: asLogger(logger),
      retry: { initialMs: 20, maxMs: 100 },
      pollMs: 20,
      onStatus: (s) => {
        status = s;
      },
      ...options,
    });
    const done = loader.countReplay().then(() => loader.run());
    running.push({ loader, done });
    return { loader, logger, status: () => status, done };
  }

  async function until(condition: () => Promise<boolean> | boolean, ms = 30_000) {
    const end = Date.now() + ms;
    while (!(await condition())) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('says it is connected once the database is open, with nothing to load (an idle server is not `connecting`)', async () => {
    const loader = startLoader(test.db);

    await until(() => loader.status()?.connected === true, 20_000);

    expect(loader.status()).toMatchObject({
      connected: true,
      loadedRows: 0,
      failingSince: null,
      oldestAt: null,
    });
  });

  it('writes every journaled row, in large statements, and deletes the segments it has passed', async () => {
    const db = new SwitchableDatabase(test.db);
    await record(30, 1000, 'r');
    await record(1, 5, 'next-run');

    const loader = startLoader(db, { firstLiveSegment: 2 });
    await until(async () => (await count()) === 30_005 && loader.status()?.loadedRows === 30_005);
    await until(() => readdirSync(dir).filter((f) => f.endsWith('.jsonl')).length === 1);

    // 30 lines of 1,000 rows: two statements of up to 20,000 rows, then the next segment's.
    expect(db.statements).toBe(3);
    expect(loader.status()).toMatchObject({
      loadedRows: 30_005,
      replayRows: 30_000,
      replayLoadedRows: 30_000,
    });
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toEqual(['000000000002.jsonl']);
  });

  it('reports itself connected once the database is open, before any row arrives', async () => {
    const loader = startLoader(new SwitchableDatabase(test.db));
    await until(() => loader.status()?.connected === true, 10_000);

    expect(loader.status()).toMatchObject({ connected: true, loadedRows: 0, failingSince: null });
    expect(await count()).toBe(0);
  });

  it('held (the server is busy): opens the database, writes nothing, then every row once allowed', async () => {
    let allowed = false;
    const loader = startLoader(test.db, { mayLoad: () => allowed });
    await record(12, 500, 'held');
    await until(() => loader.status()?.connected === true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const whileHeld = { rows: await count(), loaded: loader.status()?.loadedRows };

    allowed = true;
    loader.loader.notify();
    await until(async () => (await count()) === 6000 && loader.status()?.loadedRows === 6000);

    expect(whileHeld).toEqual({ rows: 0, loaded: 0 });
  });

  it('database refusing: keeps every row in the journal, retries, and writes them all when it is back', async () => {
    const db = new SwitchableDatabase(test.db);
    db.down = true;
    const loader = startLoader(db);
    await record(10, 100, 'down');
    await until(() => loader.status()?.failingSince != null);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const whileDown = await count();

    db.down = false;
    await until(async () => (await count()) === 1000 && loader.status()?.loadedRows === 1000);

    expect(whileDown).toBe(0);
    expect(loader.logger.find('results database unavailable')).toHaveLength(1);
    expect(loader.logger.find('reachable again')).toHaveLength(1);
    expect(loader.status()).toMatchObject({ failingSince: null, loadedRows: 1000, refusedRows: 0 });
  });

  it('database frozen: warns that writing stalled, keeps the rows, and writes them when it answers again', async () => {
    const db = new SwitchableDatabase(test.db);
    db.freeze();
    const loader = startLoader(db, { stallMs: 100 });
    await record(5, 200, 'frozen');
    await until(() => loader.status()?.stalledSince != null);
    const whileFrozen = await count();

    db.unfreeze();
    await until(async () => (await count()) === 1000);

    expect(whileFrozen).toBe(0);
    expect(loader.logger.find('results writing stalled')).toHaveLength(1);
    expect(loader.status()?.stalledSince).toBeNull();
  });

  it('a row the database refuses is isolated and logged; every other row of its batch is written', async () => {
    const rows = resultRows(1000, 'with-a-bad-row');
    rows[617] = { ...(rows[617] as (typeof rows)[number]), budget_id: 'b\u0000ad' };
    const writer = await JournalWriter.open({ dir, maxBytes: 1e9 });
    const sink = new JournalSink({ writer, flushMs: 10, logger: asLogger(new RecordingLogger()) });
    sink.record(rows);
    sink.recordLabels([label('b1', 'i1', true, '2026-11-23T10:00:00.000Z')]);
    await sink.flush();

    const loader = startLoader(test.db);
    await until(async () => (await count()) === 999 && (await count('labels')) === 1);
    await until(() => loader.status()?.refusedRows === 1);

    expect(loader.logger.find('refused by the database')).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({ row: expect.objectContaining({ entry_index: 617 }) }),
      }),
    ]);
  });

  it('start with the database down, stop, then a restart replays everything from both runs', async () => {
    const db = new SwitchableDatabase(test.db);
    db.down = true;
    const first = startLoader(db);
    await record(4, 250, 'first-run');
    await until(() => first.status()?.failingSince != null);
    first.loader.stop();
    await first.done;
    running.splice(0);
    const afterFirstRun = await count();

    db.down = false;
    const { writer } = await record(2, 500, 'second-run');
    const second = startLoader(db, { firstLiveSegment: writer.currentSegment });
    await until(async () => (await count()) === 2000 && second.status()?.loadedRows === 2000);

    expect(afterFirstRun).toBe(0);
    expect(second.status()).toMatchObject({ replayRows: 1000, replayLoadedRows: 1000, loadedRows: 2000 });
  });

  if (kind === 'PostgreSQL') {
    it('through a real connection: refusing (proxy stopped), frozen (proxy silent), back', async () => {
      const url = new URL(test.url as string);
      const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
      await proxy.start();
      url.port = String(proxy.port);
      const db = await openDatabase({
        pool: {
          connectionString: url.toString(),
          options: test.poolOptions,
          query_timeout: 500,
          connectionTimeoutMillis: 500,
        },
      });
      try {
        await proxy.stop();
        const loader = startLoader(db, { stallMs: 200 });
        await record(3, 100, 'refused');
        await until(() => loader.status()?.failingSince != null);
        await proxy.start();
        await until(async () => (await count()) === 300);

        proxy.freeze();
        await record(3, 100, 'frozen');
        await until(() => loader.status()?.failingSince != null);
        const whileFrozen = await count();
        proxy.unfreeze();
        await until(async () => (await count()) === 600);

        expect(whileFrozen).toBe(300);
        expect(loader.logger.find('results database unavailable').length).toBeGreaterThanOrEqual(2);
      } finally {
        for (const r of running.splice(0)) {
          r.loader.stop();
          await r.done;
        }
        await db.close();
        await proxy.stop();
      }
    });
  }
});

describe('the journal', () => {
  const scratch = useScratch();
  it('is bounded: past its size rows are refused, counted as lost and logged, never blocking', async () => {
    const dir = scratch.dir('journal');
    const writer = await JournalWriter.open({ dir, maxBytes: 50_000 });
    const logger = new RecordingLogger();
    const dropped: number[] = [];
    const sink = new JournalSink({
      writer,
      flushMs: 10,
      lineRows: 100,
      logger: asLogger(logger),
      onDrop: (n) => dropped.push(n),
    });

    for (let r = 0; r < 10; r++) sink.record(resultRows(100, `r${r}`));
    await sink.flush();

    // Lines of 100 rows (about 10 KB each) until the next would pass 50,000 bytes; the rest lost.
    expect(sink.journaledRows + sink.droppedRows).toBe(1000);
    expect(sink.journaledRows).toBeGreaterThan(0);
    expect(sink.journaledRows).toBeLessThan(1000);
    expect(writer.bytes).toBeLessThanOrEqual(50_000);
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(sink.droppedRows);
    expect(logger.find('results journal cannot take rows')).toHaveLength(1);
    await writer.close();
  });

  it('acknowledges labels once they are on disk', async () => {
    const dir = scratch.dir('journal');
    const writer = await JournalWriter.open({ dir, maxBytes: 1e9 });
    const sink = new JournalSink({ writer, flushMs: 10_000, logger: asLogger(new RecordingLogger()) });

    sink.recordLabels([label('b1', 'i1', true, '2026-11-23T10:00:00.000Z')]);
    const settled = await sink.settle(5000);

    expect(settled).toBe(true);
    expect(sink.journaledRows).toBe(1);
    await writer.close();
  });
});
