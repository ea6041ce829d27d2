import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadEvent } from '../test/helpers/events';
import { BenchClient } from './http-client';
import { startChild, stop } from './start-child';
import { quantile } from './stats';

/**
 * `npm run bench:server-cpu -- floor server [server:K=V]`: the server processes'
 * CPU time a 1 × 1 seed request over HTTP (Linux: the run time of every thread of the process, from
 * `/proc/<pid>/task/<tid>/schedstat`, in ns), each side in its own process as `npm run bench`
 * starts it (`floor`: `bench/floor-server.ts`; `server`: `local/server.ts` with recording off;
 * `server:K=V,K2=V2`: the same with those variables set). CPU time, not latency, because on a
 * shared machine a wall-clock figure moves with the load; and in alternating rounds (the order
 * turned every round) with differences paired by round against the first side, because the CPU
 * time of the same code moves with the load too (caches, frequency).
 *
 * `ROUNDS` (default 30) rounds of `REQUESTS` (default 1,000) sequential requests a side, after
 * `WARMUP` (default 5,000) a side. Prints a table and one JSON line.
 */
const ROOT = resolve(__dirname, '..');
const ROUNDS = Number(process.env.ROUNDS || 30);
const REQUESTS = Number(process.env.REQUESTS || 1000);
const WARMUP = Number(process.env.WARMUP || 5000);
const PATH = '/budget_expense_matcher';

interface Side {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly client: BenchClient;
  /** Microseconds of CPU a request, one a round. */
  readonly cpu: number[];
  /** Clock ticks of user and system time over the rounds (`/proc/<pid>/stat`). */
  ticks: [number, number];
}

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  if (names.length === 0) names.push('floor', 'server');
  const sides: Side[] = [];
  try {
    for (const name of names) sides.push(await start(name));
    const body = Buffer.from(JSON.stringify(loadEvent('seed-request')));
    for (let i = 0; i < WARMUP; i++) for (const side of sides) await post(side, body);
    const before = sides.map((side) => userSystemTicks(side.pid));
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
        const start = runNs(side.pid);
        for (let i = 0; i < REQUESTS; i++) await post(side, body);
        side.cpu.push((runNs(side.pid) - start) / REQUESTS / 1000);
      }
    }
    sides.forEach((side, i) => {
      const [user, system] = userSystemTicks(side.pid);
      side.ticks = [user - (before[i]?.[0] ?? 0), system - (before[i]?.[1] ?? 0)];
    });
    report(sides);
  } finally {
    for (const side of sides) {
      side.client.close();
      await stop(side.child);
    }
  }
}

function report(sides: readonly Side[]): void {
  const requests = ROUNDS * REQUESTS;
  // A clock tick is 10 ms on Linux (USER_HZ 100).
  const perRequest = (ticks: number) => (ticks * 10_000) / requests;
  const reference = sides.find((side) => side.name !== 'floor') ?? sides[0];
  console.log(`\nCPU a 1 × 1 request, µs (${ROUNDS} rounds of ${REQUESTS} requests a side, alternating)\n`);
  console.log(
    '| side | p25 | median | p75 | user | system | paired with the first server side: median (p25 .. p75) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---|');
  const rows = sides.map((side) => {
    const paired =
      reference && side !== reference
        ? side.cpu.map((x, i) => x - (reference.cpu[i] ?? Number.NaN))
        : undefined;
    const row = {
      side: side.name,
      p25_us: quantile(side.cpu, 0.25),
      median_us: quantile(side.cpu, 0.5),
      p75_us: quantile(side.cpu, 0.75),
      user_us: perRequest(side.ticks[0]),
      system_us: perRequest(side.ticks[1]),
      paired_median_us: paired ? quantile(paired, 0.5) : undefined,
      paired_p25_us: paired ? quantile(paired, 0.25) : undefined,
      paired_p75_us: paired ? quantile(paired, 0.75) : undefined,
      rounds_lower: paired ? paired.filter((d) => d < 0).length : undefined,
      rounds_us: side.cpu.map((x) => Math.round(x * 10) / 10),
    };
    const f = (x: number) => x.toFixed(1);
    const pairedText = paired
      ? `${f(row.paired_median_us ?? 0)} (${f(row.paired_p25_us ?? 0)} .. ${f(row.paired_p75_us ?? 0)}), lower in ${row.rounds_lower} of ${ROUNDS} rounds`
      : '';
    console.log(
      `| ${side.name} | ${f(row.p25_us)} | ${f(row.median_us)} | ${f(row.p75_us)} | ${f(row.user_us)} | ${f(row.system_us)} | ${pairedText} |`,
    );
    return row;
  });
  console.log(
    JSON.stringify({ measured_at: new Date().toISOString(), rounds: ROUNDS, requests: REQUESTS, rows }),
  );
}

async function post(side: Side, body: Buffer): Promise<void> {
  const sample = await side.client.post(PATH, body);
  if (sample.status !== 200) throw new Error(`${side.name} answered ${sample.status} to the seed request`);
}

async function start(name: string): Promise<Side> {
  const [kind, settings] = name.split(':', 2) as [string, string | undefined];
  if (kind !== 'floor' && kind !== 'server')
    throw new Error(`unknown side ${name}: floor, server or server:K=V,...`);
  const env: Record<string, string> = {
    PORT: '0',
    RESULTS_DB: 'off',
    TFJS_BACKEND: process.env.TFJS_BACKEND || 'wasm',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    MODEL_DIR: join(ROOT, 'models', 'default'),
  };
  for (const setting of settings ? settings.split(',') : []) {
    const at = setting.indexOf('=');
    if (at > 0) env[setting.slice(0, at)] = setting.slice(at + 1);
  }
  const args =
    kind === 'floor'
      ? ['--import', 'tsx', 'bench/floor-server.ts', '0']
      : ['--import', 'tsx', 'local/server.ts'];
  const ready = kind === 'floor' ? /floor listening on (\d+)/ : /listening on http:\/\/127\.0\.0\.1:(\d+)/;
  const { child, port } = await startChild(name, args, env, ready);
  if (child.pid === undefined) throw new Error(`${name} has no process id`);
  return { name, child, pid: child.pid, client: new BenchClient(port), cpu: [], ticks: [0, 0] };
}

/** Nanoseconds every thread of process `pid` has run (the first field of each thread's schedstat). */
function runNs(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return total;
}

/** User and system clock ticks of process `pid` (fields 14 and 15 of `/proc/<pid>/stat`). */
function userSystemTicks(pid: number): [number, number] {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return [Number(fields[11]), Number(fields[12])];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
