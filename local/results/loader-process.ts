import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { LoaderMessage, ServerMessage } from './loader-messages';
import type { LoaderStatus } from './results-loader';

export interface LoaderProcessOptions {
  /** The environment the loader reads: the database settings and `RESULTS_JOURNAL_DIR`. */
  readonly env: NodeJS.ProcessEnv;
  /** Segments numbered below this are earlier runs' (the replay). */
  readonly firstLiveSegment: number;
  /** Added to the loader's nice value (`RESULTS_LOADER_NICE`): it yields the CPU to the server. */
  readonly nice: number;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

const ENTRY = join(__dirname, 'loader-main.ts');

/**
 * Runs the results loader (`loader-main.ts`) as a child process at a lower CPU priority, restarts
 * it (with a pause) if it dies, relays the server's "appended" notices to it and its status back.
 */
export class LoaderProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restarts = 0;
  private lastNotice = 0;
  private noticeTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private lastAppend = 0;
  private niced = false;
  /** The loader's last status; reset when it restarts. */
  status: LoaderStatus | undefined;
  /** Rows the previous loader processes of this server loaded (a restart begins its counts at 0). */
  loadedBefore = 0;

  constructor(private readonly options: LoaderProcessOptions) {}

  start(): void {
    const child = fork(ENTRY, [], {
      // The server may run under tsx or jest; the loader is TypeScript either way.
      execArgv: ['--import', 'tsx'],
      env: { ...this.options.env, RESULTS_FIRST_LIVE_SEGMENT: String(this.options.firstLiveSegment) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    this.niced = false;
    this.renice(true);
    // Lower priority only while rows arrive: when the server has been idle for a second the
    // loader gets its full share back, so a backlog (a replay at start) drains at full speed.
    this.idleTimer ??= setInterval(() => this.renice(Date.now() - this.lastAppend < 1000), 500);
    this.idleTimer.unref();
    child.on('message', (message: LoaderMessage) => {
      if (message.type === 'status') this.status = message.status;
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.stopping) return;
      this.loadedBefore += this.status?.loadedRows ?? 0;
      this.status = undefined;
      this.restarts += 1;
      const waitMs = Math.min(10_000, 250 * 2 ** Math.min(this.restarts, 6));
      this.options.logger.error(
        'results loader stopped unexpectedly: restarting it (the journal keeps the rows)',
        {
          code,
          signal,
          restart_in_ms: waitMs,
        },
      );
      this.restartTimer = setTimeout(() => this.start(), waitMs);
      this.restartTimer.unref();
    });
  }

  /** The process id, while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Tells the loader new lines are on disk (at most every 50 ms). */
  notify(): void {
    this.lastAppend = Date.now();
    if (!this.niced) this.renice(true);
    if (this.noticeTimer) return;
    const wait = Math.max(0, this.lastNotice + 50 - Date.now());
    this.noticeTimer = setTimeout(() => {
      this.noticeTimer = undefined;
      this.lastNotice = Date.now();
      this.send({ type: 'appended' });
    }, wait);
    this.noticeTimer.unref();
  }

  /**
   * Asks the loader to stop after the statement under way and waits for it, at most `timeoutMs`;
   * then kills it. Nothing is lost either way: what it had not written is still in the journal.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.idleTimer);
    clearTimeout(this.noticeTimer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    if ((await Promise.race([exited, late])) === 'late') {
      this.options.logger.warn('results loader did not stop in time: killed (its rows are in the journal)', {
        timeout_ms: timeoutMs,
      });
      child.kill('SIGKILL');
      await exited;
    }
    clearTimeout(timer);
  }

  private renice(busy: boolean): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.options.nice <= 0 || busy === this.niced) return;
    try {
      setPriority(pid, busy ? Math.min(19, this.options.nice) : 0);
      this.niced = busy;
    } catch {
      // Not allowed (raising a priority back needs privileges): it stays where it is.
      this.niced = busy || this.niced;
    }
  }

  private send(message: ServerMessage): void {
    if (this.child?.connected) this.child.send(message);
  }
}
