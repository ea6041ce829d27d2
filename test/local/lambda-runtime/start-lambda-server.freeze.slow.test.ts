import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { resultsDatabaseSource } from '../../../lambda/config';
import { localSocketPath, openResultsDatabase } from '../../../lambda/db';
import {
  type RunningLambdaServer,
  startLambdaServer,
} from '../../../local/lambda-runtime/start-lambda-server';
import { buildArtifacts } from '../../../scripts/build-artifacts';
import { loadEvent } from '../../helpers/events';
import { processState } from '../../helpers/process-state';
import { makeRequest } from '../../helpers/requests';
import { useScratch } from '../../helpers/scratch';

const scratch = useScratch();
const FUNCTION = 'budget-expense-matcher';

/**
 * `start:lambda` with `LAMBDA_FREEZE=on`: every instance of the deployed path (the predict
 * function with its results extension, the writer fed by the queue, the labels function) stopped
 * between its invocations, as Lambda freezes them. Recording and `/feedback` must lose nothing:
 * the extension's sends end before the instance is frozen, and the writer's database connection
 * survives its instance's freezes.
 */
describe('npm run start:lambda with LAMBDA_FREEZE=on: the deployed results path, instances frozen between invocations', () => {
  const dir = join(scratch.dir('freeze'), 'results');
  let lambda: RunningLambdaServer;
  let client: LambdaClient;

  beforeAll(async () => {
    const { violations } = await buildArtifacts();
    expect(violations).toEqual([]);
    const { DATABASE_URL: _ignored, ...env } = process.env;
    lambda = await startLambdaServer({
      env: { ...env, PORT: '0', RESULTS_DB_DIR: dir, LAMBDA_BATCH_WINDOW_MS: '50', LAMBDA_FREEZE: 'on' },
      echoLogs: false,
      log: () => {},
    });
    client = new LambdaClient({
      endpoint: lambda.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    client?.destroy();
    await lambda?.close();
  });

  it('records every pair answered and takes /feedback labels, the instances stopped while idle', async () => {
    const request = Buffer.from(JSON.stringify(makeRequest({ budgets: 10, items: 20 })));
    const requestIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      const invoked = await client.send(new InvokeCommand({ FunctionName: FUNCTION, Payload: request }));
      expect(invoked.FunctionError).toBeUndefined();
      requestIds.push(invoked.$metadata.requestId as string);
      // Idle long enough for the writer's batch window: its instance runs and is frozen again.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const feedback = loadEvent<{ body: string }>('feedback/api-gateway-feedback');
    const labelled = await fetch(`${lambda.url}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: feedback.body,
    });

    expect(labelled.status).toBe(202);
    await waitFor(async () => existsSync(localSocketPath(dir)), 60_000);
    const db = await openResultsDatabase(resultsDatabaseSource({ RESULTS_DB_DIR: dir }), { migrate: false });
    const count = async () =>
      (
        await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM results WHERE role = 'live' AND request_id = ANY($1)",
          [requestIds],
        )
      ).rows[0]?.n;
    await waitFor(async () => (await count()) === 10 * 10 * 20);
    await waitFor(
      async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM labels')).rows[0]?.n !== 0,
    );
    expect(await count()).toBe(2000);
    expect(lambda.queue?.deadLetters).toEqual([]);
    // Every instance of the path, idle now, is stopped: the predict ones and the writer's.
    const pids = () => [...lambda.predict.pids(), ...(lambda.writer?.pids() ?? [])];
    expect(lambda.writer?.pids().length).toBeGreaterThan(0);
    await waitFor(async () => pids().every((pid) => processState(pid) === 'T'));
  });
});

async function waitFor(done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
