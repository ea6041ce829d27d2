import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MatcherClient } from '../../../clients/typescript/src';
import { runScore } from '../../../scripts/score/run-score';
import {
  type CountingServer,
  makeRequest,
  predictHandler,
  startCounting,
  throttle,
} from '../../helpers/requests';
import { useScratch } from '../../helpers/scratch';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').slice(0, -1);

describe('runScore', () => {
  const handler = predictHandler();
  const work = useScratch().dir('score');
  const requests = Array.from({ length: 40 }, (_, tag) =>
    makeRequest({ budgets: 2, items: 5 + (tag % 7), tag }),
  );
  const input = [
    ...requests.slice(0, 10).map((r) => JSON.stringify(r)),
    '{"budgets": [', // line 11: not JSON
    '{"budgets": []}', // line 12: a matcher request without its line items
    '', // line 13: empty
    ...requests.slice(10).map((r) => JSON.stringify(r)),
  ];
  const inputPath = join(work, 'requests.jsonl');
  writeFileSync(inputPath, `${input.join('\n')}\n`);
  let server: CountingServer;

  beforeAll(async () => {
    server = await startCounting(handler);
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers every line in order, bad lines with an error object naming the line', async () => {
    const out = join(work, 'all.jsonl');
    const client = new MatcherClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials,
      concurrency: 3,
    });

    const summary = await runScore({ input: inputPath, output: out, client, window: 6 });
    client.destroy();

    const written = lines(out);
    expect(written).toHaveLength(input.length);
    const expected = await Promise.all(
      input.map(async (text) => {
        try {
          return await handler(JSON.parse(text));
        } catch {
          return undefined;
        }
      }),
    );
    written.forEach((line, i) => {
      if (i >= 10 && i <= 12) return;
      expect(JSON.parse(line)).toEqual(expected[i]);
    });
    expect(JSON.parse(written[10] as string)).toEqual({
      error: { code: 'invalid_json', message: expect.stringContaining('line 11 is not JSON') },
      line: 11,
    });
    expect(JSON.parse(written[11] as string)).toEqual({
      error: expect.objectContaining({ code: 'missing_field', field: 'all_user_expense_lineitems' }),
      line: 12,
    });
    expect(JSON.parse(written[12] as string)).toMatchObject({ error: { code: 'invalid_json' }, line: 13 });
    expect(summary).toMatchObject({ done: 43, total: 43, answered: 43, failedLines: 3, resumedAfter: 0 });
    expect(summary.pairs).toBe(
      requests.reduce((n, r) => n + r.budgets.length * r.all_user_expense_lineitems.length, 0),
    );
    expect(summary.stopped).toBeUndefined();
  });

  it('stops at a call it cannot make, keeps the lines before it, and a re-run completes without repeating any', async () => {
    const out = join(work, 'resumed.jsonl');
    // The service throttles from the 15th call on, past the client's single attempt.
    const flaky = await startCounting(handler, { intercept: (req, res, n) => n >= 14 && throttle(req, res) });
    const failing = new MatcherClient({
      endpoint: flaky.url,
      region: 'us-east-1',
      credentials,
      concurrency: 3,
      maxAttempts: 1,
    });
    const client = new MatcherClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials,
      concurrency: 3,
    });

    const first = await runScore({ input: inputPath, output: out, client: failing, window: 6 });
    const kept = lines(out);
    const second = await runScore({ input: inputPath, output: out, client, window: 6 });
    failing.destroy();
    client.destroy();
    await flaky.close();

    expect(first.stopped).toMatch(/TooManyRequestsException/);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(input.length);
    expect(second).toMatchObject({ resumedAfter: kept.length, answered: input.length - kept.length });
    expect(second.stopped).toBeUndefined();
    expect(lines(out)).toEqual(lines(join(work, 'all.jsonl')));
  });

  it('drops a last line cut short before resuming', async () => {
    const out = join(work, 'cut.jsonl');
    const complete = lines(join(work, 'all.jsonl'));
    writeFileSync(out, `${complete.slice(0, 4).join('\n')}\n${(complete[4] as string).slice(0, 30)}`);
    const client = new MatcherClient({ endpoint: server.url, region: 'us-east-1', credentials });

    const summary = await runScore({ input: inputPath, output: out, client });
    client.destroy();

    expect(summary.resumedAfter).toBe(4);
    expect(lines(out)).toEqual(complete);
  });
});
