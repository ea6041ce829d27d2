import type { Logger } from '@aws-lambda-powertools/logger';
import { openResultsDatabase } from '../../../lambda/db';
import { type LocalResults, openLocalResults } from '../../../local/open-local-results';
import { RecordingLogger } from '../../helpers/recording-logger';
import { resultRows } from '../../helpers/result-rows';
import { useScratch } from '../../helpers/scratch';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../../helpers/test-databases';

/**
 * When the local server's loader process loads (`loader-process.ts`): it waits while the server
 * is busy, loads once it is idle or the lag bound is passed, exits once idle and is started again
 * when rows (or a CLI) need it. Real loader processes, on PGlite and PostgreSQL; every test counts
 * the rows in the database.
 */
describeEachDatabase('the loader process on %s', (kind) => {
  jest.setTimeout(240_000);
  const scratch = useScratch();
  let test: TestDatabase | undefined;
  let results: LocalResults | undefined;
  let pgliteDir = '';

  afterEach(async () => {
    await results?.close();
    results = undefined;
    await test?.drop();
    test = undefined;
  });

  async function open(settings: Record<string, string>): Promise<LocalResults> {
    pgliteDir = scratch.dir('pglite');
    let database: Record<string, string> = { DATABASE_URL: '', RESULTS_DB_DIR: pgliteDir };
    if (kind === 'PostgreSQL') {
      test = await openTestDatabase(kind, { migrate: false });
      const url = new URL(test.url as string);
      url.searchParams.set('options', test.poolOptions as string);
      database = { DATABASE_URL: url.toString() };
    }
    results = await openLocalResults({
      env: {
        ...process.env,
        ...database,
        RESULTS_JOURNAL_DIR: scratch.dir('journal'),
        RESULTS_FLUSH_MS: '10',
        // At the server's own priority: a shared test machine is busy enough.
        RESULTS_LOADER_NICE: '0',
        CAPTURE: 'off',
        ...settings,
      },
      logger: new RecordingLogger() as unknown as Logger,
    });
    return results;
  }

  /** Rows in the results table: through the server's socket for PGlite (as a CLI reads them). */
  async function count(): Promise<number> {
    const db =
      test?.db ?? (await openResultsDatabase({ kind: 'pglite', dir: pgliteDir }, { migrate: false }));
    try {
      return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM results')).rows[0]?.n ?? -1;
    } finally {
      if (!test) await db.close();
    }
  }

  async function until(condition: () => boolean, ms = 120_000) {
    const end = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('defers loading while rows keep arriving, then loads every row once the server is idle', async () => {
    // Idle after 4 s without a row; rows arrive every 50 ms meanwhile.
    const local = await open({ RESULTS_LOAD_IDLE_MS: '4000' });
    for (let r = 0; r < 30; r++) {
      local.sink.record(resultRows(100, `busy-${r}`));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await local.sink.flush();
    const whileBusy = { started: local.loader?.started, state: local.status().state };
    const backlogWhileBusy = local.status().backlog_rows;

    expect(await local.waitUntilLoaded(180_000)).toBe(true);

    expect(whileBusy).toEqual({ started: 0, state: 'deferred' });
    expect(backlogWhileBusy).toBe(3000);
    expect(await count()).toBe(3000);
    expect(local.loader?.started).toBe(1);
  });

  it('loads while the server stays busy once the oldest row is older than the lag bound', async () => {
    // Never idle (10 minutes), lag bound 1 s.
    const local = await open({ RESULTS_LOAD_IDLE_MS: '600000', RESULTS_LOAD_MAX_LAG_S: '1' });
    local.sink.record(resultRows(2500, 'lagging'));
    await local.sink.flush();

    expect(await local.waitUntilLoaded(180_000)).toBe(true);

    expect(await count()).toBe(2500);
    expect(local.loader?.started).toBe(1);
  });

  it('exits once caught up and idle, and a new loader loads the next rows: none lost', async () => {
    const local = await open({ RESULTS_LOAD_IDLE_MS: '100', RESULTS_LOADER_IDLE_EXIT_S: '1' });
    local.sink.record(resultRows(1000, 'first'));
    expect(await local.waitUntilLoaded(180_000)).toBe(true);
    await until(() => local.loader?.retired === 1);
    const afterFirst = { pid: local.loaderPid, state: local.status().state };

    local.sink.record(resultRows(700, 'second'));
    expect(await local.waitUntilLoaded(180_000)).toBe(true);

    expect(afterFirst).toEqual({ pid: undefined, state: 'ok' });
    expect(local.loader?.started).toBe(2);
    expect(await count()).toBe(1700);
    expect(local.status()).toMatchObject({ backlog_rows: 0, dropped_rows: 0 });
  });

  if (kind === 'PGlite')
    it('a CLI connecting to the socket while the loader is gone starts it and reads every row', async () => {
      const local = await open({ RESULTS_LOAD_IDLE_MS: '100', RESULTS_LOADER_IDLE_EXIT_S: '1' });
      local.sink.record(resultRows(1200, 'cli'));
      expect(await local.waitUntilLoaded(180_000)).toBe(true);
      await until(() => local.loader?.retired === 1);

      expect(await count()).toBe(1200);
      expect(local.loader?.started).toBe(2);
    });
});
