import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  InvalidRequestContentException,
  InvokeCommand,
  type InvokeCommandInput,
  LambdaClient,
  RequestTooLargeException,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { readConfig } from '../../../lambda/config';
import { createPredictHandler, handler } from '../../../lambda/predict';
import { createLocalServer, type LambdaHandler } from '../../../local/create-server';
import type { InvokeApiConfig } from '../../../local/invoke';
import { AwaitingSink } from '../../helpers/awaiting-sink';
import { loadRequest } from '../../helpers/events';

const FUNCTION = 'budget-expense-matcher';

/** A local server on an ephemeral port and a JS SDK client pointed at it. */
async function startLocal(fn: LambdaHandler, invoke: Partial<InvokeApiConfig> = {}) {
  const server = createLocalServer(fn, { invoke: { echoLogs: false, ...invoke } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new LambdaClient({
    endpoint, // remove this line to call the deployed function
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    endpoint,
    client,
    invoke: (input: Partial<InvokeCommandInput> & { payload?: unknown }) => {
      const { payload, ...rest } = input;
      return client.send(
        new InvokeCommand({
          FunctionName: FUNCTION,
          ...(payload === undefined ? {} : { Payload: Buffer.from(JSON.stringify(payload)) }),
          ...rest,
        }),
      );
    },
    stop: async () => {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? new Uint8Array()).toString('utf8');
const json = (payload: Uint8Array | undefined) => JSON.parse(text(payload)) as unknown;
const decodeLog = (logResult: string | undefined) => Buffer.from(logResult ?? '', 'base64').toString('utf8');

describe('the local Invoke API called by the JS SDK, running the predict handler', () => {
  const sink = new AwaitingSink();
  const watched = createPredictHandler({
    config: readConfig(),
    sink,
    logger: new Logger({ serviceName: 'budget-expense-matcher' }),
  });
  let local: Awaited<ReturnType<typeof startLocal>>;

  beforeAll(async () => {
    local = await startLocal(watched);
  });
  afterAll(() => local.stop());

  it('returns the reply to the seed request with status 200, as the handler computes it', async () => {
    const request = loadRequest('seed-request');

    const result = await local.invoke({ InvocationType: 'RequestResponse', payload: request });

    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(result.ExecutedVersion).toBe('$LATEST');
    expect(json(result.Payload)).toEqual(await handler(request));
  });

  it('returns the structured error object for a payload that is not a matcher request', async () => {
    const result = await local.invoke({ payload: loadRequest('bad-neither-list') });

    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(json(result.Payload)).toEqual({
      error: expect.objectContaining({ code: 'not_a_matcher_request', field: 'budgets' }),
    });
  });

  it('rejects a payload that is not JSON with InvalidRequestContentException (400)', async () => {
    const sent = local.invoke({ Payload: Buffer.from('{"budgets": [') });

    await expect(sent).rejects.toBeInstanceOf(InvalidRequestContentException);
    await expect(sent).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });

  it('rejects a payload that is not valid UTF-8 instead of decoding it with replacement characters', async () => {
    // A JSON string holding the byte 0xFF: lossy decoding would read it as "\uFFFD" and score it.
    const sent = local.invoke({
      Payload: Buffer.concat([
        Buffer.from('{"budgets": [], "all_user_expense_lineitems": [], "x": "'),
        Buffer.from([0xff]),
        Buffer.from('"}'),
      ]),
    });

    await expect(sent).rejects.toBeInstanceOf(InvalidRequestContentException);
    await expect(sent).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
      message: expect.stringContaining('Invalid UTF-8'),
    });
  });

  it('rejects an unknown function with ResourceNotFoundException (404) and its message', async () => {
    const sent = local.invoke({ FunctionName: 'no-such-function', payload: {} });

    await expect(sent).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(sent).rejects.toMatchObject({
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers an Event invocation with 202 and no payload, and still runs it', async () => {
    const result = await local.invoke({ InvocationType: 'Event', payload: loadRequest('seed-request') });

    expect(result.StatusCode).toBe(202);
    expect(text(result.Payload)).toBe('');
    const requestId = result.$metadata.requestId ?? '';
    expect(await sink.rowsFor(requestId)).toEqual([
      expect.objectContaining({ request_id: requestId, budget_id: '309366', itemization_id: '4659496' }),
    ]);
  });

  it('answers a DryRun with 204 without invoking', async () => {
    const result = await local.invoke({ InvocationType: 'DryRun', payload: loadRequest('seed-request') });

    expect(result.StatusCode).toBe(204);
    expect(text(result.Payload)).toBe('');
  });

  it('returns the last 4 KB of the invocation log, base64, for LogType Tail', async () => {
    const result = await local.invoke({ LogType: 'Tail', payload: loadRequest('bad-neither-list') });

    const log = decodeLog(result.LogResult);
    const id = result.$metadata.requestId;
    expect(log.split('\n')).toEqual([
      `START RequestId: ${id} Version: $LATEST`,
      expect.stringMatching(
        /^\{"level":"INFO","message":"request rejected",.*"code":"not_a_matcher_request"/,
      ),
      `END RequestId: ${id}`,
      expect.stringMatching(new RegExp(`^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration`)),
      '',
    ]);
  });

  it('accepts the live alias and $LATEST, by name suffix, Qualifier or ARN', async () => {
    const request = loadRequest('seed-request');
    const arn = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`;

    const replies = await Promise.all([
      local.invoke({ FunctionName: `${FUNCTION}:live`, payload: request }),
      local.invoke({ Qualifier: 'live', payload: request }),
      local.invoke({ Qualifier: '$LATEST', payload: request }),
      local.invoke({ FunctionName: `${arn}:live`, payload: request }),
    ]);

    for (const reply of replies) {
      expect(reply.StatusCode).toBe(200);
      expect(json(reply.Payload)).toEqual(await handler(request));
    }
  });

  it('rejects an unknown qualifier with ResourceNotFoundException', async () => {
    await expect(local.invoke({ Qualifier: 'blue', payload: {} })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: expect.stringMatching(/function:budget-expense-matcher:blue$/),
    });
  });

  it('rejects a payload over 6 MB with RequestTooLargeException (413)', async () => {
    const sent = local.invoke({ Payload: Buffer.from(`"${'x'.repeat(6 * 1024 * 1024)}"`) });

    await expect(sent).rejects.toBeInstanceOf(RequestTooLargeException);
    await expect(sent).rejects.toMatchObject({ $metadata: { httpStatusCode: 413 } });
  });

  it('rejects an Event payload over 1 MB with RequestTooLargeException (413)', async () => {
    const sent = local.invoke({
      InvocationType: 'Event',
      Payload: Buffer.from(`"${'x'.repeat(1024 * 1024)}"`),
    });

    await expect(sent).rejects.toBeInstanceOf(RequestTooLargeException);
  });

  it('accepts a request that carries no signature at all', async () => {
    const response = await fetch(`${local.endpoint}/2015-03-31/functions/${FUNCTION}/invocations`, {
      method: 'POST',
      body: JSON.stringify(loadRequest('seed-request')),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(await handler(loadRequest('seed-request')));
  });

  it('still serves the HTTP routes on the same port', async () => {
    const response = await fetch(`${local.endpoint}/budget_expense_matcher`, {
      method: 'POST',
      body: JSON.stringify(loadRequest('seed-request')),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(await handler(loadRequest('seed-request')));
  });
});

describe('the local Invoke API with handlers that fail, time out or inspect their context', () => {
  it('answers a handler that throws with 200, FunctionError Unhandled and errorType/errorMessage only', async () => {
    const local = await startLocal(async () => {
      throw new TypeError('cannot read the model');
    });
    try {
      const result = await local.invoke({ LogType: 'Tail', payload: {} });

      expect(result.StatusCode).toBe(200);
      expect(result.FunctionError).toBe('Unhandled');
      expect(json(result.Payload)).toEqual({ errorType: 'TypeError', errorMessage: 'cannot read the model' });
      expect(decodeLog(result.LogResult)).toContain('\tERROR\tInvoke Error \t{"errorType":"TypeError"');
    } finally {
      await local.stop();
    }
  });

  it('answers an invocation that runs past the timeout as Lambda does', async () => {
    const local = await startLocal(() => new Promise(() => {}), { timeoutSeconds: 0.2 });
    try {
      const result = await local.invoke({ LogType: 'Tail', payload: {} });

      expect(result.StatusCode).toBe(200);
      expect(result.FunctionError).toBe('Unhandled');
      expect(json(result.Payload)).toEqual({
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${result.$metadata.requestId} Error: Task timed out after 0.20 seconds`,
      });
      expect(decodeLog(result.LogResult)).toMatch(
        /Task timed out after 0\.20 seconds\n.*\nREPORT .*Status: timeout/,
      );
    } finally {
      await local.stop();
    }
  });

  it('gives the handler a Lambda context for the invoked function, alias and timeout', async () => {
    const local = await startLocal(async (_event, context) => {
      const { getRemainingTimeInMillis, ...fields } = context as Context;
      return { ...fields, remaining: getRemainingTimeInMillis() };
    });
    try {
      const result = await local.invoke({
        FunctionName: `${FUNCTION}:live`,
        ClientContext: Buffer.from(JSON.stringify({ custom: { caller: 'expense-app' } })).toString('base64'),
        payload: {},
      });

      const context = json(result.Payload) as Record<string, unknown>;
      expect(context).toEqual(
        expect.objectContaining({
          awsRequestId: result.$metadata.requestId,
          functionName: FUNCTION,
          functionVersion: '$LATEST',
          invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${FUNCTION}:live`,
          memoryLimitInMB: '1024',
          logGroupName: `/aws/lambda/${FUNCTION}`,
          clientContext: { custom: { caller: 'expense-app' } },
        }),
      );
      expect(context.remaining).toBeGreaterThan(0);
      expect(context.remaining).toBeLessThanOrEqual(25_000);
    } finally {
      await local.stop();
    }
  });

  it('keeps the logs of concurrent invocations apart', async () => {
    const logger = new Logger({ serviceName: 'concurrency-probe' });
    let releaseFirst: () => void = () => {};
    const firstWaits = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const local = await startLocal(async (event) => {
      const { name } = event as { name: string };
      logger.info(`${name} begins`);
      if (name === 'first') await firstWaits;
      else releaseFirst();
      logger.info(`${name} ends`);
      return name;
    });
    try {
      const first = local.invoke({ LogType: 'Tail', payload: { name: 'first' } });
      const second = await local.invoke({ LogType: 'Tail', payload: { name: 'second' } });

      const firstLog = decodeLog((await first).LogResult);
      const secondLog = decodeLog(second.LogResult);
      expect(firstLog).toContain('"message":"first begins"');
      expect(firstLog).toContain('"message":"first ends"');
      expect(firstLog).not.toContain('second');
      expect(secondLog).toContain('"message":"second begins"');
      expect(secondLog).not.toContain('first');
    } finally {
      await local.stop();
    }
  });
});

describe('the local Invoke API with requests no SDK would send', () => {
  let local: Awaited<ReturnType<typeof startLocal>>;
  beforeAll(async () => {
    local = await startLocal(async (event) => ({ ran: event }));
  });
  afterAll(() => local.stop());

  const post = (path: string, init: RequestInit = {}) =>
    fetch(`${local.endpoint}${path}`, { method: 'POST', body: '{}', ...init });

  it('answers another Lambda operation with UnknownOperationException in the SDK error shape', async () => {
    const response = await fetch(`${local.endpoint}/2015-03-31/functions/${FUNCTION}`);

    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toEqual({ Type: 'User', message: expect.stringContaining('only Invoke') });
  });

  it('rejects an invocation type Lambda does not have, naming it', async () => {
    const response = await post(`/2015-03-31/functions/${FUNCTION}/invocations`, {
      headers: { 'X-Amz-Invocation-Type': 'Later' },
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    expect((await response.json()) as { message: string }).toEqual(
      expect.objectContaining({ message: expect.stringContaining("Value 'Later' at 'invocationType'") }),
    );
  });

  it('rejects a client context that is not base64 JSON', async () => {
    const response = await post(`/2015-03-31/functions/${FUNCTION}/invocations`, {
      headers: { 'X-Amz-Client-Context': 'not json' },
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
  });

  it('reads an empty payload as {} and a URL-encoded ARN as the function', async () => {
    const arn = encodeURIComponent(`arn:aws:lambda:us-east-1:000000000000:function:${FUNCTION}:live`);

    const response = await post(`/2015-03-31/functions/${arn}/invocations`, { body: '' });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ran: {} });
  });
});
