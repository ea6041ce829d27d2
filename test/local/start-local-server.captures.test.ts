import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openResultsDatabase } from '../../lambda/db';
import { pairErrors } from '../../lambda/monitoring';
import { runCapturesCli } from '../../scripts/captures-cli/run-captures-cli';
import { loadRequest } from '../helpers/events';
import { useLocalServer } from '../helpers/local-server';

describe('captures on npm start: written after the reply, loaded for pair_errors, deleted per user', () => {
  // The loader starts with the first rows (making its PGlite then): minutes on a crowded machine.
  jest.setTimeout(240_000);
  const local = useLocalServer({ RESULTS_FLUSH_MS: '20' });
  const io = (lines: string[]) => ({
    out: (l: string) => lines.push(l),
    err: (l: string) => lines.push(l),
    openDatabase: () => openResultsDatabase({ kind: 'pglite', dir: local.resultsDir }, { migrate: false }),
    dir: local.captureDir,
  });

  it('lends the bodies it reads to the capture sink (capture on)', () => {
    expect(local.running.results.receivedBodies).toBeDefined();
  });

  it('keeps every recorded request under its day and request id, the one its results rows carry', async () => {
    const request = loadRequest('seed-request');
    const replies = await Promise.all(
      [0, 1, 2].map(async () => {
        const response = await fetch(`${local.running.url}/budget_expense_matcher`, {
          method: 'POST',
          body: JSON.stringify(request),
        });
        return response.json();
      }),
    );
    // Every row in the database (the loader process writes the journal's rows), so the backlog is 0.
    expect(await local.running.results.waitUntilLoaded(200_000)).toBe(true);
    await local.running.capture.flush();

    const db = await openResultsDatabase({ kind: 'pglite', dir: local.resultsDir }, { migrate: false });
    const { rows } = await db.query<{ request_id: string; day: string }>(
      `SELECT DISTINCT request_id, to_char(scored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM results`,
    );
    await db.close();
    expect(replies).toHaveLength(3);
    expect(rows).toHaveLength(3);
    // No capture lost that its results row kept: one file per recorded request, at its day.
    for (const { request_id, day } of rows) {
      const file = join(local.captureDir, day, `${request_id}.json`);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
        request_id,
        captured_at: expect.stringMatching(new RegExp(`^${day}T`)),
        request,
      });
    }
  });

  it('loads the captures into SQL, where a false positive shows its budget and item, then deletes one user’s', async () => {
    const request = loadRequest('seed-request');
    const budget = request.budgets[0] as Record<string, unknown>;
    const item = request.all_user_expense_lineitems[0] as Record<string, unknown>;
    // Label the seed pair the opposite of what the model said, so it is an error.
    const db = await openResultsDatabase({ kind: 'pglite', dir: local.resultsDir }, { migrate: false });
    await db.query(
      `INSERT INTO labels (budget_id, itemization_id, is_match, source)
       SELECT budget_id, itemization_id, NOT decision, 'test' FROM results LIMIT 1`,
    );
    await db.close();
    const lines: string[] = [];

    expect(await runCapturesCli(['load'], io(lines))).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^captures: 3 read from .*, 3 loaded/)]);
    const check = await openResultsDatabase({ kind: 'pglite', dir: local.resultsDir }, { migrate: false });
    const [error] = await pairErrors(check);
    await check.close();
    expect(error).toMatchObject({
      captured: true,
      budget: { type: budget.budget_type_budget, travelVendor: budget.travel_vendor_receipts },
      item: { vendor: item.vendor_name_expense, amount: item.expensed_amount_itemization },
    });

    expect(await runCapturesCli(['delete', '--budget-id', String(budget.budget_id)], io(lines))).toBe(0);
    expect(lines.at(-1)).toMatch(/deleted 3 file\(s\) from .* and 3 row\(s\) from the captures table/);
    const days = readdirSync(local.captureDir);
    expect(days.flatMap((d) => readdirSync(join(local.captureDir, d)))).toEqual([]);
    expect(await runCapturesCli(['delete'], io(lines))).toBe(2);
  });
  it('keeps a non-ASCII body with raw line breaks as sent, and an invoke payload, one file each', async () => {
    const http = { ...loadRequest('seed-request'), note: 'Café Zürich — 東京 🍣' };
    const text = `${JSON.stringify(http, null, 2).replace(/\n/g, '\r\n')}\r\n`;
    const payload = { ...loadRequest('seed-request'), note: 'naïve ß' };
    const { url, functionName } = local.running;

    const replies = await Promise.all([
      fetch(`${url}/budget_expense_matcher`, { method: 'POST', body: text }),
      fetch(`${url}/2015-03-31/functions/${functionName}/invocations`, {
        method: 'POST',
        body: JSON.stringify(payload),
      }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    expect(await local.running.results.waitUntilLoaded(200_000)).toBe(true);
    await local.running.capture.flush();

    // The earlier test deleted every capture: these two are the folder's only files.
    const files = readdirSync(local.captureDir).flatMap((day) =>
      readdirSync(join(local.captureDir, day)).map((name) => join(local.captureDir, day, name)),
    );
    const requests = files.map((file) => JSON.parse(readFileSync(file, 'utf8')).request);
    expect(requests).toHaveLength(2);
    expect(requests).toEqual(expect.arrayContaining([http, payload]));
  });
});

describe('captures off on npm start', () => {
  jest.setTimeout(240_000);
  const local = useLocalServer({ CAPTURE: 'off' });

  it('lends no body: nothing reads one', () => {
    expect(local.running.results.receivedBodies).toBeUndefined();
  });
});
