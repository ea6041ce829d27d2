import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  type CountingServer,
  makeRequest,
  predictHandler,
  RAISED_ENV,
  startCounting,
  throttle,
} from '../../helpers/requests';
import { useScratch } from '../../helpers/scratch';

const scratch = useScratch();

// Debian's python3-boto3 (`.ci/run` installs it); /usr/bin/python3, not whichever python3 is first on PATH.
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'score_with_boto3.py');

async function invokeOnce(endpoint: string, request: unknown): Promise<unknown> {
  const lambda = new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: 'budget-expense-matcher',
        Payload: Buffer.from(JSON.stringify(request)),
      }),
    );
    return JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8'));
  } finally {
    lambda.destroy();
  }
}

type Outcome = {
  ok?: unknown;
  error?: string;
  code?: string;
  field?: string;
  status?: number;
  function_error?: string;
};

describe('clients/python/matcher_client.py with boto3 against the local Invoke API', () => {
  const work = scratch.dir('matcher-py');
  // About 15 MB of JSON: 3 budgets (one without an id) × 24,000 line items (some without an id).
  const large = makeRequest({ budgets: 3, items: 24_000, memoBytes: 330, badEvery: 1000 });
  delete (large.budgets[1] as { budget_id?: string }).budget_id;
  // Small, but split by budgets and items under the tight limits the script sets.
  const small = makeRequest({ budgets: 30, items: 25, badEvery: 6 });
  const handler = predictHandler();
  let servers: CountingServer[];
  let deployed: CountingServer;
  let throttling: CountingServer;
  let raised: CountingServer;
  let cases: Record<string, Outcome & Record<string, unknown>>;

  beforeAll(async () => {
    writeFileSync(join(work, 'large.json'), JSON.stringify(large));
    writeFileSync(join(work, 'small.json'), JSON.stringify(small));
    servers = await Promise.all([
      startCounting(handler, { holdMs: 50 }),
      startCounting(handler, { intercept: (req, res, n) => n === 0 && throttle(req, res) }),
      startCounting(handler, { intercept: throttle }),
      startCounting(async () => {
        throw new TypeError('cannot read the model');
      }),
      startCounting(predictHandler(RAISED_ENV), { maxPayloadBytes: 64 * 1024 * 1024 }),
    ]);
    [deployed, throttling, , , raised] = servers as [
      CountingServer,
      CountingServer,
      CountingServer,
      CountingServer,
      CountingServer,
    ];
    const { stdout } = await promisify(execFile)(
      PYTHON,
      [SCRIPT, ...servers.slice(0, 4).map((s) => s.url), work],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    cases = JSON.parse(stdout);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('splits a 15 MB request and merges the reply one call gives, in order, two calls in flight at most', async () => {
    // Byte for byte equal to one call here because the generated line items repeat with a short
    // period: every piece holds an item like each budget's best, so the model's reciprocal stage
    // (which compares a budget with the line items of its piece only) lowers the same pairs as in
    // one call. With real data a split request's scores can differ (docs/contract.md).
    const reply = JSON.parse(readFileSync(join(work, 'large.reply.json'), 'utf8'));

    expect(reply).toEqual(await invokeOnce(raised.url, large));
    expect(cases.large?.calls).toBeGreaterThan(2);
    // The large request's calls and the small ones after them, counted by the server.
    expect(deployed.counts.maxInFlight).toBe(2);
  });

  it('splits budgets too under tight limits, and still merges the entries one call answers, in order', async () => {
    const reply = JSON.parse(readFileSync(join(work, 'small.reply.json'), 'utf8'));
    // Each call compares an item with its own group of budgets only (the evidence margin,
    // docs/models.md), so a budget-split request's scores may differ from one call's; every
    // entry is there once, in the order one call answers.
    const entries = (r: Array<Record<string, unknown>>) => r.map(({ score, match, ...rest }) => rest);

    const one = (await invokeOnce(raised.url, small)) as Array<Record<string, unknown>>;

    expect(entries(reply)).toEqual(entries(one));
    for (const e of reply) if (e.score !== null) expect(e.score).toBeGreaterThanOrEqual(0);
    expect(cases.tight?.calls).toBeGreaterThan(4);
  });

  it('retries a throttled first attempt (429 TooManyRequestsException) and succeeds', async () => {
    expect(cases.throttled).toEqual({ ok: true });
    expect(throttling.counts.requests).toBeGreaterThan(1);
    expect(JSON.parse(readFileSync(join(work, 'throttled.reply.json'), 'utf8'))).toEqual(
      await invokeOnce(raised.url, small),
    );
  });

  it('raises TooManyRequestsException when throttling outlasts the attempts', () => {
    expect(cases.always_throttled).toMatchObject({
      error: 'MatcherTransportError',
      code: 'TooManyRequestsException',
      status: 429,
    });
    expect(servers[2]?.counts.requests).toBe(2);
  });

  it("raises the service's whole-request error with its code and field", () => {
    expect(cases.service_error).toMatchObject({
      error: 'MatcherServiceError',
      code: 'missing_field',
      field: 'all_user_expense_lineitems',
    });
  });

  it('raises a failed function as MatcherFunctionError with its errorType', () => {
    expect(cases.function_error).toMatchObject({
      error: 'MatcherFunctionError',
      code: 'TypeError',
      function_error: 'Unhandled',
    });
  });
});
