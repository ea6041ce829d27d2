import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../../lambda/db';
import { SqsSink } from '../../lambda/results/sqs-sink';
import { loadEvent } from '../../test/helpers/events';
import { resultRows } from '../../test/helpers/result-rows';
import { SqsServer } from '../../test/helpers/sqs-server';
import { TcpProxy } from '../../test/helpers/tcp-proxy';
import { makeRequest } from '../make-request';
import { samplePeakRss } from './process-tree';
import { type ServerProcess, startServer, waitUntilLoaded } from './server-process';

/**
 * `npm run bench:results`: what recording results costs the local server, and whether it keeps
 * every row. Load: autocannon, `BENCH_CONNECTIONS` (8) keep-alive connections alternating the
 * seed request (1 × 1) and a 10 budgets × 200 items request, for `BENCH_SECONDS` (20).
 *
 * 1. recording off (`RESULTS_DB=off`): the reference, for `BENCH_SECONDS`.
 * 2. recording on (PGlite): the same number of requests (so every reply is received and the
 *    pairs answered are known exactly), then SIGTERM, a restart, and the rows counted once the
 *    journal is replayed: live rows must equal pairs answered.
 * 3. outage (with `DATABASE_URL`): the same on PostgreSQL behind a TCP proxy stopped for
 *    `BENCH_OUTAGE_SECONDS` (10) in the middle of the load; then SIGTERM, restart, count.
 * 4. the AWS path: what `record` + `settle` adds to a reply against a loopback SQS answering
 *    after 5 and 50 ms (p50/p99), for a 1-row and a 2,000-row reply.
 *
 * Writes `.data/bench/results.json` and `.data/bench/results.md` (the table the docs show).
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS || 20);
  const connections = Number(process.env.BENCH_CONNECTIONS || 8);
  const outageSeconds = Number(process.env.BENCH_OUTAGE_SECONDS || 10);
  const drainTimeoutMs = Number(process.env.BENCH_DRAIN_SECONDS || 900) * 1000;
  const seed = JSON.stringify(loadEvent('seed-request'));
  const big = JSON.stringify(makeRequest(10, 200));
  const work = mkdtempSync(join(tmpdir(), 'bench-results-'));
  let port = 39_000 + Math.floor(Math.random() * 2000);
  const nextPort = () => ++port;

  try {
    console.error(`recording off: ${seconds} s ...`);
    const off = await run(await startServer(nextPort(), { RESULTS_DB: 'off' }), { duration: seconds });
    const requests = off.requests;

    console.error(`recording on (PGlite): ${requests} requests ...`);
    const pgliteEnv = {
      RESULTS_DB_DIR: join(work, 'pglite'),
      RESULTS_JOURNAL_DIR: join(work, 'pglite-journal'),
      // PGlite even when DATABASE_URL is set (for the outage run).
      DATABASE_URL: '',
    };
    const on = await run(await startServer(nextPort(), pgliteEnv), { amount: requests });
    const onKept = await restartAndCount(pgliteEnv, async () => {
      const db = await openDatabase({ pgliteDir: pgliteEnv.RESULTS_DB_DIR });
      try {
        return await countLive(db);
      } finally {
        await db.close();
      }
    });

    let outage: Record<string, unknown> | undefined;
    if (process.env.DATABASE_URL) {
      console.error(
        `outage (PostgreSQL behind a proxy, stopped ${outageSeconds} s): ${requests} requests ...`,
      );
      outage = await outageRun(work, requests, outageSeconds, off.seconds);
    }

    console.error('AWS path: SQS hand-off ...');
    const sqs = await sqsHandOff();

    const figures = {
      measured_at: new Date().toISOString(),
      machine: `${hostname()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
      node: process.version,
      load: { seconds, connections, requests: 'seed (1 × 1) and 10 × 200, alternating' },
      recording_off: off,
      recording_on: { ...on, ...onKept },
      ratios: {
        throughput_on_vs_off: round(on.requests_per_second / off.requests_per_second, 2),
        p99_on_vs_off: round(on.p99_ms / off.p99_ms, 2),
        peak_rss_on_vs_off: round(on.peak_rss_mb / off.peak_rss_mb, 2),
      },
      outage: outage ?? 'not run: DATABASE_URL is not set',
      aws_sqs_handoff: sqs,
    };
    mkdirSync('.data/bench', { recursive: true });
    writeFileSync('.data/bench/results.json', `${JSON.stringify(figures, null, 2)}\n`);
    const table = markdown(figures);
    writeFileSync('.data/bench/results.md', table);
    console.log(table);
    console.log(JSON.stringify(figures));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  async function run(
    server: ServerProcess,
    limit: { duration?: number; amount?: number },
    during?: (ms: number) => void,
  ) {
    try {
      let pairs = 0;
      // One warm-up request of each kind (counted like the others).
      for (const [body, n] of [
        [seed, 1],
        [big, 2000],
      ] as const) {
        const response = await fetch(`${server.url}/budget_expense_matcher`, { method: 'POST', body });
        await response.text();
        if (response.status === 200) pairs += n;
      }
      const rss = samplePeakRss(server.child.pid as number);
      const started = Date.now();
      during?.(started);
      const result = await autocannon({
        url: `${server.url}/budget_expense_matcher`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        connections,
        ...(limit.duration ? { duration: limit.duration } : { amount: limit.amount }),
        requests: [
          {
            body: seed,
            onResponse: (status: number) => {
              if (status === 200) pairs += 1;
            },
          },
          {
            body: big,
            onResponse: (status: number) => {
              if (status === 200) pairs += 2000;
            },
          },
        ],
      });
      const elapsed = (Date.now() - started) / 1000;
      const peak = rss.stop();
      const health = await server.health();
      const exitCode = await server.terminate();
      return {
        seconds: round(elapsed, 1),
        requests: result.requests.total,
        requests_per_second: round(result.requests.total / elapsed, 0),
        p50_ms: result.latency.p50,
        p99_ms: result.latency.p99,
        failed_replies: result.errors + result.timeouts + result.non2xx,
        pairs_answered: pairs,
        peak_rss_mb: round(peak / 1024 / 1024, 0),
        backlog_rows_at_sigterm: health.results?.backlog_rows ?? 0,
        dropped_rows: health.results?.dropped_rows ?? 0,
        exit_code_after_sigterm: exitCode,
      };
    } catch (error) {
      server.child.kill('SIGKILL');
      throw error;
    }
  }

  async function restartAndCount(env: NodeJS.ProcessEnv, count: () => Promise<number>) {
    const again = await startServer(nextPort(), env);
    const drainMs = await waitUntilLoaded(again, drainTimeoutMs);
    const exitCode = await again.terminate();
    return {
      replay_after_restart_s: drainMs === null ? 'did not finish' : round(drainMs / 1000, 1),
      exit_code_after_restart: exitCode,
      live_rows_kept: await count(),
    };
  }

  async function outageRun(dir: string, amount: number, outageS: number, expectedS: number) {
    const url = new URL(process.env.DATABASE_URL as string);
    const schema = `bench_results_${process.pid}`;
    const admin = await openDatabase({ url: url.toString() });
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    const proxied = new URL(url.toString());
    proxied.port = String(proxy.port);
    proxied.searchParams.set('options', `-c search_path=${schema}`);
    const env = { DATABASE_URL: proxied.toString(), RESULTS_JOURNAL_DIR: join(dir, 'pg-journal') };
    let stoppedAt = 0;
    let startedAgainAt = 0;
    try {
      const loaded = await run(await startServer(nextPort(), env), { amount }, () => {
        const at = Math.max(1, expectedS / 2 - outageS / 2) * 1000;
        setTimeout(() => {
          stoppedAt = Date.now();
          void proxy.stop();
          setTimeout(() => {
            startedAgainAt = Date.now();
            void proxy.start();
          }, outageS * 1000);
        }, at);
      });
      if (!startedAgainAt) await new Promise((resolve) => setTimeout(resolve, 100));
      await proxy.start().catch(() => {});
      const kept = await restartAndCount(env, async () => countLive(admin, schema));
      return {
        ...loaded,
        ...kept,
        database_unreachable_s: startedAgainAt
          ? round((startedAgainAt - stoppedAt) / 1000, 1)
          : 'outage outlasted the load',
        rows_lost: loaded.pairs_answered - kept.live_rows_kept,
      };
    } finally {
      await proxy.stop();
      await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    }
  }
}

async function countLive(
  db: { query: <R extends object>(sql: string) => Promise<{ rows: R[] }> },
  schema?: string,
) {
  const table = schema ? `${schema}.results` : 'results';
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE role = 'live'`,
  );
  return rows[0]?.n ?? 0;
}

/** Per reply: `record` then `settle` against a loopback SQS answering after `delay` ms. */
async function sqsHandOff() {
  const out: Record<string, unknown>[] = [];
  const rounds = Number(process.env.BENCH_SQS_ROUNDS || 100);
  for (const delay of [5, 50]) {
    const sqs = new SqsServer();
    await sqs.start();
    sqs.delayMs = delay;
    const client = sqs.client();
    const sink = new SqsSink({ queueUrl: sqs.queueUrl, client });
    // The SDK's first call sets itself up (about a second): not part of any reply's cost.
    sink.record(resultRows(1, 'warm-up'));
    await sink.settle(5000);
    sqs.calls.length = 0;
    for (const rows of [1, 2000]) {
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const batch = resultRows(rows, `bench-${delay}-${rows}-${i}`);
        const t = performance.now();
        sink.record(batch);
        await sink.settle(1000);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      out.push({
        sqs_latency_ms: delay,
        rows_a_reply: rows,
        p50_ms: round(times[Math.floor(times.length * 0.5)] ?? 0, 1),
        p99_ms: round(times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] ?? 0, 1),
        sends: sqs.calls.length,
      });
      sqs.calls.length = 0;
    }
    client.destroy();
    await sqs.stop();
  }
  return out;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function markdown(f: Record<string, unknown>): string {
  const off = f.recording_off as Record<string, unknown>;
  const on = f.recording_on as Record<string, unknown>;
  const outage = f.outage as Record<string, unknown> | string;
  const ratios = f.ratios as Record<string, unknown>;
  const row = (name: string, r: Record<string, unknown>) =>
    `| ${name} | ${r.requests} | ${r.seconds} | ${r.requests_per_second} | ${r.p50_ms} | ${r.p99_ms} | ${r.failed_replies} | ${r.peak_rss_mb} | ${r.pairs_answered} | ${r.live_rows_kept ?? '–'} | ${r.exit_code_after_sigterm} |`;
  const lines = [
    `Measured ${f.measured_at} on ${f.machine}, Node ${f.node}; ${(f.load as { connections: number }).connections} connections, seed and 10 × 200 alternating.`,
    '',
    '| run | requests | s | req/s | p50 ms | p99 ms | failed replies | peak RSS MB (all processes) | pairs answered | live rows kept | exit code (SIGTERM) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    row('recording off', off),
    row('recording on (PGlite)', on),
    ...(typeof outage === 'object' ? [row('outage (PostgreSQL, proxy stopped)', outage)] : []),
    '',
    `Recording on vs off: throughput ${ratios.throughput_on_vs_off}×, p99 ${ratios.p99_on_vs_off}×, peak RSS ${ratios.peak_rss_on_vs_off}×. Replay after restart: ${on.replay_after_restart_s} s (PGlite)${typeof outage === 'object' ? `, ${outage.replay_after_restart_s} s (PostgreSQL); database unreachable ${outage.database_unreachable_s} s, rows lost ${outage.rows_lost}` : `; outage: ${outage}`}.`,
    '',
    '| AWS path: SQS latency ms | rows a reply | record + settle p50 ms | p99 ms |',
    '|---:|---:|---:|---:|',
    ...(f.aws_sqs_handoff as Record<string, unknown>[]).map(
      (s) => `| ${s.sqs_latency_ms} | ${s.rows_a_reply} | ${s.p50_ms} | ${s.p99_ms} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
