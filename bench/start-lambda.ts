import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DIST } from '../cdk/dist-layout';
import { InstancePool } from '../local/lambda-runtime/instance-pool';
import { lambdaEnvironment } from '../local/lambda-runtime/lambda-environment';
import { resolveNode24 } from '../local/lambda-runtime/node-binary';
import { readStackFunctions } from '../local/lambda-runtime/stack-functions';
import { startLambdaServer } from '../local/lambda-runtime/start-lambda-server';
import { removeLayout, unpackFunction } from '../local/lambda-runtime/unpack-function';
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

/** One `start:lambda` server's figures: warm Invoke latency and an instance's memory after large requests. */
export interface ServerFigures {
  /** Warm SDK Invoke of the seed request. */
  readonly seed_sdk_invoke_warm: Latency;
  /** Warm SDK Invoke of a 10 × 2,000-pair request. */
  readonly pairs_20000_sdk_invoke: Latency;
  /** REPORT `Max Memory Used` of the instance after serving those 10 × 2,000-pair requests, MB. */
  readonly max_memory_used_10x2000_mb: number;
  /** REPORT `Memory Size`, MB. */
  readonly memory_size_mb: number;
}

/** What `npm run bench:invoke` measures of `start:lambda` (the built zips, one process per instance). */
export interface StartLambdaFigures {
  readonly node: string;
  /** Results sent through the queue to the writer, as deployed (each invocation waits for its SQS hand-off). */
  readonly recorded: ServerFigures;
  /** `RESULTS_DB=off`: the emulator's own cost, with no hand-off. */
  readonly not_recorded: ServerFigures;
  /** `Init Duration` of fresh predict instances (process start to handler loaded), ms. */
  readonly init_duration_ms: { readonly median: number; readonly max: number; readonly samples: number[] };
  /** The same for a function that loads one small file (the Node process and runtime loop alone): the reference. */
  readonly init_duration_empty_function_ms: { readonly median: number; readonly samples: number[] };
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
  const serve = async (extra: NodeJS.ProcessEnv, dir: string): Promise<ServerFigures> => {
    const running = await start(extra, dir);
    const client = clientFor(running.url);
    try {
      const invoke = (Payload: Uint8Array, LogType?: 'Tail') =>
        client.send(new InvokeCommand({ FunctionName: 'budget-expense-matcher', Payload, LogType }));
      const warm = await measure(1000, () => invoke(seed));
      const pairs = await measure(10, () => invoke(large));
      // One instance served every call above (they were sequential): its REPORT after one more.
      const report = Buffer.from((await invoke(large, 'Tail')).LogResult ?? '', 'base64').toString('utf8');
      return {
        seed_sdk_invoke_warm: warm,
        pairs_20000_sdk_invoke: pairs,
        max_memory_used_10x2000_mb: Number(/Max Memory Used: (\d+) MB/.exec(report)?.[1] ?? Number.NaN),
        memory_size_mb: Number(/Memory Size: (\d+) MB/.exec(report)?.[1] ?? Number.NaN),
      };
    } finally {
      client.destroy();
      await running.close();
    }
  };
  try {
    const recorded = await serve({}, dirs[0] as string);
    const notRecorded = await serve({ RESULTS_DB: 'off' }, dirs[1] as string);
    const inits = await coldStarts(node, 7);
    const empty = await emptyColdStarts(node, 7);
    return {
      node: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(),
      recorded,
      not_recorded: notRecorded,
      init_duration_ms: { median: median(inits), max: round(Math.max(...inits)), samples: inits.map(round) },
      init_duration_empty_function_ms: { median: median(empty), samples: empty.map(round) },
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
