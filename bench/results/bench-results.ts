import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../../lambda/db';
import { SqsSink } from '../../lambda/results/sqs-sink';
import { writeFigures } from '../../scripts/figures/write-figures';
import { loadEvent } from '../../test/helpers/events';
import { resultRows } from '../../test/helpers/result-rows';
import { SqsServer } from '../../test/helpers/sqs-server';
import { TcpProxy } from '../../test/helpers/tcp-proxy';
import { makeRequest } from '../make-request';
import { samplePeakRss } from './process-tree';
import { type ServerProcess, startServer, waitUntilLoaded } from './server-process';

/**
 * `npm run bench:results`: what recording results (and capturing requests) costs the local
 * server, and whether it keeps every row. The workload: autocannon, `BENCH_CONNECTIONS`
 * (8) keep-alive connections alternating the seed request (1 × 1) and a 10 budgets × 200 items
 * request, for `BENCH_SECONDS` (20). All runs are in one process, one after the other, so they
 * share the machine's load (recorded with each).
 *
 * 1. recording off (`RESULTS_DB=off`): the reference, for `BENCH_SECONDS`.
 * 2. recording on (PGlite, captures on, the defaults): the same number of requests (so every
 *    reply is received and the pairs answered are known exactly), then SIGTERM, a restart, and
 *    the rows and captures counted once the journal is replayed: live rows must equal pairs
 *    answered, and every request answered must have its capture. The restarted server's memory
 *    (every process) and time while it catches up are reported apart from the load's.
 * 3. recording on, loading at once (`RESULTS_LOAD_MAX_LAG_S=0`): the cost of the loader running
 *    during the load (by default it waits until the server is idle).
 * 4. recording on, `CAPTURE=off`: the same requests, for what capture adds under load.
 * 5. recording off again: how much two identical runs differ on this machine now (the noise).
 * 6. outage (with `DATABASE_URL`): recording on (loading at once) against PostgreSQL behind a TCP
 *    proxy that is stopped for `BENCH_OUTAGE_SECONDS` (10) in the middle of the load; then
 *    SIGTERM, restart, count: 0 rows lost, 0 failed replies.
 * 7. the AWS path: what `record` + `settle` adds to a reply against a loopback SQS answering
 *    after 5 and 50 ms (p50/p99), for a 1-row and a 2,000-row reply.
 *
 * `BENCH_LOAD_ONLY=1` runs phases 1, 2 (without the restart and catch-up), 4 and 5 only and prints
 * their figures without writing the figures file: a couple of minutes instead of about 16.
 *
 * Peak RSS is every process of the server summed (the loader and any other child included),
 * sampled every 200 ms. Writes `.data/figures/results.json` (`writeFigures`).
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS || 20);
  const connections = Number(process.env.BENCH_CONNECTIONS || 8);
  const outageSeconds = Number(process.env.BENCH_OUTAGE_SECONDS || 10);
  const drainTimeoutMs = Number(process.env.BENCH_DRAIN_SECONDS || 1800) * 1000;
  // The load phases only (off, on, CAPTURE=off, off again; no restart, catch-up, outage or SQS):
  // about 2 minutes instead of 16, for iterating. Printed, not written to the figures file.
  const loadOnly = process.env.BENCH_LOAD_ONLY === '1';
  const seed = JSON.stringify(loadEvent('seed-request'));
  const big = JSON.stringify(makeRequest(10, 200));
  const work = mkdtempSync(join(tmpdir(), 'bench-results-'));
  let port = 39_000 + Math.floor(Math.random() * 2000);
  const nextPort = () => ++port;
  const loadSeen: number[] = [];
  const noteLoad = () => loadSeen.push(loadavg()[0] as number);

  try {
    console.error(`recording off: ${seconds} s ...`);
    const off = await run(await startServer(nextPort(), { RESULTS_DB: 'off' }), { duration: seconds });
    const requests = off.requests;

    console.error(`recording on (PGlite, captures on): ${requests} requests ...`);
    const pgliteEnv = {
      RESULTS_DB_DIR: join(work, 'pglite'),
      RESULTS_JOURNAL_DIR: join(work, 'pglite-journal'),
      CAPTURE_DIR: join(work, 'captures'),
      // PGlite even when DATABASE_URL is set (for the outage run).
      DATABASE_URL: '',
    };
    const on = await run(await startServer(nextPort(), pgliteEnv), { amount: requests });
    // The same requests with recording on and CAPTURE=off (what captures cost), and recording
    // off once more (the noise between two identical runs).
    const captureOffRun = async () => {
      console.error(`recording on, CAPTURE=off: ${requests} requests ...`);
      return run(
        await startServer(nextPort(), {
          ...pgliteEnv,
          RESULTS_DB_DIR: join(work, 'pglite-nocapture'),
          RESULTS_JOURNAL_DIR: join(work, 'pglite-nocapture-journal'),
          CAPTURE: 'off',
        }),
        { amount: requests },
      );
    };
    const offAgainRun = async () => {
      console.error(`recording off again: ${seconds} s ...`);
      return run(await startServer(nextPort(), { RESULTS_DB: 'off' }), { duration: seconds });
    };
    if (loadOnly) {
      const noCapture = await captureOffRun();
      const offAgain = await offAgainRun();
      const ratio = (a: number, b: number) => round(a / b, 2);
      // Printed only: the figures file is written by the full run (the catch-up and outage included).
      console.log(
        JSON.stringify(
          {
            load_only: true,
            load_average_1m: `${Math.min(...loadSeen).toFixed(1)}–${Math.max(...loadSeen).toFixed(1)}`,
            recording_off: off,
            recording_on: on,
            recording_on_capture_off: noCapture,
            recording_off_again: offAgain,
            ratios: {
              throughput_on_vs_off: ratio(on.requests_per_second, off.requests_per_second),
              p99_on_vs_off: ratio(on.p99_ms, off.p99_ms),
              peak_rss_on_vs_off: ratio(on.peak_rss_mb, off.peak_rss_mb),
              throughput_on_capture_off_vs_off: ratio(noCapture.requests_per_second, off.requests_per_second),
              peak_rss_on_capture_off_vs_off: ratio(noCapture.peak_rss_mb, off.peak_rss_mb),
              noise_throughput_off_again_vs_off: ratio(offAgain.requests_per_second, off.requests_per_second),
              noise_peak_rss_off_again_vs_off: ratio(offAgain.peak_rss_mb, off.peak_rss_mb),
            },
          },
          null,
          2,
        ),
      );
      return;
    }
    console.error('  SIGTERM done; restarting and replaying the journal ...');
    const onKept = await restartAndCount(pgliteEnv, async () => {
      const db = await openDatabase({ pgliteDir: pgliteEnv.RESULTS_DB_DIR });
      try {
        return await countLive(db);
      } finally {
        await db.close();
      }
    });
    const captured = countCaptures(pgliteEnv.CAPTURE_DIR);

    console.error(`recording on, loading at once (RESULTS_LOAD_MAX_LAG_S=0): ${requests} requests ...`);
    const loadAtOnce = await run(
      await startServer(nextPort(), {
        ...pgliteEnv,
        RESULTS_DB_DIR: join(work, 'pglite-lag0'),
        RESULTS_JOURNAL_DIR: join(work, 'pglite-lag0-journal'),
        CAPTURE_DIR: join(work, 'captures-lag0'),
        RESULTS_LOAD_MAX_LAG_S: '0',
      }),
      { amount: requests },
    );

    const noCapture = await captureOffRun();
    const offAgain = await offAgainRun();

    let outage: Awaited<ReturnType<typeof outageRun>> | undefined;
    if (process.env.DATABASE_URL) {
      console.error(
        `outage (PostgreSQL behind a proxy, stopped ${outageSeconds} s): ${requests} requests ...`,
      );
      outage = await outageRun(work, requests, outageSeconds, off.seconds);
    }

    console.error('AWS path: SQS hand-off ...');
    const sqs = await sqsHandOff();

    const ratio = (a: number, b: number) => round(a / b, 2);
    const recordingOn = {
      ...on,
      ...onKept,
      rows_lost: on.pairs_answered - onKept.live_rows_kept,
      captures_kept: captured,
      requests_answered: on.requests_answered,
    };
    const loadRange = `${Math.min(...loadSeen).toFixed(1)}–${Math.max(...loadSeen).toFixed(1)}`;
    const figures = {
      load: { seconds, connections, requests: 'seed (1 × 1) and 10 × 200, alternating' },
      load_average_1m: loadRange,
      recording_off: off,
      recording_on: recordingOn,
      recording_on_load_at_once: loadAtOnce,
      recording_on_capture_off: noCapture,
      recording_off_again: offAgain,
      ratios: {
        throughput_on_vs_off: ratio(on.requests_per_second, off.requests_per_second),
        p99_on_vs_off: ratio(on.p99_ms, off.p99_ms),
        peak_rss_on_vs_off: ratio(on.peak_rss_mb, off.peak_rss_mb),
        throughput_load_at_once_vs_off: ratio(loadAtOnce.requests_per_second, off.requests_per_second),
        p99_load_at_once_vs_off: ratio(loadAtOnce.p99_ms, off.p99_ms),
        peak_rss_load_at_once_vs_off: ratio(loadAtOnce.peak_rss_mb, off.peak_rss_mb),
        catch_up_peak_rss_vs_off: ratio(onKept.catch_up_peak_rss_mb, off.peak_rss_mb),
        throughput_on_capture_off_vs_off: ratio(noCapture.requests_per_second, off.requests_per_second),
        p99_on_capture_off_vs_off: ratio(noCapture.p99_ms, off.p99_ms),
        peak_rss_on_capture_off_vs_off: ratio(noCapture.peak_rss_mb, off.peak_rss_mb),
        noise_throughput_off_again_vs_off: ratio(offAgain.requests_per_second, off.requests_per_second),
        noise_p99_off_again_vs_off: ratio(offAgain.p99_ms, off.p99_ms),
      },
      outage: outage ?? 'not run: DATABASE_URL is not set',
      aws_sqs_handoff: sqs,
    };
    const row = (name: string, r: RunFigures, extra: { kept?: string; lost?: number | string } = {}) => [
      name,
      r.requests,
      r.seconds,
      r.requests_per_second,
      r.p50_ms,
      r.p99_ms,
      r.failed_replies,
      r.peak_rss_mb,
      r.peak_rss_by_process,
      r.pairs_answered,
      extra.kept ?? '—',
      extra.lost ?? '—',
      r.exit_code_after_sigterm,
      round(r.load_average_1m, 1),
    ];
    const r = figures.ratios;
    const path = writeFigures('results', {
      command: 'npm run bench:results',
      figures,
      tables: [
        {
          id: 'runs',
          title: `${connections} keep-alive connections, the seed request and a 10 × 200 request alternating; recording off for ${seconds} s, the other runs the same number of requests. 1-minute load average ${loadRange} during the runs.`,
          columns: [
            'run',
            'requests',
            's',
            'req/s',
            'p50 ms',
            'p99 ms',
            'failed replies',
            'peak RSS MB (all processes)',
            'by process MB',
            'pairs answered',
            'kept after SIGTERM + restart',
            'rows lost',
            'exit code (SIGTERM)',
            'load (1 min)',
          ],
          rows: [
            row('recording off', off),
            row('recording on (PGlite, captures on)', on, {
              kept: `${onKept.live_rows_kept} rows, ${captured} captures of ${on.requests_answered} requests`,
              lost: recordingOn.rows_lost,
            }),
            row('recording on, loading at once (RESULTS_LOAD_MAX_LAG_S=0)', loadAtOnce),
            row('recording on, CAPTURE=off', noCapture),
            row('recording off again (noise)', offAgain),
            ...(outage
              ? [
                  row(`outage: PostgreSQL unreachable ${outage.database_unreachable_s} s mid-load`, outage, {
                    kept: `${outage.live_rows_kept} rows`,
                    lost: outage.rows_lost,
                  }),
                ]
              : []),
          ],
        },
        {
          id: 'targets',
          title: 'Against the targets (issue 10), each ratio to recording off in the same run',
          columns: [
            'figure',
            'target',
            'recording on (captures on)',
            'loading at once (lag bound 0)',
            'recording on, CAPTURE=off',
            'noise: off again vs off',
          ],
          rows: [
            [
              'throughput',
              '≥ 0.8×',
              r.throughput_on_vs_off,
              r.throughput_load_at_once_vs_off,
              r.throughput_on_capture_off_vs_off,
              r.noise_throughput_off_again_vs_off,
            ],
            [
              'p99',
              '≤ 1.5×',
              r.p99_on_vs_off,
              r.p99_load_at_once_vs_off,
              r.p99_on_capture_off_vs_off,
              r.noise_p99_off_again_vs_off,
            ],
            [
              'peak RSS, all processes',
              '≤ 1.3×',
              r.peak_rss_on_vs_off,
              r.peak_rss_load_at_once_vs_off,
              r.peak_rss_on_capture_off_vs_off,
              ratio(offAgain.peak_rss_mb, off.peak_rss_mb),
            ],
            [
              'peak RSS while the loader catches up after the load (restart)',
              '—',
              r.catch_up_peak_rss_vs_off,
              '—',
              '—',
              '—',
            ],
            ['rows lost after SIGTERM + restart', '0', recordingOn.rows_lost, '—', '—', '—'],
            [
              'outage: rows lost, failed replies',
              '0, 0',
              '—',
              outage ? `${outage.rows_lost}, ${outage.failed_replies}` : 'not run (DATABASE_URL unset)',
              '—',
              '—',
            ],
          ],
        },
        {
          id: 'catch-up',
          title:
            'Catching up after the load: the server restarted after SIGTERM loads the journal (the replay); memory of every process of the restarted server while it does',
          columns: [
            'run',
            'backlog at SIGTERM (rows)',
            'catch-up s',
            'rows/s',
            'peak RSS MB (all processes)',
            'by process MB',
            'live rows kept',
          ],
          rows: [
            catchUpRow('recording on (PGlite, captures on)', on, onKept),
            ...(outage ? [catchUpRow('outage (PostgreSQL, loading at once, nice 0)', outage, outage)] : []),
          ],
        },
        {
          id: 'aws',
          title: 'The AWS path: `record` + `settle` per reply against a loopback SQS',
          columns: ['SQS latency ms', 'rows a reply', 'p50 ms', 'p99 ms', 'SendMessageBatch calls'],
          rows: sqs.map((s) => [s.sqs_latency_ms, s.rows_a_reply, s.p50_ms, s.p99_ms, s.sends]),
        },
      ],
      notes: [
        'Recording on defers loading while the server is busy (the journal absorbs the load; `RESULTS_LOAD_MAX_LAG_S` 60): under this load the loader is not started until after it, so its rows are all loaded at the restart. "Loading at once" is the same load with the lag bound at 0, the loader running (at nice 19) during the load. The outage run loads at once too, at the same priority as the server (RESULTS_LOADER_NICE=0), so the loader is writing when the database goes away; its backlog at SIGTERM says how far it got.',
        'A machine shared with other jobs: compare the rows of one run with each other, the off-again row says how far two identical runs differ.',
      ],
    });
    console.log(JSON.stringify(figures, null, 2));
    console.log(`written to ${path}`);
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
      let answered = 0;
      // One warm-up request of each kind (counted like the others).
      for (const [body, n] of [
        [seed, 1],
        [big, 2000],
      ] as const) {
        const response = await fetch(`${server.url}/budget_expense_matcher`, { method: 'POST', body });
        await response.text();
        if (response.status === 200) {
          pairs += n;
          answered += 1;
        }
      }
      noteLoad();
      const load = loadavg()[0] as number;
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
              if (status === 200) {
                pairs += 1;
                answered += 1;
              }
            },
          },
          {
            body: big,
            onResponse: (status: number) => {
              if (status === 200) {
                pairs += 2000;
                answered += 1;
              }
            },
          },
        ],
      });
      const elapsed = (Date.now() - started) / 1000;
      const peak = rss.stop();
      noteLoad();
      const health = await server.health();
      const exitCode = await server.terminate();
      return {
        seconds: round(elapsed, 1),
        requests: result.requests.total,
        requests_answered: answered,
        requests_per_second: round(result.requests.total / elapsed, 0),
        p50_ms: result.latency.p50,
        p99_ms: result.latency.p99,
        failed_replies: result.errors + result.timeouts + result.non2xx,
        pairs_answered: pairs,
        peak_rss_mb: round(peak.total / 1024 / 1024, 0),
        peak_rss_by_process: peak.byProcess
          .map((p) => `${p.name} ${round(p.bytes / 1024 / 1024, 0)}`)
          .join(', '),
        backlog_rows_at_sigterm: health.results?.backlog_rows ?? 0,
        dropped_rows: health.results?.dropped_rows ?? 0,
        exit_code_after_sigterm: exitCode,
        load_average_1m: load,
      };
    } catch (error) {
      server.child.kill('SIGKILL');
      throw error;
    }
  }

  /** Restarts on the journal, times the catch-up and samples the memory meanwhile, then counts. */
  async function restartAndCount(env: NodeJS.ProcessEnv, count: () => Promise<number>) {
    const again = await startServer(nextPort(), env);
    const rss = samplePeakRss(again.child.pid as number);
    const drainMs = await waitUntilLoaded(again, drainTimeoutMs);
    const peak = rss.stop();
    const exitCode = await again.terminate();
    return {
      replay_after_restart_s: drainMs === null ? 'did not finish' : round(drainMs / 1000, 1),
      catch_up_peak_rss_mb: round(peak.total / 1024 / 1024, 0),
      catch_up_peak_rss_by_process: peak.byProcess
        .map((p) => `${p.name} ${round(p.bytes / 1024 / 1024, 0)}`)
        .join(', '),
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
    const env = {
      DATABASE_URL: proxied.toString(),
      RESULTS_JOURNAL_DIR: join(dir, 'pg-journal'),
      CAPTURE_DIR: join(dir, 'pg-captures'),
      // The loader writes during the load (at once, and not starved by the server), so the
      // outage cuts it mid-way.
      RESULTS_LOAD_MAX_LAG_S: '0',
      RESULTS_LOADER_NICE: '0',
    };
    let stoppedAt = 0;
    let startedAgainAt = 0;
    let outage: Promise<void> | undefined;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      const loaded = await run(await startServer(nextPort(), env), { amount }, () => {
        outage = (async () => {
          await sleep(Math.max(1, expectedS / 2 - outageS / 2) * 1000);
          stoppedAt = Date.now();
          await proxy.stop();
          await sleep(outageS * 1000);
          startedAgainAt = Date.now();
          await proxy.start();
        })();
      });
      // The SIGTERM came at the end of the load: if that was inside the outage, the database
      // comes back (after its full outage) before the restart.
      await outage;
      const kept = await restartAndCount(env, async () => countLive(admin, schema));
      return {
        ...loaded,
        ...kept,
        database_unreachable_s: round((startedAgainAt - stoppedAt) / 1000, 1),
        rows_lost: loaded.pairs_answered - kept.live_rows_kept,
      };
    } finally {
      await proxy.stop();
      await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    }
  }
}

function catchUpRow(
  name: string,
  r: { backlog_rows_at_sigterm: number },
  kept: {
    replay_after_restart_s: number | string;
    catch_up_peak_rss_mb: number;
    catch_up_peak_rss_by_process: string;
    live_rows_kept: number;
  },
) {
  const s = kept.replay_after_restart_s;
  return [
    name,
    r.backlog_rows_at_sigterm,
    s,
    typeof s === 'number' && s > 0 ? round(r.backlog_rows_at_sigterm / s, 0) : '—',
    kept.catch_up_peak_rss_mb,
    kept.catch_up_peak_rss_by_process,
    kept.live_rows_kept,
  ];
}

type RunFigures = {
  seconds: number;
  requests: number;
  requests_per_second: number;
  p50_ms: number;
  p99_ms: number;
  failed_replies: number;
  peak_rss_mb: number;
  peak_rss_by_process: string;
  pairs_answered: number;
  exit_code_after_sigterm: number | null;
  load_average_1m: number;
};

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

/** Capture files under the capture folder (one a request). */
function countCaptures(dir: string): number {
  let n = 0;
  for (const day of readdirSync(dir, { withFileTypes: true }))
    if (day.isDirectory()) n += readdirSync(join(dir, day.name)).filter((f) => f.endsWith('.json')).length;
  return n;
}

/** Per reply: `record` then `settle` against a loopback SQS answering after `delay` ms. */
async function sqsHandOff() {
  const out: {
    sqs_latency_ms: number;
    rows_a_reply: number;
    p50_ms: number;
    p99_ms: number;
    sends: number;
  }[] = [];
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
