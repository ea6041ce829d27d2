import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { InvokeCommand, LambdaClient, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { createLocalServer } from '../../../local/create-server';
import { ConcurrencyGate, ThrottledError } from '../../../local/invoke';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const client = (endpoint: string, maxAttempts: number) =>
  new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts,
  });
const invoke = (c: LambdaClient) =>
  c.send(new InvokeCommand({ FunctionName: 'budget-expense-matcher', Payload: Buffer.from('{"n":1}') }));

describe('ConcurrencyGate', () => {
  it('lets `limit` invocations run at once and throttles the next until one ends', () => {
    const gate = new ConcurrencyGate({ limit: 2 });

    const first = gate.enter();
    gate.enter();

    expect(() => gate.enter()).toThrow(ThrottledError);
    first();
    first(); // a second release gives nothing back twice
    expect(gate.inFlight).toBe(1);
    expect(() => gate.enter()).not.toThrow();
    expect(() => gate.enter()).toThrow(ThrottledError);
  });

  it.each([
    [0.5, [false, true, false, true, false, true]],
    [0.25, [false, false, false, true, false, false, false, true]],
    [1, [true, true, true]],
    [0, [false, false, false]],
  ])('throttles a share of %s of the calls, evenly spread', (throttleShare, expected) => {
    const gate = new ConcurrencyGate({ limit: 100, throttleShare });

    const throttled = expected.map(() => {
      try {
        gate.enter()();
        return false;
      } catch (error) {
        if (error instanceof ThrottledError) return true;
        throw error;
      }
    });

    expect(throttled).toEqual(expected);
  });

  it('refuses a limit under 1 and a share outside 0..1', () => {
    expect(() => new ConcurrencyGate({ limit: 0 })).toThrow('concurrency limit 0');
    expect(() => new ConcurrencyGate({ limit: 1, throttleShare: 1.5 })).toThrow('throttle share 1.5');
  });
});

describe('throttling on the local Invoke API (FUNCTION_CONCURRENCY, INVOKE_THROTTLE_SHARE)', () => {
  const handler = async (event: unknown) => {
    if ((event as { hold?: number }).hold) await new Promise((r) => setTimeout(r, 300));
    return { ok: true };
  };
  const always = createLocalServer(handler, { invoke: { echoLogs: false, throttleShare: 1 } });
  const half = createLocalServer(handler, { invoke: { echoLogs: false, throttleShare: 0.5 } });
  const single = createLocalServer(handler, { invoke: { echoLogs: false, concurrencyLimit: 1 } });
  let urls: { always: string; half: string; single: string };

  beforeAll(async () => {
    const [a, h, s] = await Promise.all([listen(always), listen(half), listen(single)]);
    urls = { always: a, half: h, single: s };
  });
  afterAll(async () => {
    await Promise.all([always, half, single].map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it("answers 429 TooManyRequestsException in Lambda's shape, which the JS SDK raises as its class", async () => {
    const sent = invoke(client(urls.always, 1));

    await expect(sent).rejects.toBeInstanceOf(TooManyRequestsException);
    await expect(sent).rejects.toMatchObject({
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      Type: 'User',
      message: 'Rate Exceeded.',
      $metadata: { httpStatusCode: 429 },
    });
  });

  it('is retried by the JS SDK: with half the calls throttled, a call succeeds on its second attempt', async () => {
    const c = client(urls.half, 3);

    const replies = await Promise.all([invoke(c), invoke(c)].map((p) => p.then((r) => r.$metadata.attempts)));

    expect(replies.sort()).toEqual([1, 2]);
  });

  it('throttles a call past the concurrency limit while another runs', async () => {
    const c = client(urls.single, 1);
    const holding = c.send(
      new InvokeCommand({ FunctionName: 'budget-expense-matcher', Payload: Buffer.from('{"hold":1}') }),
    );
    await new Promise((r) => setTimeout(r, 100));

    await expect(invoke(c)).rejects.toBeInstanceOf(TooManyRequestsException);
    expect((await holding).StatusCode).toBe(200);
  });

  it('is raised by boto3 as TooManyRequestsException, and retried in its standard mode', async () => {
    const script = `
import json, sys, boto3
from botocore.config import Config
from botocore.exceptions import ClientError
def client(url, attempts):
    return boto3.client("lambda", endpoint_url=url, region_name="us-east-1", aws_access_key_id="local",
        aws_secret_access_key="local", config=Config(retries={"max_attempts": attempts, "mode": "standard"}))
out = {}
try:
    client(sys.argv[1], 1).invoke(FunctionName="budget-expense-matcher", Payload=b"{}")
except ClientError as e:
    out["error"] = {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"], "reason": e.response.get("Reason")}
r = client(sys.argv[2], 3).invoke(FunctionName="budget-expense-matcher", Payload=b"{}")
out["retried"] = {"status": r["StatusCode"], "retries": r["ResponseMetadata"]["RetryAttempts"]}
print(json.dumps(out))
`;
    const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', script, urls.always, urls.half]);

    expect(JSON.parse(stdout)).toEqual({
      error: {
        code: 'TooManyRequestsException',
        status: 429,
        reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      },
      retried: { status: 200, retries: expect.any(Number) },
    });
  });
});
