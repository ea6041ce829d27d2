import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyResult, Context, SQSEvent } from 'aws-lambda';
import { DIST } from '../../cdk/dist-layout';
import { readResultsConfig, resultsDatabaseSource } from '../../lambda/config';
import { createLocalServer } from '../create-server';
import { ConcurrencyGate, type FunctionRunner, readInvokeApiConfig, ThrottledError } from '../invoke';
import { type LocalResults, openLocalResults } from '../open-local-results';
import { InstancePool } from './instance-pool';
import { lambdaEnvironment } from './lambda-environment';
import { LoopbackSqs } from './loopback-sqs';
import { resolveNode24 } from './node-binary';
import { QueuePoller } from './queue-poller';
import { readStackFunctions, type StackFunctions } from './stack-functions';
import { type FunctionLayout, removeLayout, unpackFunction } from './unpack-function';

/** `start:lambda`'s own settings, besides the Invoke API's (`FUNCTION_CONCURRENCY`, `INVOKE_THROTTLE_SHARE`, ...). */
export interface LambdaRuntimeConfig {
  /** `LAMBDA_IDLE_SECONDS`: an instance idle this long is ended. @default 300 */
  readonly idleSeconds: number;
  /** `LAMBDA_BATCH_WINDOW_MS`: longest wait to fill a results batch for the writer. @default 200 (AWS: the stack's 5 s) */
  readonly batchWindowMs: number;
  /** `LAMBDA_SQS_DELAY_MS`: how late the loopback results queue answers each send (SQS's latency, for benchmarks). @default 0 */
  readonly sqsDelayMs: number;
  /**
   * `LAMBDA_FREEZE`: `on` stops an idle instance between invocations as Lambda freezes it (its
   * timers and background work wait for the next invocation), to check that a function does
   * nothing after its reply that it needs; `off` lets it run. Off by default: it costs every warm
   * call (`npm run bench:invoke`, the frozen row). @default off
   */
  readonly freeze: boolean;
  /** `FUNCTION_MEMORY_MB`, `FUNCTION_TIMEOUT_SECONDS`: the predict function's limits. @default the stack's */
  readonly memorySizeMb?: number;
  readonly timeoutSeconds?: number;
}

/** Reads {@link LambdaRuntimeConfig}; throws naming the setting when a value is unusable. */
export function readLambdaRuntimeConfig(env: NodeJS.ProcessEnv = process.env): LambdaRuntimeConfig {
  const number = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!(n >= min && n <= max))
      throw new Error(`configuration ${name}: "${raw}" is not a number from ${min} to ${max}`);
    return n;
  };
  return {
    idleSeconds: number('LAMBDA_IDLE_SECONDS', 300, 0.1, 86_400),
    batchWindowMs: number('LAMBDA_BATCH_WINDOW_MS', 200, 0, 300_000),
    sqsDelayMs: number('LAMBDA_SQS_DELAY_MS', 0, 0, 60_000),
    freeze: onOff('LAMBDA_FREEZE', false),
  };
  function onOff(name: string, fallback: boolean): boolean {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'on') return true;
    if (raw === 'off') return false;
    throw new Error(`configuration ${name}: "${env[name]}" is not on or off`);
  }
}

/** A running `start:lambda`. */
export interface RunningLambdaServer {
  readonly url: string;
  readonly server: Server;
  readonly functionName: string;
  readonly node: string;
  readonly predict: InstancePool;
  readonly writer: InstancePool | undefined;
  readonly queue: LoopbackSqs | undefined;
  readonly results: LocalResults;
  readonly stack: StackFunctions;
  /** Stops taking requests, writes the queued results, ends every instance, removes the unpacked zips. */
  close(): Promise<void>;
}

/** Where the zips are, and what else a test may set. */
export interface StartLambdaServerOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** @default `dist/` */
  readonly dist?: typeof DIST;
  /** Where runtime messages go (instance output outside invocations, the writer's errors). @default stderr */
  readonly log?: (line: string) => void;
  /** Whether function logs are echoed to this process's stdout/stderr. @default true */
  readonly echoLogs?: boolean;
}

const REGION_FALLBACK = 'us-east-1';

/**
 * Starts `npm run start:lambda`: the built zips (`npm run build`) run as Lambda runs them, one
 * process per instance on Node 24, behind the same local server as `npm start` (HTTP routes as
 * API Gateway's proxy events, and the Invoke API), on `HOST`:`PORT`. Scored results take the
 * deployed path: the predict function sends them to a loopback SQS queue, and the writer function,
 * fed in batches as the event source mapping does, writes them into the local results database.
 */
export async function startLambdaServer(
  options: StartLambdaServerOptions = {},
): Promise<RunningLambdaServer> {
  const env = options.env ?? process.env;
  const dist = options.dist ?? DIST;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const echo =
    options.echoLogs === false
      ? undefined
      : (chunk: Buffer, stream: 'stdout' | 'stderr') => void process[stream].write(chunk);
  const runtime = readLambdaRuntimeConfig(env);
  const invokeConfig = readInvokeApiConfig(env);
  const node = resolveNode24(env);
  const stack = await readStackFunctions({ log });
  const region = env.AWS_REGION || REGION_FALLBACK;
  const functionName = invokeConfig.functionName;
  const memorySizeMb = env.FUNCTION_MEMORY_MB ? invokeConfig.memorySizeMb : stack.predict.memorySizeMb;
  const timeoutSeconds = env.FUNCTION_TIMEOUT_SECONDS
    ? invokeConfig.timeoutSeconds
    : stack.predict.timeoutSeconds;
  const concurrency = env.FUNCTION_CONCURRENCY
    ? invokeConfig.concurrencyLimit
    : (stack.predict.reservedConcurrency ?? invokeConfig.concurrencyLimit);

  const cleanup: (() => Promise<void> | void)[] = [];
  const undo = async () => {
    for (const step of cleanup.reverse()) await step();
  };
  try {
    const layouts: FunctionLayout[] = [];
    cleanup.push(() => {
      for (const layout of layouts) removeLayout(layout);
    });
    const predictLayout = await unpackFunction(dist.functionZip('predict'), [dist.layerZip]);
    layouts.push(predictLayout);

    const results = await openLocalResults({
      env,
      logger: new Logger({ serviceName: 'budget-expense-matcher' }),
    });
    cleanup.push(async () => {
      await results.close();
    });
    const recording = readResultsConfig(env).localRecording;

    let queue: LoopbackSqs | undefined;
    let writer: InstancePool | undefined;
    let poller: QueuePoller | undefined;
    if (recording) {
      const writerLayout = await unpackFunction(dist.functionZip('writer'), [dist.layerZip]);
      layouts.push(writerLayout);
      writer = new InstancePool({
        instance: {
          layout: writerLayout,
          node,
          env: lambdaEnvironment({
            functionName: `${functionName}-writer`,
            fn: stack.writer,
            layout: writerLayout,
            region,
            env,
            // In AWS a secret names the database; here its URL does (the socket of the local PGlite one).
            deployTime: {},
            local: { DATABASE_URL: writerDatabaseUrl(env) },
          }),
          ...(echo ? { echo } : {}),
        },
        memorySizeMb: stack.writer.memorySizeMb,
        timeoutSeconds: stack.writer.timeoutSeconds,
        maxInstances: 1,
        idleSeconds: runtime.idleSeconds,
        freeze: runtime.freeze,
        ...(echo ? { echo } : {}),
      });
      const writerPool = writer;
      const writerArn = `arn:aws:lambda:${region}:000000000000:function:${functionName}-writer`;
      const queueArn = `arn:aws:sqs:${region}:000000000000:results`;
      queue = new LoopbackSqs({ onMessages: () => poller?.notify(), delayMs: runtime.sqsDelayMs });
      await queue.start();
      const sqs = queue;
      cleanup.push(() => sqs.stop());
      poller = new QueuePoller({
        queue,
        invoke: (event: SQSEvent) =>
          writerPool.invoke(event, {
            functionName: `${functionName}-writer`,
            functionVersion: '$LATEST',
            invokedFunctionArn: writerArn,
            timeoutSeconds: stack.writer.timeoutSeconds,
            memorySizeMb: stack.writer.memorySizeMb,
          }),
        batchSize: stack.writerEventSource.batchSize,
        batchWindowMs: Math.min(
          runtime.batchWindowMs,
          stack.writerEventSource.maxBatchingWindowSeconds * 1000,
        ),
        queueArn,
        region,
        onError: log,
        ready: untilDatabaseOpen(results),
      });
      cleanup.push(() => writerPool.close());
    }

    const predictEnv = lambdaEnvironment({
      functionName,
      fn: { ...stack.predict, memorySizeMb },
      layout: predictLayout,
      region,
      env,
      deployTime: queue ? { RESULTS_QUEUE_URL: queue.queueUrl } : {},
      local: queue ? { AWS_ENDPOINT_URL_SQS: queue.url } : {},
    });
    const predict = new InstancePool({
      instance: { layout: predictLayout, node, env: predictEnv, ...(echo ? { echo } : {}) },
      memorySizeMb,
      timeoutSeconds,
      maxInstances: concurrency,
      idleSeconds: runtime.idleSeconds,
      freeze: runtime.freeze,
      ...(echo ? { echo } : {}),
    });
    cleanup.push(() => predict.close());
    const gate = new ConcurrencyGate({ limit: concurrency, throttleShare: invokeConfig.throttleShare });
    const run: FunctionRunner = (event, invokeOptions) =>
      predict.invoke(event, { ...invokeOptions, memorySizeMb, timeoutSeconds });

    /** API Gateway's side of an HTTP route: the proxy event in, the function's proxy result out. */
    const gatewayRoute =
      (pool: InstancePool, name: string, limits: { memorySizeMb: number; timeoutSeconds: number }) =>
      async (event: unknown, context?: Partial<Context>): Promise<APIGatewayProxyResult> => {
        let release: () => void;
        try {
          release = gate.enter();
        } catch (error) {
          if (error instanceof ThrottledError) return gatewayReply(429, 'Too Many Requests');
          throw error;
        }
        try {
          const result = await pool.invoke(event, {
            functionName: name,
            functionVersion: invokeConfig.aliasVersion ?? '1',
            invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${name}:live`,
            ...limits,
            ...(context?.awsRequestId ? { requestId: context.awsRequestId } : {}),
          });
          // API Gateway's answers when the integration fails: a function error or a timeout.
          if (result.functionError) return gatewayReply(502, 'Internal server error');
          return JSON.parse(result.payload) as APIGatewayProxyResult;
        } catch (error) {
          if (error instanceof ThrottledError) return gatewayReply(429, 'Too Many Requests');
          throw error;
        } finally {
          release();
        }
      };
    const httpRoute = gatewayRoute(predict, functionName, { memorySizeMb, timeoutSeconds });

    // `/feedback` is the labels function's, as the deployed API routes it (its own zip and instances).
    const functions: Record<string, (event: unknown, context?: Partial<Context>) => Promise<unknown>> = {};
    if (stack.labels && existsSync(dist.functionZip('labels'))) {
      const labelsFn = stack.labels;
      const labelsLayout = await unpackFunction(dist.functionZip('labels'), [dist.layerZip]);
      layouts.push(labelsLayout);
      const labelsPool = new InstancePool({
        instance: {
          layout: labelsLayout,
          node,
          env: lambdaEnvironment({
            functionName: `${functionName}-labels`,
            fn: labelsFn,
            layout: labelsLayout,
            region,
            env,
            deployTime: queue ? { RESULTS_QUEUE_URL: queue.queueUrl } : {},
            local: queue ? { AWS_ENDPOINT_URL_SQS: queue.url } : {},
          }),
          ...(echo ? { echo } : {}),
        },
        memorySizeMb: labelsFn.memorySizeMb,
        timeoutSeconds: labelsFn.timeoutSeconds,
        maxInstances: labelsFn.reservedConcurrency ?? concurrency,
        idleSeconds: runtime.idleSeconds,
        freeze: runtime.freeze,
        ...(echo ? { echo } : {}),
      });
      cleanup.push(() => labelsPool.close());
      functions['/feedback'] = gatewayRoute(labelsPool, `${functionName}-labels`, {
        memorySizeMb: labelsFn.memorySizeMb,
        timeoutSeconds: labelsFn.timeoutSeconds,
      });
    }

    const server = createLocalServer(httpRoute, {
      functionName,
      functions,
      invoke: {
        ...invokeConfig,
        memorySizeMb,
        timeoutSeconds,
        concurrencyLimit: concurrency,
        aliasVersion: invokeConfig.aliasVersion ?? '1',
        echoLogs: options.echoLogs ?? true,
      },
      invokeRuntime: { run, gate },
    });
    const host = env.HOST || '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(env.PORT ?? 3000), host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    const stopPoller = poller;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      server,
      functionName,
      node,
      predict,
      writer,
      queue,
      results,
      stack,
      close: async () => {
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        // The predict instances shut down as Lambda's do (SIGTERM, 500 ms): rows they still hold
        // are sent then or lost (counted in their log); what is queued is written now.
        await predict.close();
        await stopPoller?.drain(10_000);
        stopPoller?.stop();
        await undo();
      },
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

/** API Gateway's own error reply (`{"message": ...}`). */
function gatewayReply(statusCode: number, message: string): APIGatewayProxyResult {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json',
      'x-amzn-ErrorType': statusCode === 429 ? 'TooManyRequestsException' : 'InternalServerErrorException',
    },
    body: JSON.stringify({ message }),
  };
}

/**
 * Resolves once the local results store has its database open (for PGlite: its socket, which the
 * writer connects to, is listening). The loader opens it at a lower CPU priority, which can take
 * seconds on a busy machine; in AWS the database is simply there.
 */
async function untilDatabaseOpen(results: LocalResults): Promise<void> {
  while (results.status().state === 'connecting') await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * The writer's database: the one `DATABASE_URL` names, or the local PGlite database through the
 * Unix socket the local results store serves it on (the writer, like every Lambda bundle, has
 * no PGlite in it).
 */
function writerDatabaseUrl(env: NodeJS.ProcessEnv): string {
  const source = resultsDatabaseSource(env);
  if (source.kind === 'url') return source.url;
  if (source.kind === 'secret')
    throw new Error(
      'configuration DATABASE_SECRET_ARN: start:lambda needs DATABASE_URL or the local PGlite database',
    );
  return `postgres://postgres@localhost/postgres?host=${encodeURIComponent(source.dir)}`;
}
