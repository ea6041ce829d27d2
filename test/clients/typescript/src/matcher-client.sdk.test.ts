import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  MatcherClient,
  MatcherFunctionError,
  MatcherServiceError,
  MatcherTransportError,
  type ReplyEntry,
} from '../../../../clients/typescript/src';
import {
  type CountingServer,
  makeRequest,
  predictHandler,
  RAISED_ENV,
  startCounting,
  throttle,
} from '../../../helpers/requests';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const RAISED_PAYLOAD = 64 * 1024 * 1024;

/** One call, with the JS SDK, to the server whose limits are raised: the reference reply. */
async function invokeOnce(endpoint: string, request: unknown): Promise<ReplyEntry[]> {
  const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: 'budget-expense-matcher',
        Payload: Buffer.from(JSON.stringify(request)),
      }),
    );
    return JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as ReplyEntry[];
  } finally {
    lambda.destroy();
  }
}

describe('MatcherClient through the JS SDK against the local Invoke API', () => {
  // 3 budgets (one without an id) × 24,000 line items (every 1,000th without an id), with a memo
  // field: about 15 MB of JSON, 48,000 pairs.
  const request = makeRequest({ budgets: 3, items: 24_000, memoBytes: 330, badEvery: 1000 });
  delete (request.budgets[1] as { budget_id?: string }).budget_id;
  const limited = predictHandler();
  let deployed: CountingServer; // the deployed limits: 6 MB payloads, 50,000 entries
  let raised: CountingServer; // the same handler with its limits raised, for one-call references
  let reference: ReplyEntry[];

  beforeAll(async () => {
    [deployed, raised] = await Promise.all([
      startCounting(limited),
      startCounting(predictHandler(RAISED_ENV), { maxPayloadBytes: RAISED_PAYLOAD }),
    ]);
    reference = await invokeOnce(raised.url, request);
  });
  afterAll(async () => {
    await Promise.all([deployed.close(), raised.close()]);
  });

  it('splits a 15 MB request the service refuses and merges the reply one call gives, in order', async () => {
    // Byte for byte equal to one call here because the generated line items repeat with a short
    // period: every piece holds an item like each budget's best, so the model's reciprocal stage
    // (which compares a budget with the line items of its piece only) lowers the same pairs as in
    // one call. With real data a split request's scores can differ (docs/contract.md).
    const client = new MatcherClient({
      endpoint: deployed.url,
      region: 'us-east-1',
      credentials,
      concurrency: 3,
    });

    const { reply, stats } = await client.scoreWithStats(request);
    client.destroy();

    expect(Buffer.byteLength(JSON.stringify(request))).toBeGreaterThan(15_000_000);
    expect(reference).toHaveLength(2 * 24_000 - 48 + 1 + 24);
    expect(stats.calls).toBeGreaterThan(2);
    expect(reply).toEqual(reference);
    expect(JSON.stringify(reply)).toBe(JSON.stringify(reference));
  });

  it('refuses the same request in one call at the deployed limits (why the client splits)', async () => {
    await expect(invokeOnce(deployed.url, request)).rejects.toMatchObject({
      name: 'RequestTooLargeException',
    });
  });

  it('never has more calls in flight than its concurrency, counted by the server', async () => {
    const counted = await startCounting(limited, { holdMs: 50 });
    const client = new MatcherClient({
      endpoint: counted.url,
      region: 'us-east-1',
      credentials,
      concurrency: 2,
    });

    // Two requests at once on one client: the bound holds across them.
    const replies = await Promise.all([
      client.score(request),
      client.score(makeRequest({ budgets: 2, items: 30_000, tag: 1 })),
    ]);
    client.destroy();
    await counted.close();

    expect(replies[0]).toEqual(reference);
    expect(counted.counts.requests).toBeGreaterThan(4);
    expect(counted.counts.maxInFlight).toBe(2);
  });

  it('retries a throttled first attempt (429 TooManyRequestsException) and succeeds', async () => {
    const small = makeRequest({ budgets: 2, items: 50, badEvery: 7 });
    const throttling = await startCounting(limited, {
      intercept: (req, res, n) => n === 0 && throttle(req, res),
    });
    const client = new MatcherClient({ endpoint: throttling.url, region: 'us-east-1', credentials });

    const reply = await client.score(small);
    client.destroy();
    await throttling.close();

    expect(throttling.counts.requests).toBe(2);
    expect(reply).toEqual(await invokeOnce(raised.url, small));
  });

  it('gives up after its attempts with TooManyRequestsException when throttling goes on', async () => {
    const throttling = await startCounting(limited, { intercept: throttle });
    const client = new MatcherClient({
      endpoint: throttling.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 2,
    });

    const failure = client.score(makeRequest({ budgets: 1, items: 1 }));

    await expect(failure).rejects.toBeInstanceOf(MatcherTransportError);
    await expect(failure).rejects.toMatchObject({ code: 'TooManyRequestsException', status: 429 });
    client.destroy();
    await throttling.close();
    expect(throttling.counts.requests).toBe(2);
  });

  it("raises the service's whole-request error as MatcherServiceError with its code", async () => {
    const client = new MatcherClient({ endpoint: deployed.url, region: 'us-east-1', credentials });

    const failure = client.score({ budgets: [] });

    await expect(failure).rejects.toBeInstanceOf(MatcherServiceError);
    await expect(failure).rejects.toMatchObject({
      code: 'missing_field',
      field: 'all_user_expense_lineitems',
    });
    client.destroy();
  });

  it('raises a function that fails as MatcherFunctionError with its errorType', async () => {
    const failing = await startCounting(async () => {
      throw new TypeError('cannot read the model');
    });
    const client = new MatcherClient({ endpoint: failing.url, region: 'us-east-1', credentials });

    const failure = client.score(makeRequest({ budgets: 1, items: 1 }));

    await expect(failure).rejects.toBeInstanceOf(MatcherFunctionError);
    await expect(failure).rejects.toMatchObject({
      code: 'TypeError',
      message: 'cannot read the model',
      functionError: 'Unhandled',
    });
    client.destroy();
    await failing.close();
  });

  it('calls the HTTP route (`url`) with the same split and merge', async () => {
    const client = new MatcherClient({ url: deployed.url, concurrency: 3 });

    const reply = await client.score(request);

    expect(reply).toEqual(reference);
  });
});
