import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DIST } from '../cdk/dist-layout';
import { InstancePool } from '../local/lambda-runtime/instance-pool';
import { lambdaEnvironment } from '../local/lambda-runtime/lambda-environment';
import { resolveNode24 } from '../local/lambda-runtime/node-binary';
import { readStackFunctions } from '../local/lambda-runtime/stack-functions';
import { removeLayout, unpackFunction } from '../local/lambda-runtime/unpack-function';
import { loadEvent } from '../test/helpers/events';
import { makeTinyFunction } from '../test/helpers/tiny-function';
import { type ServerProcessState, serverState, startOpenLambdaServer } from './lambda-server-state';
import { makeRequest } from './make-request';
import type { ServerProcessMessage } from './start-lambda-process';
import { quantile, timeMs } from './stats';

/** A latency figure: median and 99th percentile over `runs` calls. */
export interface Latency {
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly runs: number;
}

/** One `start:lambda` server's figures: warm Invoke latency and an instance's memory after large requests. */
export interface ServerFigures {
  /** Warm SDK Invoke of the seed request (after `seed_warmup_calls` calls). */
  readonly seed_sdk_invoke_warm: Latency;
  /** Seed calls made before `seed_sdk_invoke_warm` was measured (`BENCH_SEED_WARMUP`). */
  readonly seed_warmup_calls: number;
  /**
   * The first (up to 1,000) of those warm-up calls (a fresh server and instances, code not yet
   * optimised); absent when no warm-up calls were made.
   */
  readonly seed_sdk_invoke_fresh?: Latency;
  /** Warm SDK Invoke of a 10 × 2,000-pair request. */
  readonly pairs_20000_sdk_invoke: Latency;
  /** REPORT `Max Memory Used` of the instance after serving those 10 × 2,000-pair requests, MB. */
  readonly max_memory_used_10x2000_mb: number;
  /** REPORT `Memory Size`, MB. */
  readonly memory_size_mb: number;
  /** CPU (user + system) of the predict instances per warm seed call, ms (from `/proc`, 10 ms ticks over all calls). */
  readonly instance_cpu_ms_per_call: number;
  /** The same for the writer's instance (the rows those calls recorded), ms a call. */
  readonly writer_cpu_ms_per_call: number;
  /** Instances the pool started during the warm seed calls (beyond the warm one they began on). */
  readonly instances_started_warm: number;
  /** Instances in the pool once the warm seed calls are done: those the back-to-back calls spread over. */
  readonly instances_after_warm: number;
}

/** What a caller sees of recording against a loopback SQS answering `sqs_latency_ms` late. */
export interface HandoffFigures {
  readonly send: 'after-reply' | 'before-reply';
  readonly sqs_latency_ms: number;
  readonly rows_a_reply: number;
  /** Caller-seen Invoke latency (the SDK's), calls paced so that one instance can serve them all. */
  readonly caller: Latency;
  /** Instances the pool started for these calls (an instance busy after its reply cannot take the next). */
  readonly instances_started: number;
}

/** What `npm run bench:invoke` measures of `start:lambda` (the built zips, one process per instance). */
export interface StartLambdaFigures {
  readonly node: string;
  /** Results sent through the queue to the writer, as deployed (`RESULTS_SEND` default: the extension sends after the reply). */
  readonly recorded: ServerFigures;
  /**
   * The recorded figures again with `start:lambda` in the bench's own process, the SDK client's
   * work on the emulator's event loop (how this bench measured before: the reference row).
   */
  readonly recorded_with_caller: ServerFigures;
  /** The same with `RESULTS_SEND=before-reply`: each invocation waits for its SQS hand-off. */
  readonly recorded_before_reply: ServerFigures;
  /** Recording against a slow SQS (5 and 50 ms), both ways. */
  readonly sqs_handoff: readonly HandoffFigures[];
  /** `Init Duration` of fresh predict instances that record (extension registered; the SQS client loads after the first reply), ms. */
  readonly init_duration_recorded_ms: {
    readonly median: number;
    readonly max: number;
    readonly samples: number[];
  };
  /** `RESULTS_DB=off`: the emulator's own cost, with no hand-off. */
  readonly not_recorded: ServerFigures;
  /** The same with `LAMBDA_FREEZE=on`: each instance stopped between its invocations, as Lambda freezes it. */
  readonly not_recorded_frozen: ServerFigures;
  /** `Init Duration` of fresh predict instances (process start to handler loaded), ms. */
  readonly init_duration_ms: { readonly median: number; readonly max: number; readonly samples: number[] };
  /** The same for a function that loads one small file (the Node process and runtime loop alone): the reference. */
  readonly init_duration_empty_function_ms: { readonly median: number; readonly samples: number[] };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
const median = (values: number[]) => round(quantile(values, 0.5));

async function measure(
  runs: number,
  fn: () => Promise<unknown>,
  warmup = Math.min(100, runs),
): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await fn();
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
  const start = async (extra: NodeJS.ProcessEnv, dir: string, where: ServerPlace = 'own-process') => {
    const running = await startServer({ ...env, PORT: '0', RESULTS_DB_DIR: dir, ...extra }, where);
    // A new PGlite directory is made (initdb) by a process of its own for some seconds after the
    // start: measuring then timed that process's CPU too (the first figures, after-reply's, came
    // out slower than before-reply's, measured on the directory made by then). The database is
    // simply there in AWS: the figures are taken once it is open (the server says `ready` only
    // then), and once the whole results path is warm (the writer's instance started and
    // connected, the loader's first load done), which the first recorded calls otherwise paid
    // for beside the measured ones.
    try {
      await warmResultsPath(running, seed);
    } catch (error) {
      await running.close();
      throw error;
    }
    return running;
  };
  const clientFor = (endpoint: string) =>
    new LambdaClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  const serve = async (
    extra: NodeJS.ProcessEnv,
    dir: string,
    where: ServerPlace = 'own-process',
  ): Promise<ServerFigures> => {
    const running = await start(extra, dir, where);
    const client = clientFor(running.url);
    try {
      const invoke = (Payload: Uint8Array, LogType?: 'Tail') =>
        client.send(new InvokeCommand({ FunctionName: 'budget-expense-matcher', Payload, LogType }));
      // Warm: every process of the path (the server, each instance the calls spread over, the
      // writer, the bench's SDK client) past its JIT warm-up, as a function serving traffic is.
      const fresh: number[] = [];
      for (let i = 0; i < SEED_WARMUP_CALLS; i++) fresh.push(await timeMs(() => invoke(seed)));
      const first = fresh.slice(0, 1000);
      const before = await running.state();
      const cpuBefore = { predict: cpuMs(before.predictPids), writer: cpuMs(before.writerPids) };
      const warm = await measure(1000, () => invoke(seed), 0);
      const after = await running.state();
      // Instances that ended during the calls are not counted; the pool keeps them all (idle 300 s).
      const instanceCpu = (cpuMs(after.predictPids) - cpuBefore.predict) / warm.runs;
      const writerCpu = (cpuMs(after.writerPids) - cpuBefore.writer) / warm.runs;
      const instancesStarted = after.predictStarted - before.predictStarted;
      const instancesAfter = after.predictInstances;
      const pairs = await measure(10, () => invoke(large));
      // One instance served every call above (they were sequential): its REPORT after one more.
      const report = Buffer.from((await invoke(large, 'Tail')).LogResult ?? '', 'base64').toString('utf8');
      return {
        seed_sdk_invoke_warm: warm,
        seed_warmup_calls: fresh.length,
        ...(first.length === 0
          ? {}
          : {
              seed_sdk_invoke_fresh: {
                p50_ms: round(quantile(first, 0.5)),
                p99_ms: round(quantile(first, 0.99)),
                runs: first.length,
              },
            }),
        pairs_20000_sdk_invoke: pairs,
        max_memory_used_10x2000_mb: Number(/Max Memory Used: (\d+) MB/.exec(report)?.[1] ?? Number.NaN),
        memory_size_mb: Number(/Memory Size: (\d+) MB/.exec(report)?.[1] ?? Number.NaN),
        instance_cpu_ms_per_call: round(instanceCpu),
        writer_cpu_ms_per_call: round(writerCpu),
        instances_started_warm: instancesStarted,
        instances_after_warm: instancesAfter,
      };
    } finally {
      client.destroy();
      await running.close();
    }
  };
  /** `runs` paced calls per request size against a queue answering `delay` ms late, sending `send`. */
  const handoff = async (
    send: HandoffFigures['send'],
    delay: number,
    dir: string,
  ): Promise<HandoffFigures[]> => {
    const running = await start({ RESULTS_SEND: send, LAMBDA_SQS_DELAY_MS: String(delay) }, dir);
    const client = clientFor(running.url);
    const out: HandoffFigures[] = [];
    try {
      const medium = Buffer.from(JSON.stringify(makeRequest(10, 200)));
      for (const [rows, payload] of [
        [1, seed],
        [2000, medium],
      ] as const) {
        const invoke = () =>
          client.send(new InvokeCommand({ FunctionName: 'budget-expense-matcher', Payload: payload }));
        for (let i = 0; i < 10; i++) await invoke();
        await new Promise((resolve) => setTimeout(resolve, delay + 50));
        const before = (await running.state()).predictStarted;
        const samples: number[] = [];
        for (let i = 0; i < HANDOFF_RUNS; i++) {
          samples.push(await timeMs(invoke));
          // Paced: the instance's post-reply sends (about `delay`) end before the next call.
          await new Promise((resolve) => setTimeout(resolve, delay + 20));
        }
        out.push({
          send,
          sqs_latency_ms: delay,
          rows_a_reply: rows,
          caller: {
            p50_ms: round(quantile(samples, 0.5)),
            p99_ms: round(quantile(samples, 0.99)),
            runs: HANDOFF_RUNS,
          },
          instances_started: (await running.state()).predictStarted - before,
        });
      }
      return out;
    } finally {
      client.destroy();
      await running.close();
    }
  };
  try {
    const recorded = await serve({}, dirs[0] as string);
    const recordedWithCaller = await serve({}, dirs[0] as string, 'with-caller');
    const beforeReply = await serve({ RESULTS_SEND: 'before-reply' }, dirs[0] as string);
    const notRecorded = await serve({ RESULTS_DB: 'off' }, dirs[1] as string);
    const notRecordedFrozen = await serve({ RESULTS_DB: 'off', LAMBDA_FREEZE: 'on' }, dirs[1] as string);
    const sqs: HandoffFigures[] = [];
    for (const delay of [5, 50])
      for (const send of ['after-reply', 'before-reply'] as const)
        sqs.push(...(await handoff(send, delay, dirs[0] as string)));
    const { empty, inits, initsRecorded } = await initSeries(node, 7);
    return {
      node: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(),
      recorded,
      recorded_before_reply: beforeReply,
      recorded_with_caller: recordedWithCaller,
      not_recorded: notRecorded,
      not_recorded_frozen: notRecordedFrozen,
      sqs_handoff: sqs,
      init_duration_ms: { median: median(inits), max: round(Math.max(...inits)), samples: inits.map(round) },
      init_duration_recorded_ms: {
        median: median(initsRecorded),
        max: round(Math.max(...initsRecorded)),
        samples: initsRecorded.map(round),
      },
      init_duration_empty_function_ms: { median: median(empty), samples: empty.map(round) },
    };
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU time (user + system) of processes `pids`, ms, from `/proc/<pid>/stat` (Linux; 0 elsewhere). */
function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

const HANDOFF_RUNS = Number(process.env.BENCH_HANDOFF_RUNS || 100);

/**
 * Calls before the warm seed figures are taken. A fresh `start:lambda` and the instances the
 * calls spread over run their code unoptimised at first: the first thousand or two calls of a
 * fresh server measured slower than the next ones (docs/benchmarks.md).
 */
const SEED_WARMUP_CALLS = Number(process.env.BENCH_SEED_WARMUP || 2000);

/**
 * `Init Duration` of fresh instances, `count` of each: an empty function (the reference), the
 * predict function not recording, and recording (a queue named: the extension registers during
 * the init). Interleaved, one of each in turn, so that a change of load on the machine hits the
 * three series alike rather than one of them.
 */
async function initSeries(
  node: string,
  count: number,
): Promise<{ empty: number[]; inits: number[]; initsRecorded: number[] }> {
  const stack = await readStackFunctions();
  const layout = await unpackFunction(DIST.functionZip('predict'), [DIST.layerZip]);
  const tiny = await makeTinyFunction();
  const tinyLayout = await unpackFunction(tiny.functionZip, [tiny.layerZip]);
  const emptyFn = {
    handler: 'index.handler',
    runtime: 'nodejs24.x',
    memorySizeMb: 1024,
    timeoutSeconds: 25,
    environment: {},
    deployTimeVariables: [],
  };
  const predictEnv = (deployTime: Record<string, string>) => () =>
    lambdaEnvironment({
      functionName: 'budget-expense-matcher',
      fn: stack.predict,
      layout,
      region: 'us-east-1',
      env: {},
      deployTime,
    });
  const emptyEnv = () =>
    lambdaEnvironment({
      functionName: 'empty',
      fn: emptyFn,
      layout: tinyLayout,
      region: 'us-east-1',
      env: {},
      deployTime: {},
    });
  const out = { empty: [] as number[], inits: [] as number[], initsRecorded: [] as number[] };
  try {
    for (let i = 0; i < count; i++) {
      out.empty.push(...(await initDurations(1, emptyEnv, tinyLayout, node, 1024)));
      out.inits.push(...(await initDurations(1, predictEnv({}), layout, node, stack.predict.memorySizeMb)));
      out.initsRecorded.push(
        ...(await initDurations(
          1,
          predictEnv({ RESULTS_QUEUE_URL: 'http://127.0.0.1:9/000000000000/results' }),
          layout,
          node,
          stack.predict.memorySizeMb,
        )),
      );
    }
    return out;
  } finally {
    removeLayout(layout);
    removeLayout(tinyLayout);
    tiny.remove();
  }
}

/**
 * Recorded calls until their rows are in the database: the writer's instance started and
 * connected, the loader's first load done. Nothing when recording is off.
 */
async function warmResultsPath(running: BenchServer, seed: Uint8Array) {
  if (!(await running.state()).queue) return;
  const client = new LambdaClient({
    endpoint: running.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    for (let i = 0; i < 20; i++)
      await client.send(new InvokeCommand({ FunctionName: 'budget-expense-matcher', Payload: seed }));
    // The writer deletes a batch from the queue once its rows are in the database.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const deadline = Date.now() + 120_000;
    for (;;) {
      const queue = (await running.state()).queue;
      if (!queue || (queue.depth === 0 && queue.inFlight === 0)) break;
      if (Date.now() > deadline)
        throw new Error('the warm-up rows did not reach the local database within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    client.destroy();
  }
}

/**
 * Where the measured `start:lambda` runs: `own-process`, as `npm run start:lambda` runs it (the
 * bench's SDK client in the bench's process, as a caller's would be); `with-caller`, in the
 * bench's process, the client's work on the emulator's event loop (the reference row).
 */
type ServerPlace = 'own-process' | 'with-caller';

/** A `start:lambda` the bench measures, wherever it runs. */
interface BenchServer {
  readonly url: string;
  state(): Promise<ServerProcessState>;
  close(): Promise<void>;
}

async function startServer(env: NodeJS.ProcessEnv, where: ServerPlace): Promise<BenchServer> {
  if (where === 'with-caller') {
    const running = await startOpenLambdaServer(env);
    return { url: running.url, state: async () => serverState(running), close: () => running.close() };
  }
  const child = fork(join(__dirname, 'start-lambda-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const nextMessage = <T extends ServerProcessMessage['type']>(type: T) =>
    new Promise<Extract<ServerProcessMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ServerProcessMessage) => {
        if (message.type === 'failed') done(() => reject(new Error(`start:lambda: ${message.message}`)));
        else if (message.type === type)
          done(() => resolve(message as Extract<ServerProcessMessage, { type: T }>));
      };
      const onExit = (code: number | null) =>
        done(() => reject(new Error(`start:lambda exited (${code}) before "${type}"`)));
      const done = (settle: () => void) => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        settle();
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const { url } = await nextMessage('ready');
  return {
    url,
    state: async () => {
      if (!child.connected) throw new Error('start:lambda is no longer running');
      const answer = nextMessage('state');
      child.send({ type: 'state' });
      return (await answer).state;
    },
    close: async () => {
      if (!child.connected) return;
      const closed = nextMessage('closed').catch(() => undefined);
      child.send({ type: 'close' });
      await closed;
    },
  };
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
    await pool.close();
    if (result.initDurationMs === undefined) throw new Error('a fresh instance reported no Init Duration');
    samples.push(result.initDurationMs);
  }
  return samples;
}
