import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../lambda/db';
import { loadRequest } from '../helpers/events';

/**
 * Captures ride the results journal: under a burst, and across a SIGTERM in the middle of it and a
 * restart, no capture is lost whose results rows were kept. `npm start`'s entry point runs in a
 * child process of its own (as a user runs it), signals and all; the rows and the capture files
 * are counted once the restarted server has replayed the journal.
 */
describe('captures under a burst and across SIGTERM and a restart', () => {
  jest.setTimeout(420_000);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'captures-durable-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const env = () => ({
    PORT: '0',
    // This test's own PGlite database, even where DATABASE_URL names a server (CI).
    DATABASE_URL: '',
    RESULTS_DB_DIR: join(dir, 'db'),
    CAPTURE_DIR: join(dir, 'captures'),
    // A burst is held in memory longer than usual before it reaches the journal.
    RESULTS_FLUSH_MS: '250',
    SERVER_MAX_IN_FLIGHT: '1000',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });

  it('keeps a capture for every request whose rows were kept', async () => {
    const seed = loadRequest('seed-request');
    // Bodies that differ by one id, so each capture can be checked against what was sent.
    const bodyOf = (i: number) =>
      JSON.stringify({
        ...seed,
        budgets: seed.budgets.map((b) => ({ ...b, budget_id: `b-${i}` })),
      });
    const first = await startServer(env());
    // The loader has made and opened its PGlite (seconds, minutes on a crowded machine): a SIGTERM
    // while it is still making it is another test's business.
    await first.waitUntil((results) => results.state !== 'connecting', 180_000);
    const answered = new Map<string, string>(); // request id → body sent
    let failed = 0;
    let settled = 0;
    let sigtermMidBurst = false;
    let sigterm: Promise<number | null> | undefined;
    const send = async (i: number) => {
      try {
        const response = await fetch(`${first.url}/budget_expense_matcher`, {
          method: 'POST',
          body: bodyOf(i),
        });
        await response.text();
        if (response.status === 200) answered.set(String(i), bodyOf(i));
        else failed++;
      } catch {
        failed++; // refused or cut at SIGTERM: not answered, so nothing to count
      }
      // SIGTERM in the middle of the burst, with requests still in flight: after 2,000 of the
      // 3,000 have settled (counted answered or not: on a crowded machine the server may shed
      // some with 503, which must not keep the SIGTERM from coming mid-burst).
      settled++;
      if (settled === 2000 && !sigterm) {
        sigtermMidBurst = next < 3000; // requests not yet sent: the burst goes on
        sigterm = first.terminate();
      }
    };

    // 100 clients, each sending its next request as soon as the last is answered.
    let next = 0;
    await Promise.all(
      Array.from({ length: 500 }, async () => {
        while (next < 3000) await send(next++);
      }),
    );
    const exitCode = await (sigterm ?? first.terminate());
    const second = await startServer(env());
    await second.waitUntil((results) => results.state === 'ok' && results.backlog_rows === 0, 180_000);
    expect(await second.terminate()).toBe(0);

    const db = await openDatabase({ pgliteDir: join(dir, 'db') });
    const { rows } = await db.query<{ request_id: string; day: string; budget_id: string }>(
      `SELECT request_id, to_char(scored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, min(budget_id) AS budget_id
       FROM results WHERE role = 'live' GROUP BY 1, 2`,
    );
    await db.close();
    const kept = rows.filter((r) => existsSync(join(dir, 'captures', r.day, `${r.request_id}.json`)));
    const missing = rows.length - kept.length;
    // Each request's rows carry its budget id `b-<i>`: every answered request's rows were kept.
    const keptIds = new Set(rows.map((r) => r.budget_id.slice(2)));
    const answeredKept = [...answered.keys()].filter((i) => keptIds.has(i)).length;

    expect(exitCode).toBe(0);
    expect(sigtermMidBurst).toBe(true);
    expect(answered.size).toBeGreaterThan(0);
    expect(answered.size + failed).toBe(3000);
    expect(answeredKept).toBe(answered.size);
    expect(missing).toBe(0);
    expect(kept.length).toBe(rows.length);
    for (const r of kept.slice(0, 20)) {
      const document = JSON.parse(readFileSync(join(dir, 'captures', r.day, `${r.request_id}.json`), 'utf8'));
      expect(document).toEqual({
        request_id: r.request_id,
        captured_at: expect.stringMatching(new RegExp(`^${r.day}T`)),
        request: JSON.parse(bodyOf(Number(r.budget_id.slice(2)))),
      });
    }
  });
});

interface Server {
  readonly url: string;
  terminate(): Promise<number | null>;
  waitUntil(
    done: (results: { state: string; backlog_rows: number }) => boolean,
    timeoutMs: number,
  ): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'local/server.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}) before listening:\n${out}`)));
  });
  child.stdout?.resume();
  return {
    url,
    terminate: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    waitUntil: async (done, timeoutMs) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const health = (await (await fetch(`${url}/health`)).json()) as {
          results: { state: string; backlog_rows: number };
        };
        if (done(health.results)) return;
        if (Date.now() > until) throw new Error(`not loaded in time: ${JSON.stringify(health.results)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
  };
}
