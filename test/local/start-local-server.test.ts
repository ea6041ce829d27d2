import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openResultsDatabase } from '../../lambda/db';
import { loadRequest } from '../helpers/events';
import { useLocalServer } from '../helpers/local-server';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe('npm start with PGlite in a temporary directory, over real HTTP', () => {
  // The loader at the server's own CPU priority: a shared test machine is busy enough. The
  // hand-off limit is raised because a journal fsync on a loaded machine can pass the 1 s
  // default, which answers 503 by design (that answer has its own test in test/lambda/labels.test.ts).
  const local = useLocalServer({
    RESULTS_FLUSH_MS: '20',
    RESULTS_LOADER_NICE: '0',
    RESULTS_HANDOFF_MS: '30000',
  });
  const query = async <R extends object>(sql: string) => {
    const db = await openResultsDatabase({ kind: 'pglite', dir: local.resultsDir }, { migrate: false });
    try {
      return (await db.query<R>(sql)).rows;
    } finally {
      await db.close();
    }
  };
  const post = (path: string, body: unknown) =>
    fetch(`${local.running.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('records the seed request in the results table with the right fields', async () => {
    const before = new Date();
    const response = await post('/budget_expense_matcher', loadRequest('seed-request'));
    const reply = (await response.json()) as { score: number; match: boolean }[];
    expect(await local.running.results.waitUntilLoaded(150_000)).toBe(true);

    // Read through the server's socket, as the CLI commands do.
    const db = await openResultsDatabase({ kind: 'pglite', dir: local.resultsDir }, { migrate: false });
    const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM results');
    await db.close();
    expect(db.kind).toBe('postgres');
    expect(rows).toEqual([
      {
        request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        entry_index: 0,
        role: 'live',
        budget_id: '309366',
        itemization_id: '4659496',
        score: reply[0]?.score,
        decision: reply[0]?.match,
        threshold: expect.any(Number),
        model_version: response.headers.get('x-model-version'),
        error_code: null,
        scored_at: expect.any(Date),
        recorded_at: expect.any(Date),
      },
    ]);
    expect(rows[0]?.scored_at).toEqual(expect.any(Date));
    expect(Number(rows[0]?.scored_at)).toBeGreaterThanOrEqual(before.getTime() - 1000);
  }, 200_000);

  it('takes labels on POST /feedback (202, per-item errors) and stores the good ones', async () => {
    const response = await post('/feedback', [
      { budget_id: '309366', itemization_id: '4659496', match: false },
      { budget_id: 309366, itemization_id: 4659497, match: true },
      { budget_id: '309366', match: true },
    ]);
    expect(await local.running.results.waitUntilLoaded(150_000)).toBe(true);

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual([
      { budget_id: '309366', itemization_id: '4659496', accepted: true },
      { budget_id: '309366', itemization_id: '4659497', accepted: true },
      {
        index: 2,
        accepted: false,
        error: expect.objectContaining({ code: 'missing_id', field: '[2].itemization_id' }),
      },
    ]);
    const rows = await query(
      'SELECT budget_id, itemization_id, is_match, source FROM labels ORDER BY itemization_id',
    );
    expect(rows).toEqual([
      { budget_id: '309366', itemization_id: '4659496', is_match: false, source: 'api' },
      { budget_id: '309366', itemization_id: '4659497', is_match: true, source: 'api' },
    ]);
  }, 200_000);

  it('lets `npm run db:migrate` and `npm run labels -- load` reach the database while it runs', async () => {
    const env = {
      ...process.env,
      RESULTS_DB_DIR: local.resultsDir,
      DATABASE_URL: '',
      DATABASE_SECRET_ARN: '',
    };
    const file = join(local.dir, 'more.csv');
    writeFileSync(file, 'budget_id,itemization_id,match\n309366,4659498,true\n309366,,true\n');

    const migrated = await run('npx', ['tsx', 'scripts/db-migrate.ts'], { cwd: ROOT, env });
    const loaded = await run('npx', ['tsx', 'scripts/labels.ts', 'load', file], { cwd: ROOT, env }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    expect(migrated.stdout).toContain("through the running server's socket");
    expect(migrated.stdout).toContain('up to date');
    expect(loaded).toEqual(
      expect.objectContaining({
        code: 1,
        stdout: expect.stringContaining('2 labels read, 1 loaded'),
        stderr: expect.stringContaining('more.csv:3: itemization_id: itemization_id is missing'),
      }),
    );
    expect(await query("SELECT count(*)::int AS n FROM labels WHERE source = 'file:more.csv'")).toEqual([
      { n: 1 },
    ]);
  }, 200_000);
});
