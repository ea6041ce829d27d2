import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import { readConfig } from '../../../lambda/config';
import { createPredictHandler, handler as deployedHandler } from '../../../lambda/predict';
import { createLocalServer } from '../../../local/create-server';
import { AwaitingSink } from '../../helpers/awaiting-sink';
import { loadRequest } from '../../helpers/events';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// Debian's python3-boto3 (`.ci/run` installs it); /usr/bin/python3, not whichever python3 is first on PATH.
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'boto3_invoke.py');
const EVENTS = join(__dirname, '..', '..', '..', 'events');

interface Invoked {
  status_code: number;
  function_error: string | null;
  executed_version: string | null;
  request_id: string;
  payload: unknown;
  log?: string;
}
interface Failed {
  error_code: string;
  error_message: string;
  http_status: number;
}
type Cases = Record<
  | 'seed'
  | 'trip_live'
  | 'bad_payload'
  | 'not_json'
  | 'unknown_function'
  | 'unknown_qualifier'
  | 'event'
  | 'dry_run'
  | 'tail'
  | 'unsigned'
  | 'too_large'
  | 'unhandled'
  | 'timeout',
  Invoked & Failed
>;

describe('the local Invoke API called by boto3', () => {
  const sink = new AwaitingSink();
  // The predict handler as deployed, with a sink the test can watch for the Event invocation.
  const handler = createPredictHandler({
    config: readConfig(),
    sink,
    logger: new Logger({ serviceName: 'budget-expense-matcher' }),
  });
  const server = createLocalServer(handler, { invoke: { echoLogs: false } });
  // A handler that fails: it throws, or with {"hang": true} runs past its (short) timeout.
  const failing = createLocalServer(
    async (event) => {
      if ((event as { hang?: boolean }).hang) await new Promise(() => {});
      throw new TypeError('cannot read the model');
    },
    { invoke: { echoLogs: false, timeoutSeconds: 0.2 } },
  );
  let cases: Cases;

  beforeAll(async () => {
    const [endpoint, failingEndpoint] = await Promise.all([listen(server), listen(failing)]);
    const { stdout } = await promisify(execFile)(
      PYTHON,
      [SCRIPT, endpoint, 'budget-expense-matcher', EVENTS, failingEndpoint],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    cases = JSON.parse(stdout) as Cases;
  });
  afterAll(async () => {
    await Promise.all([server, failing].map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('returns the reply to the seed request with status 200, as the handler computes it', async () => {
    const { seed } = cases;

    expect(seed.status_code).toBe(200);
    expect(seed.function_error).toBeNull();
    expect(seed.executed_version).toBe('$LATEST');
    expect(seed.payload).toEqual(await deployedHandler(loadRequest('seed-request')));
  });

  it('invokes through the live alias', () => {
    const { trip_live } = cases;

    expect(trip_live.status_code).toBe(200);
    expect(trip_live.payload).toEqual(
      expect.arrayContaining([expect.objectContaining({ budget_id: '309366', score: expect.any(Number) })]),
    );
  });

  it('returns the structured error object for a payload that is not a matcher request', () => {
    const { bad_payload } = cases;

    expect(bad_payload.status_code).toBe(200);
    expect(bad_payload.function_error).toBeNull();
    expect(bad_payload.payload).toEqual({
      error: expect.objectContaining({ code: 'not_a_matcher_request' }),
    });
  });

  it('raises InvalidRequestContentException (400) for a payload that is not JSON', () => {
    expect(cases.not_json).toEqual({
      error_code: 'InvalidRequestContentException',
      error_message: expect.stringContaining('Could not parse request body into json'),
      http_status: 400,
    });
  });

  it('raises ResourceNotFoundException (404) for an unknown function or qualifier', () => {
    expect(cases.unknown_function).toEqual({
      error_code: 'ResourceNotFoundException',
      error_message: expect.stringContaining('function:no-such-function'),
      http_status: 404,
    });
    expect(cases.unknown_qualifier).toEqual(
      expect.objectContaining({ error_code: 'ResourceNotFoundException', http_status: 404 }),
    );
  });

  it('answers an Event invocation with 202 and no payload, and still runs it', async () => {
    const { event } = cases;

    expect(event.status_code).toBe(202);
    expect(event.payload).toBeNull();
    expect(await sink.rowsFor(event.request_id)).toEqual([
      expect.objectContaining({ budget_id: '309366', itemization_id: '4659496', role: 'live' }),
    ]);
  });

  it('answers a DryRun with 204', () => {
    expect(cases.dry_run.status_code).toBe(204);
  });

  it('returns the invocation log for LogType Tail', () => {
    const { tail } = cases;

    expect(tail.log).toMatch(new RegExp(`^START RequestId: ${tail.request_id} Version: \\$LATEST\\n`));
    expect(tail.log).toContain('"message":"request rejected"');
    expect(tail.log).toContain(`"request_id":"${tail.request_id}"`);
    expect(tail.log).toContain(`END RequestId: ${tail.request_id}\n`);
    expect(tail.log).toMatch(
      /REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB/,
    );
  });

  it('accepts a request that is not signed at all', () => {
    expect(cases.unsigned.status_code).toBe(200);
    expect(cases.unsigned.payload).toEqual(cases.seed.payload);
  });

  it('raises RequestTooLargeException (413) for a payload over 6 MB', () => {
    expect(cases.too_large).toEqual({
      error_code: 'RequestTooLargeException',
      error_message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      http_status: 413,
    });
  });

  it('reports a handler that throws as FunctionError Unhandled, with errorType and errorMessage', () => {
    const { unhandled } = cases;

    expect(unhandled.status_code).toBe(200);
    expect(unhandled.function_error).toBe('Unhandled');
    expect(unhandled.payload).toEqual({ errorType: 'TypeError', errorMessage: 'cannot read the model' });
    expect(unhandled.log).toContain('\tERROR\tInvoke Error \t{"errorType":"TypeError"');
  });

  it('reports an invocation past its timeout as Lambda does', () => {
    const { timeout } = cases;

    expect(timeout.status_code).toBe(200);
    expect(timeout.function_error).toBe('Unhandled');
    expect(timeout.payload).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${timeout.request_id} Error: Task timed out after 0.20 seconds`,
    });
  });
});
