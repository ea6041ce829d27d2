import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { InstancePool } from '../local/lambda-runtime/instance-pool';
import { lambdaEnvironment } from '../local/lambda-runtime/lambda-environment';
import { resolveNode24 } from '../local/lambda-runtime/node-binary';
import { readStackFunctions } from '../local/lambda-runtime/stack-functions';
import { startLambdaServer } from '../local/lambda-runtime/start-lambda-server';
import { removeLayout, unpackFunction } from '../local/lambda-runtime/unpack-function';
import { DIST } from '../scripts/esbuild-options';
import { loadEvent } from '../test/helpers/events';
import { makeTinyFunction } from '../test/helpers/tiny-function';
import { makeRequest } from './make-request';
import { quantile, timeMs } from './stats';

/** A latency figure: median and 99th percentile over `runs` calls. */
export interface Latency {
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly runs: number;
}

/** What `npm run bench:invoke` measures of `start:lambda` (the built zips, one process per instance). */
export interface StartLambdaFigures {
  readonly node: string;
  /** Warm SDK Invoke of the seed, results recorded through the queue (the deployed path), and with recording off. */
  readonly seed_sdk_invoke_warm: Latency;
  readonly seed_sdk_invoke_warm_not_recorded: Latency;
  /** `Init Duration` of fresh predict instances (process start to handler loaded), ms. */
  readonly init_duration_ms: { readonly median: number; readonly max: number; readonly samples: number[] };
  /** The same for a function that loads nothing (the Node process and runtime loop alone): the reference. */
  readonly init_duration_empty_function_ms: { readonly median: number; readonly samples: number[] };
  /** REPORT `Max Memory Used` of one instance after serving 10 × 2,000-pair requests, MB (memory size beside it). */
  readonly max_memory_used_10x2000_mb: number;
  readonly memory_size_mb: number;
  /** The 10 × 2,000 request's warm SDK Invoke latency through start:lambda. */
  readonly pairs_20000_sdk_invoke: Latency;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
const median = (values: number[]) => round(quantile(values, 0.5));

async function measure(runs: number, fn: () => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < Math.min(100, runs); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timeMs(fn));
  return { p50_ms: round(quantile(samples, 0.5)), p99_ms: round(quantile(samples, 0.99)), runs };
}

/**
 * Measures `start:lambda` from `dist/` (run `npm run build` first): warm Invoke latency through
 * the SDK, instances' `Init Duration` (against an empty function's, the Node process alone), and
 * the `Max Memory Used` an instance reports after large requests.
 */
export async function benchStartLambda(): Promise<StartLambdaFigures> {
  const node = resolveNode24();
  const dirs = [mkdtempSync(join(tmpdir(), 'bench-lambda-')), mkdtempSync(join(tmpdir(), 'bench-lambda-'))];
  const { DATABASE_URL: _unused, ...env } = process.env;
  const seed = Buffer.from(JSON.stringify(loadEvent('seed-request')));
  const large = Buffer.from(JSON.stringify(makeRequest(10, 2000)));
  const start = (extra: NodeJS.ProcessEnv, dir: string) =>
    startLambdaServer({
      env: { ...env, PORT: '0', RESULTS_DB_DIR: dir, ...extra },
      echoLogs: false,
      log: () => {},
    });
  const clientFor = (endpoint: string) =>
    new LambdaClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  try {
    const recorded = await start({}, dirs[0] as string);
    const client = clientFor(recorded.url);
    const invoke = (Payload: Uint8Array, LogType?: 'Tail') =>
      client.send(new InvokeCommand({ FunctionName: 'budget-expense-matcher', Payload, LogType }));
    const warm = await measure(1000, () => invoke(seed));
    const pairs = await measure(10, () => invoke(large));
    const tail = await invoke(large, 'Tail');
    const report = Buffer.from(tail.LogResult ?? '', 'base64').toString('utf8');
    const maxMemory = Number(/Max Memory Used: (\d+) MB/.exec(report)?.[1] ?? Number.NaN);
    const memorySize = Number(/Memory Size: (\d+) MB/.exec(report)?.[1] ?? Number.NaN);
    client.destroy();
    await recorded.close();

    const unrecorded = await start({ RESULTS_DB: 'off' }, dirs[1] as string);
    const client2 = clientFor(unrecorded.url);
    const notRecorded = await measure(1000, () =>
      client2.send(new InvokeCommand({ FunctionName: 'budget-expense-matcher', Payload: seed })),
    );
    client2.destroy();
    await unrecorded.close();

    const inits = await coldStarts(node, 7);
    const empty = await emptyColdStarts(node, 7);
    return {
      node: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(),
      seed_sdk_invoke_warm: warm,
      seed_sdk_invoke_warm_not_recorded: notRecorded,
      init_duration_ms: { median: median(inits), max: round(Math.max(...inits)), samples: inits.map(round) },
      init_duration_empty_function_ms: { median: median(empty), samples: empty.map(round) },
      max_memory_used_10x2000_mb: maxMemory,
      memory_size_mb: memorySize,
      pairs_20000_sdk_invoke: pairs,
    };
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** `Init Duration` of `count` fresh predict instances, one after another (recording off). */
async function coldStarts(node: string, count: number): Promise<number[]> {
  const stack = await readStackFunctions();
  const layout = await unpackFunction(DIST.functionZip('predict'), [DIST.layerZip]);
  try {
    return await initDurations(
      count,
      () =>
        lambdaEnvironment({
          functionName: 'budget-expense-matcher',
          fn: stack.predict,
          layout,
          region: 'us-east-1',
          env: {},
          deployTime: {},
        }),
      layout,
      node,
      stack.predict.memorySizeMb,
    );
  } finally {
    removeLayout(layout);
  }
}

/** The reference: `Init Duration` of a function that loads one small file. */
async function emptyColdStarts(node: string, count: number): Promise<number[]> {
  const tiny = await makeTinyFunction();
  const layout = await unpackFunction(tiny.functionZip, [tiny.layerZip]);
  const fn = {
    handler: 'index.handler',
    runtime: 'nodejs24.x',
    memorySizeMb: 1024,
    timeoutSeconds: 25,
    environment: {},
    deployTimeVariables: [],
  };
  try {
    return await initDurations(
      count,
      () =>
        lambdaEnvironment({
          functionName: 'empty',
          fn,
          layout,
          region: 'us-east-1',
          env: {},
          deployTime: {},
        }),
      layout,
      node,
      1024,
    );
  } finally {
    removeLayout(layout);
    tiny.remove();
  }
}

async function initDurations(
  count: number,
  env: () => Record<string, string>,
  layout: Awaited<ReturnType<typeof unpackFunction>>,
  node: string,
  memorySizeMb: number,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const pool = new InstancePool({
      instance: { layout, node, env: env() },
      memorySizeMb,
      timeoutSeconds: 25,
      maxInstances: 1,
      idleSeconds: 60,
    });
    const result = await pool.invoke(
      { httpMethod: 'GET', path: '/health', requestContext: {} },
      {
        functionName: 'bench',
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
        timeoutSeconds: 25,
        memorySizeMb,
      },
    );
    pool.close();
    if (result.initDurationMs === undefined) throw new Error('a fresh instance reported no Init Duration');
    samples.push(result.initDurationMs);
  }
  return samples;
}
