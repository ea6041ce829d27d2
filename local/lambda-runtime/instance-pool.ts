import { randomUUID } from 'node:crypto';
import type { ClientContext } from 'aws-lambda';
import {
  InvocationLog,
  type InvocationLog as InvocationLogType,
  type InvocationResult,
  type InvokeOptions,
  type LogEcho,
  MAX_RESPONSE_BYTES,
  ThrottledError,
} from '../invoke';
import { FunctionInstance, InitError, type InstanceOutcome, type InstanceSpec } from './function-instance';

/** One function's instances and the limits Lambda holds them to. */
export interface InstancePoolOptions {
  /** How an instance starts (layout, environment, Node). */
  readonly instance: InstanceSpec;
  /** The memory size: an instance whose resident memory passes it is ended (`Runtime.OutOfMemory`). */
  readonly memorySizeMb: number;
  /** An invocation running longer ends its instance (`Sandbox.Timedout`). */
  readonly timeoutSeconds: number;
  /** Most instances at once (the function's concurrency); one more call is throttled. */
  readonly maxInstances: number;
  /** An instance idle this long is ended; the next call starts a new one (a cold start). */
  readonly idleSeconds: number;
  /** How often a busy instance's memory is read. @default 50 */
  readonly memoryPollMs?: number;
  /** Where each invocation's log lines go as they are written (the terminal). */
  readonly echo?: LogEcho;
  /**
   * Freeze an instance between invocations (`SIGSTOP` once the runtime and every extension are
   * done, `SIGCONT` with the next invocation), as Lambda does: background work waits for the next
   * invocation. Off by default: it costs each warm call (`npm run bench:invoke`, the frozen
   * row). @default false
   */
  readonly freeze?: boolean;
}

/** An invocation's outcome, with the figures its REPORT line gives. */
export interface PoolInvocationResult extends InvocationResult {
  /** Set on an instance's first invocation: the time its init took. */
  readonly initDurationMs?: number;
  /** The instance's peak resident memory, in MB, as REPORT's `Max Memory Used` (final once `complete`). */
  readonly maxMemoryUsedMb: number;
  /** The runtime's part of the invocation, ms (up to its response). */
  readonly runtimeDurationMs?: number;
  /**
   * Set when extensions run after the response: resolves once they have all called `next`, the
   * REPORT line is written and the instance is free again (Lambda's post-runtime phase).
   */
  readonly complete?: Promise<PostRuntime>;
}

/** What the invocation's post-runtime phase (extensions after the response) took. */
export interface PostRuntime {
  /** Lambda's `PostRuntimeExtensionsDuration`, ms. */
  readonly postRuntimeExtensionsDurationMs: number;
  /** REPORT's `Duration`: the whole invoke phase, runtime and extensions, ms. */
  readonly durationMs: number;
  readonly maxMemoryUsedMb: number;
}

/** How many instances a pool has started and ended, and why. */
export interface PoolStats {
  readonly instances: number;
  readonly busy: number;
  readonly started: number;
  readonly ended: Readonly<Record<'idle' | 'timeout' | 'memory' | 'exit' | 'init' | 'closed', number>>;
}

type Ending = keyof PoolStats['ended'];
const MB = 1024 * 1024;

/**
 * The instances of one function, run as Lambda runs them: an idle instance is reused (warm),
 * a call finding all busy starts a new one (cold, its init timed as `Init Duration`) up to
 * `maxInstances`, past which it is throttled; an instance past its memory size or timeout is
 * killed and its caller gets Lambda's error for it; an idle one is ended after `idleSeconds`, and
 * with `freeze` frozen until its next invocation.
 */
export class InstancePool {
  private readonly instances = new Set<FunctionInstance>();
  private starting = 0;
  private started = 0;
  private readonly ended: Record<Ending, number> = {
    idle: 0,
    timeout: 0,
    memory: 0,
    exit: 0,
    init: 0,
    closed: 0,
  };
  private readonly reaper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: InstancePoolOptions) {
    const idleMs = options.idleSeconds * 1000;
    this.reaper = setInterval(() => this.reap(idleMs), Math.min(idleMs, 1000));
    this.reaper.unref();
  }

  /** The process ids of the instances alive (benchmarks read their CPU time). */
  pids(): number[] {
    return [...this.instances].flatMap((i) => (i.alive && i.pid !== undefined ? [i.pid] : []));
  }

  stats(): PoolStats {
    return {
      instances: this.instances.size,
      busy: [...this.instances].filter((i) => i.busy).length,
      started: this.started,
      ended: { ...this.ended },
    };
  }

  /**
   * Runs one invocation on an instance, started if none is idle.
   * @throws ThrottledError when `maxInstances` instances are busy or starting
   */
  async invoke(event: unknown, options: InvokeOptions): Promise<PoolInvocationResult> {
    if (this.closed) throw new Error('the function is shut down');
    const requestId = options.requestId ?? randomUUID();
    const log = new InvocationLog({ requestId, ...(this.options.echo ? { echo: this.options.echo } : {}) });
    const idle = this.takeIdle();
    let instance: FunctionInstance;
    const started = performance.now();
    if (idle) {
      instance = idle;
    } else {
      if (this.instances.size + this.starting >= this.options.maxInstances)
        throw new ThrottledError('ReservedFunctionConcurrentInvocationLimitExceeded');
      this.starting++;
      try {
        instance = await FunctionInstance.start(this.options.instance);
        this.started++;
      } catch (error) {
        this.ended.init++;
        return this.initFailed(error, requestId, options, log, performance.now() - started);
      } finally {
        this.starting--;
      }
      instance.busy = true;
      this.instances.add(instance);
      if (this.closed) instance.kill();
    }
    const release = () => {
      instance.busy = false;
      instance.lastUsed = Date.now();
      if (!instance.alive) this.instances.delete(instance);
      else if (this.options.freeze) instance.freeze();
    };
    let result: PoolInvocationResult;
    try {
      result = await this.run(instance, event, requestId, options, log);
    } catch (error) {
      release();
      throw error;
    }
    // The caller has its reply; the instance stays busy until its extensions are done.
    if (result.complete) void result.complete.then(release);
    else release();
    return result;
  }

  /**
   * Ends every instance: as Lambda shuts environments down (`SIGTERM` first when extensions are
   * registered, `SIGKILL` 500 ms later), after any invocation still in its post-runtime phase.
   * Resolves once every process has exited.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    await Promise.all(
      [...this.instances].map(async (instance) => {
        await waitFor(instance.extensionsDone(), 5000);
        if (!instance.alive) return;
        this.ended.closed++;
        await instance.shutdown();
        this.instances.delete(instance);
      }),
    );
  }

  private takeIdle(): FunctionInstance | undefined {
    // The most recently used first, as Lambda routes to warm environments: the others can go idle and be reaped.
    let best: FunctionInstance | undefined;
    for (const instance of this.instances) {
      if (!instance.busy && instance.alive && (best === undefined || instance.lastUsed > best.lastUsed))
        best = instance;
    }
    if (best) best.busy = true;
    return best;
  }

  private end(instance: FunctionInstance, why: Ending, reason?: string): void {
    if (!instance.alive) return;
    this.ended[why]++;
    // An idle environment is shut down (SIGTERM first when it has extensions); a broken limit kills it.
    if (why === 'idle' && reason === undefined) void instance.shutdown();
    else instance.kill(reason);
    if (!instance.busy) this.instances.delete(instance);
  }

  private reap(idleMs: number): void {
    const now = Date.now();
    for (const instance of this.instances) {
      if (!instance.alive) this.instances.delete(instance);
      else if (!instance.busy && now - instance.lastUsed >= idleMs) this.end(instance, 'idle');
    }
  }

  private async run(
    instance: FunctionInstance,
    event: unknown,
    requestId: string,
    options: InvokeOptions,
    log: InvocationLogType,
  ): Promise<PoolInvocationResult> {
    const { memorySizeMb, timeoutSeconds } = this.options;
    const limitBytes = memorySizeMb * MB;
    const initDurationMs = instance.invoked ? undefined : instance.initDurationMs;
    instance.invoked = true;
    log.line(`START RequestId: ${requestId} Version: ${options.functionVersion}`);
    const started = performance.now();
    let ending: 'timeout' | 'memory' | undefined;
    let peakBytes = 0;
    const watch = () => {
      const memory = instance.memory();
      if (memory === undefined) return;
      peakBytes = Math.max(peakBytes, memory.peakBytes, memory.rssBytes);
      if (memory.rssBytes > limitBytes && ending === undefined) {
        ending = 'memory';
        this.end(instance, 'memory');
      }
    };
    const poll = setInterval(watch, this.options.memoryPollMs ?? 50);
    const timer = setTimeout(() => {
      if (ending !== undefined) return;
      ending = 'timeout';
      this.end(instance, 'timeout');
    }, timeoutSeconds * 1000);
    const context = {
      awsRequestId: requestId,
      functionVersion: options.functionVersion,
      invokedFunctionArn: options.invokedFunctionArn,
      deadlineMs: Date.now() + timeoutSeconds * 1000,
      ...(options.clientContext === undefined
        ? {}
        : { clientContext: options.clientContext as ClientContext }),
    };
    let outcome: InstanceOutcome;
    try {
      outcome = await instance.invoke(event, context, (stream, text) =>
        log.write(Buffer.from(text, 'utf8'), stream),
      );
    } catch (error) {
      clearInterval(poll);
      clearTimeout(timer);
      throw error;
    }
    const runtimeDurationMs = performance.now() - started;
    if (instance.alive) watch();
    // Lambda ends an environment the moment it passes its memory; a peak between two reads counts too.
    if (ending === undefined && peakBytes > limitBytes) {
      ending = 'memory';
      this.end(instance, 'memory');
      outcome = { kind: 'exit', reason: 'signal: killed' };
    }
    // Crashed, or ending after an uncaught error it answered with (its process exits next).
    if (ending === undefined && (outcome.kind === 'exit' || instance.endingOnError)) this.ended.exit++;
    const reply = toReply(outcome, ending, requestId, timeoutSeconds, log);
    /** The end of the invoke phase: END and REPORT, once the runtime and every extension are done. */
    const finish = (readJustNow = false): PostRuntime => {
      clearInterval(poll);
      clearTimeout(timer);
      const durationMs = performance.now() - started;
      // Read again after the post-runtime phase (the extensions' work counts); not when nothing
      // ran since the read above (no extensions): each read of /proc/<pid>/status costs the
      // server tens of µs a call (profile of start:lambda).
      if (instance.alive && !readJustNow) watch();
      if (ending === undefined && peakBytes > limitBytes) {
        ending = 'memory';
        this.end(instance, 'memory');
      }
      // Past the response the caller has its reply; a limit hit now shows in REPORT only.
      const status =
        reply.status.status === undefined && ending !== undefined
          ? ending === 'timeout'
            ? { status: 'timeout' as const }
            : { status: 'error' as const, errorType: 'Runtime.OutOfMemory' }
          : reply.status;
      const maxMemoryUsedMb = Math.ceil(peakBytes / MB);
      log.line(`END RequestId: ${requestId}`);
      log.line(
        reportLine({ requestId, durationMs, memorySizeMb, maxMemoryUsedMb, initDurationMs, ...status }),
      );
      log.close();
      return { postRuntimeExtensionsDurationMs: durationMs - runtimeDurationMs, durationMs, maxMemoryUsedMb };
    };
    const base = {
      requestId,
      outcome: reply.outcome,
      payload: reply.payload,
      functionError: reply.functionError,
      log,
      runtimeDurationMs,
      ...(initDurationMs === undefined ? {} : { initDurationMs }),
    };
    if (instance.extensionCount === 0 || !instance.alive) {
      const done = finish(true);
      return { ...base, durationMs: done.durationMs, maxMemoryUsedMb: done.maxMemoryUsedMb };
    }
    const complete = instance.extensionsDone().then(() => finish());
    return { ...base, durationMs: runtimeDurationMs, maxMemoryUsedMb: Math.ceil(peakBytes / MB), complete };
  }

  private initFailed(
    error: unknown,
    requestId: string,
    options: InvokeOptions,
    log: InvocationLogType,
    initDurationMs: number,
  ): PoolInvocationResult {
    const errorType = error instanceof InitError ? error.errorType : 'Runtime.Unknown';
    const errorMessage = error instanceof Error ? error.message : String(error);
    log.line(
      `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${errorType}`,
    );
    log.line(`START RequestId: ${requestId} Version: ${options.functionVersion}`);
    log.line(`END RequestId: ${requestId}`);
    log.line(
      reportLine({
        requestId,
        durationMs: 0,
        memorySizeMb: this.options.memorySizeMb,
        maxMemoryUsedMb: 0,
        initDurationMs,
        status: 'error',
        errorType,
      }),
    );
    log.close();
    return {
      requestId,
      outcome: 'error',
      payload: JSON.stringify({ errorType, errorMessage }),
      functionError: 'Unhandled',
      log,
      durationMs: 0,
      maxMemoryUsedMb: 0,
      initDurationMs,
    };
  }
}

/** Resolves when `done` settles or after `ms`, whichever is first. */
async function waitFor(done: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

interface Reply {
  readonly outcome: InvocationResult['outcome'];
  readonly payload: string;
  readonly functionError: 'Unhandled' | undefined;
  readonly status: { status?: 'timeout' | 'error'; errorType?: string };
}

/** Lambda's reply for each way an invocation ends (its `errorType`s and messages). */
function toReply(
  outcome: InstanceOutcome,
  ending: 'timeout' | 'memory' | undefined,
  requestId: string,
  timeoutSeconds: number,
  log: InvocationLogType,
): Reply {
  const failed = (errorType: string, errorMessage: string, status: Reply['status']): Reply => ({
    outcome: status.status === 'timeout' ? 'timeout' : 'error',
    payload: JSON.stringify({ errorType, errorMessage }),
    functionError: 'Unhandled',
    status,
  });
  if (ending === 'timeout') {
    const message = `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
    log.line(`${new Date().toISOString()} ${requestId} ${message}`);
    return failed('Sandbox.Timedout', `RequestId: ${requestId} Error: ${message}`, { status: 'timeout' });
  }
  if (ending === 'memory') {
    return failed(
      'Runtime.OutOfMemory',
      `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
      {
        status: 'error',
        errorType: 'Runtime.OutOfMemory',
      },
    );
  }
  if (outcome.kind === 'exit') {
    return failed(
      'Runtime.ExitError',
      `RequestId: ${requestId} Error: Runtime exited with error: ${outcome.reason}`,
      {
        status: 'error',
        errorType: 'Runtime.ExitError',
      },
    );
  }
  if (outcome.kind === 'error') return failed(outcome.errorType, outcome.errorMessage, {});
  if (Buffer.byteLength(outcome.payload) > MAX_RESPONSE_BYTES) {
    return failed(
      'Function.ResponseSizeTooLarge',
      `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
      {},
    );
  }
  return { outcome: 'success', payload: outcome.payload, functionError: undefined, status: {} };
}

/** The REPORT line, with Lambda's fields in Lambda's order. */
export function reportLine(r: {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number | undefined;
  status?: 'timeout' | 'error' | undefined;
  errorType?: string | undefined;
}): string {
  const fields = [
    `REPORT RequestId: ${r.requestId}`,
    `Duration: ${r.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.ceil(r.durationMs + (r.initDurationMs ?? 0))} ms`,
    `Memory Size: ${r.memorySizeMb} MB`,
    `Max Memory Used: ${r.maxMemoryUsedMb} MB`,
  ];
  if (r.initDurationMs !== undefined) fields.push(`Init Duration: ${r.initDurationMs.toFixed(2)} ms`);
  if (r.status) fields.push(`Status: ${r.status}`);
  if (r.errorType) fields.push(`Error Type: ${r.errorType}`);
  return `${fields.join('\t')}\t`;
}
