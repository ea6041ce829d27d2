import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Starts `npm start` on a free port; resolves with the child and its URL once it listens. */
function npmStart() {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', RESULTS_DB: 'off', POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`npm start exited (${code}) before listening:\n${output}`)),
    );
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url, exited, output: () => output };
}

describe.each(['SIGTERM', 'SIGINT'] as const)('npm start and %s sent to npm itself', (signal) => {
  it('stops the server and frees its port', async () => {
    const run = npmStart();
    const url = await run.url;
    expect((await fetch(`${url}/health`)).status).toBe(200);

    run.child.kill(signal);
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain(`${signal}: writing the rows held to the journal and closing`);
    // The server process is gone with npm: nothing answers on its port any more.
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
