import { randomUUID } from 'node:crypto';
import type { ClientContext, Context } from 'aws-lambda';
import { captureLogs } from './capture-logs';
import { InvocationLog, type LogEcho } from './invocation-log';
import { createLambdaContext } from './lambda-context';

/** A Lambda handler as Lambda calls it: any result, synchronous or a promise. */
export type InvokeHandler = (event: unknown, context: Context) => unknown;

/** Lambda's limit on a synchronous invocation's response, in bytes (not the request's 6,291,456). */
export const MAX_RESPONSE_BYTES = 6_291_556;

/** Which function an invocation runs as, and under what limits. */
export interface InvokeOptions {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  /** @default a new UUID */
  readonly requestId?: string;
  readonly clientContext?: ClientContext;
  /** Where log lines go besides the invocation's own log, as they are written. */
  readonly echo?: LogEcho;
}

/** How an invocation ended, in the terms of Lambda's Invoke reply. */
export interface InvocationResult {
  readonly requestId: string;
  readonly outcome: 'success' | 'error' | 'timeout';
  /** The reply body: the handler's result as JSON, or Lambda's `{ errorType, errorMessage }`. */
  readonly payload: string;
  /** `Unhandled` when the function failed (threw, timed out, or returned what cannot be sent). */
  readonly functionError: 'Unhandled' | undefined;
  readonly log: InvocationLog;
  readonly durationMs: number;
  /** Resolves once the log is complete (REPORT written), when that comes after the reply (extensions). */
  readonly complete?: Promise<unknown>;
}

type Settled = { kind: 'ok'; value: unknown } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

/**
 * Runs one invocation the way the Lambda runtime does: a context with a deadline, the handler's
 * output captured into this invocation's log between START and END/REPORT lines, a thrown error
 * or a timeout turned into Lambda's `Unhandled` reply, and the response size limit applied.
 *
 * A handler that runs past the timeout cannot be stopped in-process: its reply is ignored and
 * later log lines are dropped, but its work goes on in the background.
 */
export async function invokeFunction(
  handler: InvokeHandler,
  event: unknown,
  options: InvokeOptions,
): Promise<InvocationResult> {
  const requestId = options.requestId ?? randomUUID();
  const log = new InvocationLog({ requestId, ...(options.echo === undefined ? {} : { echo: options.echo }) });
  const timeoutMs = options.timeoutSeconds * 1000;
  const started = performance.now();
  log.line(`START RequestId: ${requestId} Version: ${options.functionVersion}`);

  let settleEarly: (settled: Settled) => void = () => {};
  const early = new Promise<Settled>((resolve) => {
    settleEarly = resolve;
  });
  const context = createLambdaContext({
    awsRequestId: requestId,
    functionName: options.functionName,
    functionVersion: options.functionVersion,
    invokedFunctionArn: options.invokedFunctionArn,
    memorySizeMb: options.memorySizeMb,
    deadlineMs: Date.now() + timeoutMs,
    ...(options.clientContext === undefined ? {} : { clientContext: options.clientContext }),
    settle: (error, value) => settleEarly(error ? { kind: 'error', error } : { kind: 'ok', value }),
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
  });
  const run = captureLogs(log, () => Promise.resolve().then(() => handler(event, context))).then(
    (value): Settled => ({ kind: 'ok', value }),
    (error: unknown): Settled => ({ kind: 'error', error }),
  );
  const settled = await Promise.race([run, early, timeout]);
  clearTimeout(timer);

  const reply = toReply(settled, requestId, options.timeoutSeconds, log);
  const durationMs = performance.now() - started;
  log.line(`END RequestId: ${requestId}`);
  log.line(reportLine(requestId, durationMs, options.memorySizeMb, reply.outcome));
  log.close();
  return { requestId, ...reply, log, durationMs };
}

function toReply(
  settled: Settled,
  requestId: string,
  timeoutSeconds: number,
  log: InvocationLog,
): Pick<InvocationResult, 'outcome' | 'payload' | 'functionError'> {
  if (settled.kind === 'timeout') {
    const message = `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
    log.line(`${new Date().toISOString()} ${requestId} ${message}`);
    return failed('timeout', 'Sandbox.Timedout', `RequestId: ${requestId} Error: ${message}`);
  }
  if (settled.kind === 'error') {
    const { errorType, errorMessage, stack } = describe(settled.error);
    // The stack goes to the function's log, as Lambda writes it; the reply carries no internals.
    log.line(
      `${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify({ errorType, errorMessage, stack })}`,
      'stderr',
    );
    return failed('error', errorType, errorMessage);
  }
  let payload: string;
  try {
    payload = JSON.stringify(settled.value) ?? 'null';
  } catch (error) {
    const { errorMessage } = describe(error);
    return failed('error', 'Runtime.MarshalError', `Unable to marshal response: ${errorMessage}`);
  }
  if (Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
    return failed(
      'error',
      'Function.ResponseSizeTooLarge',
      `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    );
  }
  return { outcome: 'success', payload, functionError: undefined };
}

function failed(outcome: 'error' | 'timeout', errorType: string, errorMessage: string) {
  return {
    outcome,
    payload: JSON.stringify({ errorType, errorMessage }),
    functionError: 'Unhandled' as const,
  };
}

function describe(error: unknown): { errorType: string; errorMessage: string; stack: string[] } {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, stack: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), stack: [] };
}

function reportLine(requestId: string, durationMs: number, memorySizeMb: number, outcome: string): string {
  const maxUsedMb = Math.round(process.memoryUsage.rss() / (1024 * 1024));
  const fields = [
    `REPORT RequestId: ${requestId}`,
    `Duration: ${durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.ceil(durationMs)} ms`,
    `Memory Size: ${memorySizeMb} MB`,
    // The whole local server's resident memory: in-process, there is no per-invocation figure.
    `Max Memory Used: ${maxUsedMb} MB`,
  ];
  if (outcome === 'timeout') fields.push('Status: timeout');
  return `${fields.join('\t')}\t`;
}
