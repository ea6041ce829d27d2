import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InvokeCommand, type InvokeCommandInput, LambdaClient } from '@aws-sdk/client-lambda';
import { resultsDatabaseSource } from '../../../lambda/config';
import { localSocketPath, openResultsDatabase } from '../../../lambda/db';
import { createLocalServer } from '../../../local/create-server';
import {
  type RunningLambdaServer,
  startLambdaServer,
} from '../../../local/lambda-runtime/start-lambda-server';
import { type RunningLocalServer, startLocalServer } from '../../../local/start-local-server';
import { buildArtifacts } from '../../../scripts/build-artifacts';
import { findMismatch } from '../../../scripts/reply-mismatch';
import { EVENT_NAMES, loadEvent } from '../../helpers/events';
import { makeRequest } from '../../helpers/requests';
import { useScratch } from '../../helpers/scratch';

const scratch = useScratch();

// Both sides score as deployed: the dense pass, TF.js not loaded (health says so).
const DEPLOYED = { backend: null, engine: 'dense' } as const;

const FUNCTION = 'budget-expense-matcher';
const EVENTS_DIR = join(__dirname, '..', '..', '..', 'events');
// Headers that differ between any two replies (when, how the connection is kept).
const VOLATILE_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'x-amzn-requestid',
]);

/** Environments for the two servers: each its own PGlite database, no shared DATABASE_URL. */
function serverEnv(dir: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, PORT: '0', RESULTS_DB_DIR: dir, LAMBDA_BATCH_WINDOW_MS: '50' };
}

interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

async function http(url: string, init: RequestInit = {}): Promise<HttpReply> {
  const response = await fetch(url, init);
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!VOLATILE_HEADERS.has(name)) headers[name] = value;
  });
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // kept as text
  }
  return { status: response.status, headers, body };
}

/** What an SDK call came to, with what differs between any two calls (ids, timings) left out. */
async function sdkOutcome(client: LambdaClient, input: Partial<InvokeCommandInput>) {
  try {
    const r = await client.send(new InvokeCommand({ FunctionName: FUNCTION, ...input }));
    const text = Buffer.from(r.Payload ?? new Uint8Array()).toString('utf8');
    const log = Buffer.from(r.LogResult ?? '', 'base64').toString('utf8');
    return {
      status: r.StatusCode,
      functionError: r.FunctionError,
      executedVersion: r.ExecutedVersion,
      payload: text === '' ? undefined : (JSON.parse(text) as unknown),
      // The log's frame (the lines between are the function's own: the deployed bundle's metrics too).
      log: log === '' ? undefined : log.match(/^(START|END|REPORT) /gm),
    };
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { error: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
}

// One attempt (a retry would hide the error shapes compared here), so no kept-alive sockets: a
// request sent on a socket the server closes at its keep-alive timeout in the same instant fails
// with ECONNRESET, which the SDK would otherwise retry (seen once in this file).
const sdk = (endpoint: string) =>
  new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: false }) },
  });

const HTTP_CASES: [string, string, string, string | undefined][] = [
  ['POST /budget_expense_matcher, the seed', 'POST', '/budget_expense_matcher', 'seed-request'],
  ['POST /budget_expense_matcher, a trip', 'POST', '/budget_expense_matcher', 'direct-invoke-trip'],
  ...EVENT_NAMES.filter((n) => n.startsWith('bad-') && !n.includes('api-gateway')).map(
    (n): [string, string, string, string] => [
      `POST /budget_expense_matcher, ${n}`,
      'POST',
      '/budget_expense_matcher',
      n,
    ],
  ),
  ['POST /budget_expense_matcher, not JSON', 'POST', '/budget_expense_matcher', undefined],
  ['GET /health', 'GET', '/health', undefined],
  ['GET /no-such-route', 'GET', '/no-such-route', undefined],
];

/**
 * `/health`'s `results` block describes the recording path, which differs by design: the local
 * journal under `npm start`, the SQS hand-off in the deployed function (and so in `start:lambda`).
 */
function withoutResults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutResults);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key, v]) => !(key === 'results' && v !== null && typeof v === 'object' && !Array.isArray(v)))
    .map(([key, v]) => {
      if (key !== 'body' || typeof v !== 'string') return [key, withoutResults(v)];
      try {
        return [key, JSON.stringify(withoutResults(JSON.parse(v)))];
      } catch {
        return [key, v];
      }
    });
  return Object.fromEntries(entries);
}

describe('npm run start:lambda: the built zips answer as `npm start` does', () => {
  // Each results database in a folder of its own scratch directory: its journal goes beside it.
  const dirs = [join(scratch.dir('parity-start'), 'results'), join(scratch.dir('parity-lambda'), 'results')];
  let local: RunningLocalServer;
  let lambda: RunningLambdaServer;
  let clients: { local: LambdaClient; lambda: LambdaClient };

  beforeAll(async () => {
    const { violations } = await buildArtifacts();
    expect(violations).toEqual([]);
    [local, lambda] = await Promise.all([
      startLocalServer(serverEnv(dirs[0] as string)),
      startLambdaServer({ env: serverEnv(dirs[1] as string), echoLogs: false, log: () => {} }),
    ]);
    clients = { local: sdk(local.url), lambda: sdk(lambda.url) };
  });
  afterAll(async () => {
    clients.local.destroy();
    clients.lambda.destroy();
    await Promise.all([local.close(), lambda.close()]);
  });

  it.each(EVENT_NAMES.filter((name) => !name.startsWith('writer')))(
    'answers the Invoke of events/%s.json as npm start does',
    async (name) => {
      const Payload = Buffer.from(JSON.stringify(loadEvent(name)));

      const [want, got] = await Promise.all([
        sdkOutcome(clients.local, { Payload }),
        sdkOutcome(clients.lambda, { Payload }),
      ]);

      expect(
        findMismatch(withoutResults(got.payload), withoutResults(want.payload), DEPLOYED),
      ).toBeUndefined();
      expect({ ...got, payload: undefined }).toEqual({ ...want, payload: undefined });
    },
  );

  it.each(HTTP_CASES)(
    'answers %s over HTTP with the same status, headers and body',
    async (_, method, path, event) => {
      const init: RequestInit = {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: event ? JSON.stringify(loadEvent(event)) : '{"budgets": [' } : {}),
      };

      const [want, got] = await Promise.all([
        http(`${local.url}${path}`, init),
        http(`${lambda.url}${path}`, init),
      ]);

      expect(got.status).toBe(want.status);
      expect(got.headers).toEqual(want.headers);
      expect(findMismatch(withoutResults(got.body), withoutResults(want.body), DEPLOYED)).toBeUndefined();
    },
  );

  it('runs the JS SDK Invoke cases against both with the same outcomes (the version aside)', async () => {
    const seed = Buffer.from(JSON.stringify(loadEvent('seed-request')));
    const cases: Partial<InvokeCommandInput>[] = [
      { Payload: seed },
      { Payload: seed, Qualifier: '$LATEST' },
      { Payload: Buffer.from(JSON.stringify(loadEvent('bad-neither-list'))), LogType: 'Tail' },
      { Payload: Buffer.from('{"budgets": [') },
      { FunctionName: 'no-such-function', Payload: seed },
      { Qualifier: 'blue', Payload: seed },
      { InvocationType: 'Event', Payload: seed },
      { InvocationType: 'DryRun', Payload: seed },
      { Payload: Buffer.from(`"${'x'.repeat(6 * 1024 * 1024)}"`) },
      { InvocationType: 'Event', Payload: Buffer.from(`"${'x'.repeat(1024 * 1024)}"`) },
    ];

    for (const input of cases) {
      const want = await sdkOutcome(clients.local, input);
      const got = await sdkOutcome(clients.lambda, input);
      expect({ input: Object.keys(input), ...got }).toEqual({ input: Object.keys(input), ...want });
    }
    const live = await sdkOutcome(clients.lambda, { Qualifier: 'live', Payload: seed });
    expect(live).toMatchObject({ status: 200, executedVersion: '1' });
    expect((await sdkOutcome(clients.local, { Qualifier: 'live', Payload: seed })).executedVersion).toBe(
      '$LATEST',
    );
  });

  it('runs the boto3 Invoke cases against both with the same outcomes', async () => {
    // The cases that need a failing handler run against one in-process server for both.
    const failing = createLocalServer(
      async (event) => {
        if ((event as { hang?: boolean }).hang) await new Promise((resolve) => setTimeout(resolve, 1000));
        throw new TypeError('cannot read the model');
      },
      { invoke: { echoLogs: false, timeoutSeconds: 0.2 } },
    );
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const failingUrl = `http://127.0.0.1:${(failing.address() as { port: number }).port}`;
    const run = async (endpoint: string) => {
      const { stdout } = await promisify(execFile)(
        '/usr/bin/python3',
        [join(__dirname, '..', 'invoke', 'boto3_invoke.py'), endpoint, FUNCTION, EVENTS_DIR, failingUrl],
        { maxBuffer: 32 * 1024 * 1024 },
      );
      return JSON.parse(stdout) as Record<string, Record<string, unknown>>;
    };

    const [want, got] = await Promise.all([run(local.url), run(lambda.url)]).finally(
      () => new Promise((resolve) => failing.close(resolve)),
    );

    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [name, w] of Object.entries(want)) {
      const g = got[name] ?? {};
      const strip = ({
        request_id: _r,
        log: _l,
        payload: _p,
        executed_version: _v,
        ...rest
      }: Record<string, unknown>) => rest;
      expect({ name, ...strip(g) }).toEqual({ name, ...strip(w) });
      // The failing handler's timeout message names the request: the same text with another id.
      const withoutIds = (payload: unknown) =>
        JSON.parse(
          JSON.stringify(payload ?? null).replace(/RequestId: [0-9a-f-]{36}/g, 'RequestId: <id>'),
        ) as unknown;
      expect(findMismatch(withoutIds(g.payload), withoutIds(w.payload), DEPLOYED)).toBeUndefined();
    }
    expect(got.trip_live?.executed_version).toBe('1');
    expect(got.seed?.executed_version).toBe('$LATEST');
  });

  it('records scores through the results queue and the writer, and takes /feedback labels the same way', async () => {
    const feedback = loadEvent<{ body: string }>('feedback/api-gateway-feedback');
    const seed = Buffer.from(JSON.stringify(loadEvent('seed-request')));
    const invoked = await clients.lambda.send(new InvokeCommand({ FunctionName: FUNCTION, Payload: seed }));
    const requestId = invoked.$metadata.requestId;

    const labelled = await http(`${lambda.url}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: feedback.body,
    });
    const fromNpmStart = await http(`${local.url}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: feedback.body,
    });

    expect(labelled).toEqual(fromNpmStart);
    expect(labelled.status).toBe(202);
    // Through the loader's socket, as the CLIs reach a running server's PGlite: once it listens
    // (the loader opens the database at a lower priority; opening the directory here instead
    // would put two processes on one PGlite database).
    await waitFor(async () => existsSync(localSocketPath(dirs[1] as string)), 60_000);
    const db = await openResultsDatabase(resultsDatabaseSource({ RESULTS_DB_DIR: dirs[1] as string }), {
      migrate: false,
    });
    await waitFor(async () => {
      const rows = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM results WHERE request_id = $1',
        [requestId],
      );
      return rows.rows[0]?.n === 1;
    });
    await waitFor(
      async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM labels')).rows[0]?.n !== 0,
    );
    expect(lambda.queue?.deadLetters).toEqual([]);
  });

  it("keeps every row the results extension sends after the reply (RESULTS_SEND's default): rows = pairs answered", async () => {
    const request = Buffer.from(JSON.stringify(makeRequest({ budgets: 10, items: 20 })));
    const requestIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const invoked = await clients.lambda.send(
        new InvokeCommand({ FunctionName: FUNCTION, Payload: request }),
      );
      expect(invoked.FunctionError).toBeUndefined();
      requestIds.push(invoked.$metadata.requestId as string);
    }
    await waitFor(async () => existsSync(localSocketPath(dirs[1] as string)), 60_000);
    const db = await openResultsDatabase(resultsDatabaseSource({ RESULTS_DB_DIR: dirs[1] as string }), {
      migrate: false,
    });
    const count = async () =>
      (
        await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM results WHERE role = 'live' AND request_id = ANY($1)",
          [requestIds],
        )
      ).rows[0]?.n;
    await waitFor(async () => (await count()) === 20 * 10 * 20);
    expect(await count()).toBe(4000);
    expect(lambda.queue?.deadLetters).toEqual([]);
  });
});

async function waitFor(done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
