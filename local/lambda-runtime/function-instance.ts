import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ClientContext } from 'aws-lambda';
import type { LogEcho } from '../invoke';
import { ExtensionsApi } from './extensions-api';
import type { FunctionLayout } from './unpack-function';

/** What starts an instance: the unpacked function, its environment and the Node to run it on. */
export interface InstanceSpec {
  readonly layout: FunctionLayout;
  /** The whole environment of the process (Lambda's variables and the function's own). */
  readonly env: Readonly<Record<string, string>>;
  /** The Node binary (Lambda's major version). */
  readonly node: string;
  /** Where output written outside any invocation (init, after a reply) goes. */
  readonly echo?: LogEcho;
  /**
   * Serve the Extensions API (`AWS_LAMBDA_RUNTIME_API`) for internal extensions, as Lambda does
   * for every function. @default true
   */
  readonly extensionsApi?: boolean;
  /** The size at which the runtime goes on in a new log file (tests set a small one). @default 1 MiB */
  readonly logFileBytes?: number;
}

/** The invocation's identity, as the context carries it. */
export interface InstanceInvocation {
  readonly awsRequestId: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly deadlineMs: number;
  readonly clientContext?: ClientContext;
}

/** How one invocation on an instance ended. */
export type InstanceOutcome =
  | { readonly kind: 'ok'; readonly payload: string }
  | { readonly kind: 'error'; readonly errorType: string; readonly errorMessage: string }
  /** The process ended (crashed, or was killed for a limit) before answering. */
  | { readonly kind: 'exit'; readonly reason: string };

type ChildMessage =
  | { type: 'ready' }
  | { type: 'init-error'; errorType: string; errorMessage: string }
  | {
      type: 'log';
      id: number;
      tag: 'o' | 'e';
      text: string;
      logEnd: number;
      logPath?: string;
      error?: string;
    }
  | ({ type: 'result'; id: number; logEnd: number; logPath?: string; exiting?: number } & (
      | { ok: true; payload: string }
      | { ok: false; errorType: string; errorMessage: string }
    ));

/** The file an instance's invocations write their output to (`runtime-loop.cjs` says why a file). */
interface LogFile {
  /** The file the server made; the runtime's next files are `<base>+1`, `<base>+2`, ... */
  readonly base: string;
  /** How many switches were followed from `base` to `path`. */
  readonly switches: number;
  readonly path: string;
  /** -1 while a file the runtime switched to is not open yet (tried again at each read). */
  fd: number;
  /** Bytes read (and handed on) so far: always the end of a whole record. */
  read: number;
  /**
   * Set when a write to the file failed or was short (a full disk), or the file could not be
   * made: the end of its last whole record, past which nothing is read. The rest of the
   * invocation's output comes over IPC; the next invocation gets a new file.
   */
  failedAt?: number;
}

// Once this much of a log file has been read, the next invocation gets a new file (a file is
// never truncated under its writer); the runtime goes on in a new file once it has written this
// much to one during an invocation; how often an invocation's output is read while it runs.
const LOG_FILE_BYTES = 1024 * 1024;
const LOG_POLL_MS = 50;

// A process's /proc status file is about 1.5 KB; the two fields read are in its first half.
const STATUS_BUFFER = Buffer.alloc(8192);
const VM_RSS = /^VmRSS:\s+(\d+) kB/m;
const VM_HWM = /^VmHWM:\s+(\d+) kB/m;

/**
 * The instances frozen now (stopped between invocations, {@link FunctionInstance.freeze}): thawed if this process exits with them stopped (an exit that did not
 * shut the pools down), so that each sees its IPC channel close and ends, as it does when not
 * frozen. Node runs no exit hook when a signal it does not handle ends the process (SIGKILL,
 * SIGHUP, an abort): the frozen instances then stay stopped, unless the kernel ends them (in a
 * terminal, a process group left with stopped members is sent SIGHUP and SIGCONT).
 */
const frozenInstances = new Set<FunctionInstance>();
let thawOnExit = false;
function thawFrozenOnExit(): void {
  if (thawOnExit) return;
  thawOnExit = true;
  process.once('exit', () => {
    for (const instance of frozenInstances) {
      try {
        if (instance.pid !== undefined) process.kill(instance.pid, 'SIGCONT');
      } catch {}
    }
  });
}

/** The function could not be initialised (its module did not load or threw). */
export class InitError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'InitError';
  }
}

/**
 * One execution environment: a Node process running `runtime-loop.cjs`, which loads the
 * function's handler once (init) and then runs one invocation at a time, as a Lambda instance does.
 * Its memory is its own process's, read from `/proc` (Linux), so `Max Memory Used` and the memory
 * limit concern this instance alone.
 */
export class FunctionInstance {
  /** Milliseconds from the process's start to the handler's module being loaded: Lambda's `Init Duration`. */
  initDurationMs = 0;
  /** Whether an invocation has been reported yet (the first one's REPORT carries `Init Duration`). */
  invoked = false;
  busy = false;
  lastUsed = Date.now();
  private exited = false;
  private statusFd: number | undefined;
  private killed = false;
  /** Set when an invocation ended with an uncaught error: its process exits after that reply. */
  endingOnError = false;
  private exitReason = '';
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private readonly logDir: string;
  private readonly logFileBytes: number;
  private readonly echo: LogEcho | undefined;
  private logFailureSaid = false;
  private log: LogFile | undefined;
  private logPoll: NodeJS.Timeout | undefined;
  private nextId = 0;
  private pending:
    | {
        id: number;
        onLog: (stream: 'stdout' | 'stderr', text: string) => void;
        done: (o: InstanceOutcome) => void;
      }
    | undefined;

  private constructor(
    spec: InstanceSpec,
    private readonly extensions: ExtensionsApi | undefined,
  ) {
    const started = performance.now();
    this.logDir = spec.layout.root;
    this.logFileBytes = spec.logFileBytes ?? LOG_FILE_BYTES;
    this.child = fork(spec.layout.runtimeLoop, [], {
      execPath: spec.node,
      // The runtime's flags stay the runtime's: nothing of the parent's (tsx loaders, inspector) passes.
      execArgv: [],
      cwd: spec.layout.taskRoot,
      env: extensions ? { ...spec.env, AWS_LAMBDA_RUNTIME_API: extensions.address } : spec.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const echo = spec.echo;
    this.echo = echo;
    this.child.stdout?.on('data', (chunk: Buffer) => echo?.(chunk, 'stdout'));
    this.child.stderr?.on('data', (chunk: Buffer) => echo?.(chunk, 'stderr'));
    this.ready = new Promise<void>((resolve, reject) => {
      this.child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') {
          // The runtime asks for its first invocation: registration closes, and init ends once
          // every extension registered has called `next` too.
          extensions?.closeRegistration();
          void (extensions?.untilIdle() ?? Promise.resolve()).then(() => {
            this.initDurationMs = performance.now() - started;
            resolve();
          });
        } else if (message.type === 'init-error') {
          reject(new InitError(message.errorType, message.errorMessage));
        } else if (message.type === 'log' && this.pending?.id === message.id) {
          this.logOverIpc(message);
        } else if (message.type === 'result' && this.pending?.id === message.id) {
          // An uncaught error: the process exits once this is sent; no invocation may follow.
          if (message.exiting !== undefined) {
            this.killed = true;
            this.endingOnError = true;
            this.exitReason = `exit status ${message.exiting}`;
          }
          this.readLog(message.logEnd, message.logPath);
          this.checkLogFollowed(message.logPath);
          this.stopLogPoll();
          const { done } = this.pending;
          this.pending = undefined;
          done(
            message.ok
              ? { kind: 'ok', payload: message.payload }
              : { kind: 'error', errorType: message.errorType, errorMessage: message.errorMessage },
          );
        }
      });
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        frozenInstances.delete(this);
        this.closeStatus();
        void extensions?.stop();
        this.exitReason ||= signal
          ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}`
          : `exit status ${code}`;
        reject(new InitError('Runtime.ExitError', `Runtime exited with error: ${this.exitReason}`));
        // What the invocation wrote before the process ended (killed for a limit, or crashed)
        // is in the file: its log keeps it, as Lambda's does.
        this.readLog();
        this.stopLogPoll();
        const pending = this.pending;
        this.pending = undefined;
        this.closeLog(true);
        pending?.done({ kind: 'exit', reason: this.exitReason });
      });
      this.child.on('error', (error) => reject(new InitError('Runtime.ExitError', error.message)));
    });
    // Rejections are read by start(); this keeps a late one from being reported as unhandled.
    this.ready.catch(() => {});
  }

  /** Starts an instance and waits for its init to end. @throws InitError when the function cannot initialise */
  static async start(spec: InstanceSpec): Promise<FunctionInstance> {
    let extensions: ExtensionsApi | undefined;
    if (spec.extensionsApi !== false) {
      extensions = new ExtensionsApi(
        {
          functionName: spec.env.AWS_LAMBDA_FUNCTION_NAME ?? '',
          functionVersion: spec.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
          handler: spec.env._HANDLER ?? '',
        },
        (message) => spec.echo?.(Buffer.from(`${message}\n`), 'stderr'),
      );
      await extensions.start();
    }
    const instance = new FunctionInstance(spec, extensions);
    try {
      await instance.ready;
    } catch (error) {
      instance.kill();
      throw error;
    }
    return instance;
  }

  /** Whether it can take an invocation: not ended, nor being ended. */
  get alive(): boolean {
    return !this.exited && !this.killed;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs one invocation; `onLog` gets what the function writes meanwhile, in order. */
  invoke(
    event: unknown,
    context: InstanceInvocation,
    onLog: (stream: 'stdout' | 'stderr', text: string) => void,
  ): Promise<InstanceOutcome> {
    if (this.exited) return Promise.resolve({ kind: 'exit', reason: this.exitReason });
    const id = ++this.nextId;
    if (this.log === undefined || this.log.read >= this.logFileBytes || this.log.failedAt !== undefined)
      this.newLogFile();
    const log = (this.log as LogFile).path;
    return new Promise((resolve) => {
      this.pending = { id, onLog, done: resolve };
      this.logPoll = setInterval(() => this.readLog(), LOG_POLL_MS);
      // Lambda hands the event to the runtime and the extensions together; the runtime's goes
      // first here, so that the process wakes once for both rather than for the extension's event
      // first (each wake of a sleeping process cost about 1.5 ms on a loaded machine: profile of
      // `npm run bench:invoke`, the parent preempted inside the first write).
      this.child.send({ type: 'invoke', id, event, context, log, logLimit: this.logFileBytes });
      // Thawed once the message is on its way. Timers that came due while it was frozen run first
      // (its event-loop wait returns EINTR on the thaw, and expired timers run before it polls
      // for the event again): their lines carry the last request id, and an error they throw
      // ends the instance, failing this invocation with Runtime.ExitError.
      this.thaw();
      this.extensions?.dispatchInvoke({
        eventType: 'INVOKE',
        deadlineMs: context.deadlineMs,
        requestId: context.awsRequestId,
        invokedFunctionArn: context.invokedFunctionArn,
        tracing: { type: 'X-Amzn-Trace-Id', value: '' },
      });
    });
  }

  /**
   * Stops the process (`SIGSTOP`) between invocations, as Lambda freezes an environment once the
   * runtime and every extension have called `next`: its timers, intervals and other background
   * work do not run until the next invocation thaws it ({@link invoke}). Its memory stays;
   * `shutdown` thaws it before `SIGTERM` (a `SIGKILL` needs no thaw). Does nothing once it is ending.
   */
  freeze(): void {
    if (frozenInstances.has(this) || !this.alive || this.child.pid === undefined) return;
    try {
      process.kill(this.child.pid, 'SIGSTOP');
      frozenInstances.add(this);
      thawFrozenOnExit();
    } catch {}
  }

  /** Lets a frozen process run again (`SIGCONT`). */
  private thaw(): void {
    if (!frozenInstances.delete(this)) return;
    if (this.exited || this.child.pid === undefined) return;
    try {
      process.kill(this.child.pid, 'SIGCONT');
    } catch {}
  }

  /** How many internal extensions registered during init. */
  get extensionCount(): number {
    return this.extensions?.registered ?? 0;
  }

  /**
   * Resolves once every extension has called `next` after the current invocation (at once when
   * none registered, or the process ended): the end of the invocation's post-runtime phase.
   */
  extensionsDone(): Promise<void> {
    return this.extensions?.untilIdle() ?? Promise.resolve();
  }

  /**
   * Ends the process as Lambda shuts an environment down: `SIGTERM` when extensions are
   * registered (the runtime may write what it holds), `SIGKILL` after `graceMs` (Lambda's 500 ms
   * with an internal extension) or at once when there are none. Resolves once it has exited.
   */
  async shutdown(graceMs = 500): Promise<void> {
    if (this.exited) return;
    if (this.extensionCount === 0 || this.killed) {
      this.kill();
    } else {
      this.killed = true;
      this.exitReason = 'signal: terminated';
      // Lambda thaws an environment to shut it down: a stopped process would not see SIGTERM.
      this.thaw();
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      clearTimeout(timer);
      return;
    }
    if (!this.exited) await new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
  }

  /** Ends the process at once (SIGKILL, as Lambda ends an environment), saying why. */
  kill(reason = 'signal: killed'): void {
    if (this.exited || this.killed) return;
    this.killed = true;
    this.exitReason = reason;
    this.child.kill('SIGKILL');
  }

  /**
   * Resident and peak resident memory of the process, in bytes (Linux `/proc`; undefined
   * elsewhere). Read after every invocation (REPORT's `Max Memory Used`): the status file is kept
   * open and read again from its start, as opening it for each read cost about 50 µs of a 0.5 ms
   * warm invocation (profile of `start:lambda`).
   */
  memory(): { rssBytes: number; peakBytes: number } | undefined {
    if (this.exited || this.child.pid === undefined) return undefined;
    try {
      this.statusFd ??= openSync(`/proc/${this.child.pid}/status`, 'r');
      const length = readSync(this.statusFd, STATUS_BUFFER, 0, STATUS_BUFFER.length, 0);
      const status = STATUS_BUFFER.toString('latin1', 0, length);
      const kb = (pattern: RegExp) => Number(pattern.exec(status)?.[1] ?? 0);
      return { rssBytes: kb(VM_RSS) * 1024, peakBytes: kb(VM_HWM) * 1024 };
    } catch {
      return undefined;
    }
  }

  /**
   * Hands the current invocation's output in the log file on to its `onLog`, up to `end` in the
   * file `endPath` (the result's `logEnd` and `logPath`) or to what the files hold now; a record
   * not yet written whole waits. A switch record (`runtime-loop.cjs`: the file reached its limit)
   * ends a file: the file is deleted and reading goes on in the next one, whose name the server
   * works out itself (`<base>+<n>`); a switch record naming anything else is not followed.
   */
  private readLog(end?: number, endPath?: string): void {
    for (;;) {
      const log = this.log;
      if (log === undefined || log.path === '') return;
      if (log.fd < 0 && !this.openLog(log)) return;
      // An end in a later file: this one is read to its end, which is its switch record.
      const until = end !== undefined && (endPath === undefined || endPath === log.path) ? end : undefined;
      let size: number;
      let got: number;
      let bytes: Buffer;
      try {
        size = Math.min(until ?? fstatSync(log.fd).size, log.failedAt ?? Number.POSITIVE_INFINITY);
        if (size <= log.read) return;
        bytes = Buffer.allocUnsafe(size - log.read);
        got = readSync(log.fd, bytes, 0, bytes.length, log.read);
      } catch {
        return;
      }
      const pending = this.pending;
      let at = 0;
      let switched = false;
      for (;;) {
        const newline = bytes.indexOf(10, at);
        if (newline < 0 || newline >= got) break;
        const [id, tag, length] = bytes.toString('latin1', at, newline).split(' ');
        const next = newline + 1 + Number(length);
        if (!(next <= got)) break;
        if (tag === 's') {
          const expected = `${log.base}+${log.switches + 1}`;
          if (bytes.toString('utf8', newline + 1, next) !== expected) {
            // Not the runtime's (the function wrote to the file itself): nothing past it is read.
            log.read += at;
            log.failedAt = log.read;
            this.sayLogFailure(
              "an instance's log file has a switch record naming a file the runtime would not have made; the rest of the invocation's output is missing, and the next invocation gets a new file",
            );
            return;
          }
          at = next;
          switched = true;
          break;
        }
        if (pending !== undefined && Number(id) === pending.id)
          pending.onLog(tag === 'e' ? 'stderr' : 'stdout', bytes.toString('utf8', newline + 1, next));
        at = next;
      }
      log.read += at;
      if (!switched) return;
      // The runtime made the next file before naming it; the full one, read to its end, goes.
      this.closeLog(false);
      this.log = {
        base: log.base,
        switches: log.switches + 1,
        path: `${log.base}+${log.switches + 1}`,
        fd: -1,
        read: 0,
      };
    }
  }

  /** Opens a file the runtime switched to; false when it cannot yet (tried again at the next read). */
  private openLog(log: LogFile): boolean {
    try {
      log.fd = openSync(log.path, 'r');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * After an invocation's last read: the server should be in the file the runtime ended in. If
   * it is not (a file it could not open), the rest is not read, said once, and the next
   * invocation gets a new file.
   */
  private checkLogFollowed(logPath: string | undefined): void {
    const log = this.log;
    if (log === undefined || logPath === undefined || log.path === logPath || log.failedAt !== undefined)
      return;
    log.failedAt = log.read;
    this.sayLogFailure(
      `could not open ${logPath}, the log file an instance went on in: some of the invocation's output is missing, and the next invocation gets a new file`,
    );
  }

  /** Says once per instance, on the server's stderr, that its log file failed: `line`. */
  private sayLogFailure(line: string): void {
    if (this.logFailureSaid) return;
    this.logFailureSaid = true;
    this.echo?.(Buffer.from(`start:lambda: ${line}\n`), 'stderr');
  }

  /**
   * Output the log file could not take (`runtime-loop.cjs`): what the file holds before it is
   * handed on first, so the lines stay in order; the first time, one line says why.
   */
  private logOverIpc(message: {
    tag: 'o' | 'e';
    text: string;
    logEnd: number;
    logPath?: string;
    error?: string;
  }): void {
    if (this.log !== undefined && this.log.failedAt === undefined) {
      this.readLog(message.logEnd, message.logPath);
      const log = this.log as LogFile | undefined;
      // `logEnd` is an offset in the runtime's file: the server's, unless it fell behind.
      if (log !== undefined && log.failedAt === undefined)
        log.failedAt =
          message.logPath === undefined || log.path === message.logPath ? message.logEnd : log.read;
    }
    if (message.error !== undefined)
      this.sayLogFailure(
        `an instance's log file failed (${message.error}); its output comes over IPC until the next invocation's file`,
      );
    this.pending?.onLog(message.tag === 'e' ? 'stderr' : 'stdout', message.text);
  }

  private stopLogPoll(): void {
    if (this.logPoll !== undefined) clearInterval(this.logPoll);
    this.logPoll = undefined;
  }

  /** A new, empty log file for the next invocations; the old one (read to its end) is removed. */
  private newLogFile(): void {
    this.closeLog(true);
    const path = join(this.logDir, `instance-log-${randomUUID()}`);
    try {
      this.log = { base: path, switches: 0, path, fd: openSync(path, 'w+'), read: 0 };
    } catch {
      // No file (a full disk, a folder gone): the runtime sends the output over IPC, and says why.
      this.log = { base: '', switches: 0, path: '', fd: -1, read: 0, failedAt: 0 };
    }
  }

  /**
   * Closes and deletes the current log file; with `family`, every file the runtime made from the
   * same base too (one it made but had not yet named when it was killed, or one the server could
   * not open).
   */
  private closeLog(family: boolean): void {
    const log = this.log;
    this.log = undefined;
    if (log === undefined) return;
    if (log.fd >= 0) {
      try {
        closeSync(log.fd);
      } catch {}
    }
    try {
      if (log.path !== '') rmSync(log.path, { force: true });
      if (family && log.base !== '') {
        const prefix = `${basename(log.base)}+`;
        for (const name of readdirSync(this.logDir))
          if (name.startsWith(prefix)) rmSync(join(this.logDir, name), { force: true });
      }
    } catch {}
  }

  private closeStatus(): void {
    if (this.statusFd === undefined) return;
    try {
      closeSync(this.statusFd);
    } catch {}
    this.statusFd = undefined;
  }
}
