import { type ChildProcess, spawn } from 'node:child_process';

/** `npm start`'s entry point in a child process of its own, as a user runs it. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Sends SIGTERM and resolves with the exit code. */
  terminate(): Promise<number | null>;
  health(): Promise<{ results?: { state: string; backlog_rows: number; dropped_rows: number } }>;
}

export async function startServer(port: number, env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/server.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      POWERTOOLS_LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'WARN',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('listening on')) resolve();
    });
    void exited.then((code) =>
      reject(new Error(`the local server exited (${code}) before listening:\n${out}`)),
    );
  });
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    url,
    terminate: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    health: async () =>
      (await (await fetch(`${url}/health`)).json()) as Awaited<ReturnType<ServerProcess['health']>>,
  };
}

/** Polls `/health` until the results backlog is 0 and the loader is connected; the ms it took. */
export async function waitUntilLoaded(server: ServerProcess, timeoutMs: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const results = (await server.health().catch(() => ({ results: undefined }))).results;
    if (results && results.state === 'ok' && results.backlog_rows === 0) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return null;
}
