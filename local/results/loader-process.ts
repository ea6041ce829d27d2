import { type ChildProcess, fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { LoaderMessage, ServerMessage } from './loader-messages';
import type { LoaderStatus } from './results-loader';

/** What waits to be loaded, as the server counts it (`/health`'s figures). */
export interface LoaderBacklog {
  readonly rows: number;
  readonly oldestAgeMs: number | null;
  readonly journalBytes: number;
}

export interface LoaderProcessOptions {
  /** The environment the loader reads: the database settings and `RESULTS_JOURNAL_DIR`. */
  readonly env: NodeJS.ProcessEnv;
  /** Segments numbered below this are earlier runs' (the replay). */
  readonly firstLiveSegment: number;
  /** Whether earlier runs left segments: the loader is started at once to count and load them. */
  readonly replayPending?: boolean;
  /** The loader's nice value while requests arrive (`RESULTS_LOADER_NICE`): it yields the CPU to the server. */
  readonly nice: number;
  /** The server is idle once no row has been recorded for this long, in ms (`RESULTS_LOAD_IDLE_MS`). */
  readonly idleMs: number;
  /** Loads while busy too once the oldest row waiting is this old, in ms (`RESULTS_LOAD_MAX_LAG_S`). */
  readonly maxLagMs: number;
  /** ... or once the journal holds this many bytes (`RESULTS_LOAD_MAX_MB`). */
  readonly maxBytes: number;
  /** The loader exits after this long caught up with nothing needing it, in ms; 0: never (`RESULTS_LOADER_IDLE_EXIT_S`). */
  readonly idleExitMs: number;
  /**
   * The public Unix socket (PGlite): the server listens on it for as long as it runs, starts the
   * loader when a client (a CLI) connects, and passes the connection to the loader's own socket.
   */
  readonly socketPath?: string;
  /** What waits to be loaded (set before {@link LoaderProcess.start}). */
  backlog?: () => LoaderBacklog;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

const ENTRY = join(__dirname, 'loader-main.ts');
const TICK_MS = 250;

/**
 * Runs the results loader (`loader-main.ts`) as a child process and decides when it loads.
 *
 * The journal absorbs bursts, so loading waits while the server is busy: the loader is started
 * (or told to load) once no row has been recorded for `idleMs`, or, under sustained load, once
 * the oldest row waiting is `maxLagMs` old or the journal holds `maxBytes` (it then loads until
 * the lag and the journal are back under half their bounds). While requests arrive it runs at
 * nice `nice`. Once caught up, with no client on its socket, it exits after `idleExitMs`, freeing
 * its database's memory. It is restarted (with a pause) if it dies; what it had not loaded is in
 * the journal either way.
 */
export class LoaderProcess {
  private child: ChildProcess | undefined;
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private stopping = false;
  private retiring = false;
  private restarts = 0;
  private lastNotice = 0;
  private noticeTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  /** When rows were last recorded (the server is busy while this is recent). */
  private lastAppend = 0;
  private niced = false;
  private allowed = true;
  private forcing = false;
  private idleSince: number | undefined;
  private proxy: Server | undefined;
  private readonly clients = new Set<Socket>();
  /** The running loader's last status; undefined while none runs. */
  status: LoaderStatus | undefined;
  /** Rows the previous loader processes of this server loaded (a new one begins its counts at 0). */
  loadedBefore = 0;
  /** Of them, rows of earlier runs (the replay). */
  replayLoadedBefore = 0;
  /** The first loader's count of rows left by earlier runs; undefined until it has counted. */
  replayRows: number | undefined;
  /** Loader processes started, and exited once idle (for tests and benchmarks). */
  started = 0;
  retired = 0;

  constructor(readonly options: LoaderProcessOptions) {
    if (!options.replayPending) this.replayRows = 0;
  }

  /** Begins deciding (and serves the public socket); the loader starts when it is needed. */
  async start(): Promise<void> {
    if (this.options.socketPath) await this.serveSocket(this.options.socketPath);
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
    this.tick();
  }

  /** The process id, while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether a loader process runs, and whether it may load now. */
  get state(): { readonly running: boolean; readonly loading: boolean } {
    return { running: this.child !== undefined, loading: this.child !== undefined && this.allowed };
  }

  /** A request's rows were recorded: the server is busy (loading waits, the loader's priority drops). */
  recorded(): void {
    const now = Date.now();
    // Cheap on the request path: the decision is re-made at most every 50 ms here.
    if (now - this.lastAppend < 50) return;
    this.lastAppend = now;
    if (!this.niced) this.renice(true);
    if (this.allowed && !this.forcing && this.child) this.tick();
  }

  /** Tells the loader new lines are on disk (at most every 50 ms). */
  notify(): void {
    if (this.noticeTimer || !this.child) return;
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
    clearInterval(this.ticker);
    clearTimeout(this.noticeTimer);
    for (const client of this.clients) client.destroy();
    const proxy = this.proxy;
    if (proxy) await new Promise<void>((resolve) => proxy.close(() => resolve()));
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.send({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    if ((await Promise.race([closed, late])) === 'late') {
      this.options.logger.warn('results loader did not stop in time: killed (its rows are in the journal)', {
        timeout_ms: timeoutMs,
      });
      child.kill('SIGKILL');
      await closed;
    }
    clearTimeout(timer);
  }

  /** Decides: start the loader, let it load or hold it, lower its priority, let it go when idle. */
  private tick(): void {
    if (this.stopping) return;
    const now = Date.now();
    const backlog = this.options.backlog?.() ?? { rows: 0, oldestAgeMs: null, journalBytes: 0 };
    const age = backlog.oldestAgeMs ?? 0;
    const busy = now - this.lastAppend < this.options.idleMs;
    if (backlog.rows > 0 && (age >= this.options.maxLagMs || backlog.journalBytes >= this.options.maxBytes))
      this.forcing = true;
    else if (
      backlog.rows === 0 ||
      (age < this.options.maxLagMs / 2 && backlog.journalBytes < this.options.maxBytes / 2)
    )
      this.forcing = false;
    const allowed = !busy || this.forcing;
    const replayUncounted = this.replayRows === undefined;
    const needed = backlog.rows > 0 || replayUncounted;
    if (
      !this.child &&
      !this.restartTimer &&
      ((needed && allowed) || replayUncounted || this.clients.size > 0)
    )
      this.spawn(allowed);
    this.setAllowed(allowed);
    this.renice(busy);
    const idle = !needed && this.clients.size === 0 && this.status?.connected === true;
    if (this.child && !this.retiring && this.options.idleExitMs > 0 && idle) {
      this.idleSince ??= now;
      if (now - this.idleSince >= this.options.idleExitMs) this.retire();
    } else this.idleSince = undefined;
  }

  private spawn(allowed: boolean): void {
    const child = fork(ENTRY, [], {
      // The server may run under tsx or jest; the loader is TypeScript either way.
      execArgv: ['--import', 'tsx'],
      env: {
        ...this.options.env,
        RESULTS_FIRST_LIVE_SEGMENT: String(this.options.firstLiveSegment),
        RESULTS_LOAD_ALLOWED: allowed ? '1' : '0',
        ...(this.options.socketPath
          ? { RESULTS_LOADER_SOCKET: loaderSocketPath(this.options.socketPath) }
          : {}),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    this.started += 1;
    this.ready = false;
    this.allowed = allowed;
    this.niced = false;
    this.retiring = false;
    this.idleSince = undefined;
    this.renice(Date.now() - this.lastAppend < this.options.idleMs);
    child.on('message', (message: LoaderMessage) => {
      if (message.type === 'status') {
        this.status = message.status;
        this.replayRows ??= message.status.replayRows;
      } else if (message.type === 'ready') {
        this.ready = true;
        for (const resolve of this.readyWaiters.splice(0)) resolve();
      }
    });
    // `close`, not `exit`: the IPC channel has delivered every status by then.
    child.on('close', (code, signal) => {
      if (this.child === child) this.child = undefined;
      this.ready = false;
      if (this.stopping) return;
      this.loadedBefore += this.status?.loadedRows ?? 0;
      this.replayLoadedBefore += this.status?.replayLoadedRows ?? 0;
      this.status = undefined;
      if (this.retiring && code === 0) {
        this.retiring = false;
        this.retired += 1;
        this.options.logger.info('results loader caught up and idle: exited (started again when needed)', {
          idle_exit_ms: this.options.idleExitMs,
        });
        this.tick();
        return;
      }
      this.retiring = false;
      this.restarts += 1;
      const waitMs = Math.min(10_000, 250 * 2 ** Math.min(this.restarts, 6));
      this.options.logger.error(
        'results loader stopped unexpectedly: restarting it (the journal keeps the rows)',
        { code, signal, restart_in_ms: waitMs },
      );
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        this.tick();
      }, waitMs);
      this.restartTimer.unref();
    });
  }

  private retire(): void {
    this.retiring = true;
    this.ready = false;
    this.send({ type: 'stop' });
  }

  private setAllowed(allowed: boolean): void {
    if (allowed === this.allowed) return;
    this.allowed = allowed;
    this.send({ type: 'load', allowed });
  }

  /** Waits until a loader runs with its database open, starting one if needed. */
  private whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    const waiting = new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    this.tick();
    return waiting;
  }

  private async serveSocket(path: string): Promise<void> {
    const server = createServer((client) => {
      this.clients.add(client);
      client.pause();
      client.on('error', () => client.destroy());
      client.on('close', () => this.clients.delete(client));
      void this.whenReady().then(() => {
        if (client.destroyed || this.stopping) return void client.destroy();
        const upstream = connect(loaderSocketPath(path));
        upstream.on('error', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    });
    rmSync(path, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    this.proxy = server;
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

/** The loader's own socket, beside the public one the server passes connections from. */
export function loaderSocketPath(publicPath: string): string {
  return join(publicPath, '..', '.s.loader');
}
