import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadEvent } from '../test/helpers/events';

/**
 * `npm run bench:http`: a load run against the local server as `npm start` runs it (its own
 * process, results recorded into a fresh embedded database), with autocannon: the seed request
 * and the whole-trip request, 10 connections for 10 s each. The reference, measured in the same
 * run with the same tool: a bare Node HTTP server answering the same reply bytes, i.e. what
 * loopback HTTP alone costs on this machine. Prints a table and one JSON line.
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS || 10);
  const connections = Number(process.env.BENCH_CONNECTIONS || 10);
  const seed = JSON.stringify(loadEvent('seed-request'));
  const trip = JSON.stringify(loadEvent('direct-invoke-trip'));

  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const server = await startLocalServer(port, dataDir);
  const url = `http://127.0.0.1:${port}/budget_expense_matcher`;
  try {
    const seedReply = await (await fetch(url, { method: 'POST', body: seed })).text();
    const reference = await startReference(seedReply);
    const rows = {
      reference_bare_http: await load(reference.url, seed, seconds, connections),
      seed_request: await load(url, seed, seconds, connections),
      trip_request_18_pairs: await load(url, trip, seconds, connections),
    };
    reference.server.close();
    console.log(`\nlocal server under load (autocannon, ${connections} connections, ${seconds} s each)\n`);
    console.log('| run | requests/s | p50 ms | p99 ms | errors + non-2xx |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [name, r] of Object.entries(rows)) {
      console.log(
        `| ${name} | ${r.requests_per_second} | ${r.p50_ms} | ${r.p99_ms} | ${r.errors + r.non_2xx} |`,
      );
    }
    console.log(
      JSON.stringify({
        measured_at: new Date().toISOString(),
        node: process.version,
        connections,
        seconds,
        ...rows,
      }),
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function load(url: string, body: string, seconds: number, connections: number) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    duration: seconds,
    connections,
  });
  return {
    requests_per_second: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non_2xx: result.non2xx,
    requests: result.requests.total,
  };
}

/** `npm start`'s own entry point in a child process, on `port`, recording into `dataDir`. */
async function startLocalServer(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/server.ts'], {
    env: { ...process.env, PORT: String(port), RESULTS_DB_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('listening on')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`the local server exited (${code}) before listening:\n${out}`)),
    );
  });
  child.stdout?.resume();
  return child;
}

async function startReference(reply: string) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(reply);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${port}/` };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
