import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { renderTable } from '../scripts/figures/render-figures';
import { writeFigures } from '../scripts/figures/write-figures';
import { loadEvent } from '../test/helpers/events';
import { type BenchReport, benchFigures } from './bench-figures';
import { measureColdStarts } from './cold-start';
import { BenchClient, load } from './http-client';
import { makeRequest } from './make-request';
import { startChild, stop } from './start-child';
import { quantile } from './stats';

/**
 * `npm run bench`: every figure of the hot path beside a reference measured in the same run
 * (issue 11's targets), written to `.data/bench/<time>.json` and `.data/bench/<time>.md` (and
 * `latest.*`), never to a tracked file.
 *
 * - in-process (`bench/in-process.ts`, its own process, one core): 1 × 1 latency, 20,000 pairs
 *   beside JSON parse+stringify, each stage beside what it replaced, 2 × 16,666, 50 × 1,000, gzip;
 * - over HTTP: the local server as `npm start` runs it (recording off) beside the floor server
 *   (`bench/floor-server.ts`), same client, requests interleaved;
 * - cold start of the built zips laid out as Lambda does, beside a bare `node -e 0`.
 *
 * Run lengths: `BENCH_SCALE` (default 1; 0.2 while developing). `BENCH_PROFILE=1` also writes
 * CPU profiles of the in-process run and of the local server to `.data/bench/profiles/`.
 * `BENCH_SKIP_BUILD=1` reuses `dist/`.
 */
const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, '.data', 'bench');
const SCALE = Number(process.env.BENCH_SCALE || 1);
const PROFILE = process.env.BENCH_PROFILE === '1';
const BACKEND = process.env.TFJS_BACKEND || 'wasm';
const scaled = (n: number) => Math.max(3, Math.round(n * SCALE));
const median = (xs: number[]) => quantile(xs, 0.5);

async function main(): Promise<void> {
  mkdirSync(join(OUT, 'profiles'), { recursive: true });
  const startedAt = new Date();
  const machine = {
    host: hostname(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    load_average_at_start: loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
  };
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    console.log('building (npm run build) ...');
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT, stdio: 'ignore' });
  }

  console.log(`in-process figures (backend ${BACKEND}) ...`);
  const inProcess = benchChild<BenchReport['in_process']>([
    ...profileFlags('in-process'),
    '--import',
    'tsx',
    'bench/in-process.ts',
  ]);

  console.log('CPU profile of the 20,000-pair request ...');
  const profile = benchChild<BenchReport['profile_20000']>([
    '--import',
    'tsx',
    'bench/profile-pairs.ts',
    join(OUT, 'profiles', `pairs-20000-${stampOf(startedAt)}.cpuprofile`),
  ]);

  console.log('over HTTP: local server (recording off) beside the floor server ...');
  const http = await overHttp();

  console.log('cold start of the built zips ...');
  // As deployed (the dense pass, TF.js never loaded), beside the same zips scoring with TF.js
  // (SCORING_ENGINE=tfjs: TF.js and its backend loaded at init), interleaved; and a bare Node.
  const cold = await measureColdStarts(loadEvent('seed-request'), scaled(7), BACKEND, {
    deployed: {},
    tfjs: { SCORING_ENGINE: 'tfjs' },
  });
  const bareNode: number[] = [];
  for (let i = 0; i < scaled(7); i++) {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', '0']);
    bareNode.push(Number(process.hrtime.bigint() - t) / 1e6);
  }

  const report: BenchReport = {
    measured_at: startedAt.toISOString(),
    machine: { ...machine, load_average_at_end: loadavg().map((l) => Number(l.toFixed(2))) },
    scale: SCALE,
    backend: BACKEND,
    in_process: inProcess,
    profile_20000: profile,
    http,
    cold_start: {
      ...cold.deployed,
      reference_bare_node_wall_ms: median(bareNode),
      reference_tfjs: cold.tfjs,
    },
  };
  const stamp = stampOf(startedAt);
  const markdown = summary(report);
  for (const name of [stamp, 'latest']) {
    writeFileSync(join(OUT, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(OUT, `${name}.md`), markdown);
  }
  console.log(`\n${markdown}`);
  console.log(`written to ${join('.data', 'bench', `${stamp}.json`)} and .md (and latest.*)`);
  console.log(`figures: ${writeFigures('bench', benchFigures(report))}`);
}

function stampOf(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

function profileFlags(name: string): string[] {
  return PROFILE
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${join(OUT, 'profiles')}`,
        `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
      ]
    : [];
}

/** Requests a side in each run of the 1 × 1 measured in alternating runs. */
const RUN_LENGTH = 1000;

async function overHttp() {
  const floor = await startChild(
    'floor',
    ['--import', 'tsx', 'bench/floor-server.ts', '0'],
    {},
    /floor listening on (\d+)/,
  );
  const server = await startChild(
    'local server',
    [...profileFlags('local-server'), '--import', 'tsx', 'local/server.ts'],
    {
      PORT: '0',
      RESULTS_DB: 'off',
      TFJS_BACKEND: BACKEND,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      MODEL_DIR: join(ROOT, 'models', 'default'),
    },
    /listening on http:\/\/127\.0\.0\.1:(\d+)/,
  );
  const path = '/budget_expense_matcher';
  try {
    const seed = Buffer.from(JSON.stringify(loadEvent('seed-request')));
    const big = Buffer.from(JSON.stringify(makeRequest(10, 2000)));
    const clients = { floor: new BenchClient(floor.port), server: new BenchClient(server.port) };
    // 1 × 1, one connection each, requests interleaved so load swings hit both alike, after a
    // warm-up long enough for V8 to have compiled both servers' request paths.
    const n = scaled(3000);
    for (let i = 0; i < Math.max(500, scaled(5000)); i++) {
      await clients.floor.post(path, seed);
      await clients.server.post(path, seed);
    }
    const lat = { floor: [] as number[], server: [] as number[] };
    for (let i = 0; i < n; i++) {
      lat.floor.push((await clients.floor.post(path, seed)).ms);
      const s = await clients.server.post(path, seed);
      if (s.status !== 200) throw new Error(`the local server answered ${s.status} to the seed request`);
      lat.server.push(s.ms);
    }
    // The same 1 × 1 in alternating runs of RUN_LENGTH requests a side: the floor's p50 moves with
    // the order of requests alone (how the scheduler places client and server on the two cores),
    // so the benchmark shows the ratio both ways rather than choose one.
    const runs = { floor: [] as number[], server: [] as number[] };
    for (let r = 0; r < Math.max(2, Math.round(n / RUN_LENGTH)); r++) {
      for (const side of ['floor', 'server'] as const) {
        for (let i = 0; i < RUN_LENGTH; i++) runs[side].push((await clients[side].post(path, seed)).ms);
      }
    }
    // 10 × 2,000, two connections each (two cores), in alternating rounds.
    const rounds = 4;
    const roundMs = Math.max(1000, (10_000 * SCALE) / rounds);
    const totals = {
      floor: { requests: 0, seconds: 0, bytes: 0 },
      server: { requests: 0, seconds: 0, bytes: 0 },
    };
    const busy = { floor: new BenchClient(floor.port, 2), server: new BenchClient(server.port, 2) };
    await load(busy.floor, path, big, 2, 500);
    await load(busy.server, path, big, 2, 500);
    for (let r = 0; r < rounds; r++) {
      for (const side of ['floor', 'server'] as const) {
        const run = await load(busy[side], path, big, 2, roundMs);
        totals[side].requests += run.requests;
        totals[side].seconds += run.seconds;
        totals[side].bytes += run.bytes;
      }
    }
    // The same 10 × 2,000 with Accept-Encoding: gzip: bytes on the wire and time a request.
    const wire = { plain: [] as number[], gzip: [] as number[] };
    let plainBytes = 0;
    let gzipBytes = 0;
    for (let i = 0; i < scaled(20); i++) {
      const p = await clients.server.post(path, big);
      const g = await clients.server.post(path, big, { 'accept-encoding': 'gzip' });
      wire.plain.push(p.ms);
      wire.gzip.push(g.ms);
      plainBytes = p.bytes;
      gzipBytes = g.bytes;
    }
    const bigGzip = gzipSync(big);
    for (const c of [...Object.values(clients), ...Object.values(busy)]) c.close();
    const pairsPerSecond = (t: { requests: number; seconds: number }) =>
      Math.round((t.requests * 20_000) / t.seconds);
    return {
      seed_1x1: {
        runs: n,
        floor: { p50_ms: quantile(lat.floor, 0.5), p99_ms: quantile(lat.floor, 0.99) },
        server: { p50_ms: quantile(lat.server, 0.5), p99_ms: quantile(lat.server, 0.99) },
        p50_ratio_to_floor: quantile(lat.server, 0.5) / quantile(lat.floor, 0.5),
      },
      seed_1x1_runs: {
        run_length: RUN_LENGTH,
        requests: runs.server.length,
        floor: { p50_ms: quantile(runs.floor, 0.5) },
        server: { p50_ms: quantile(runs.server, 0.5) },
        p50_ratio_to_floor: quantile(runs.server, 0.5) / quantile(runs.floor, 0.5),
      },
      pairs_10x2000: {
        connections: 2,
        floor: { ...totals.floor, pairs_per_second: pairsPerSecond(totals.floor) },
        server: { ...totals.server, pairs_per_second: pairsPerSecond(totals.server) },
        ratio_to_floor: pairsPerSecond(totals.server) / pairsPerSecond(totals.floor),
      },
      gzip_10x2000: {
        request_bytes: big.length,
        request_gzip_bytes: bigGzip.length,
        reply_bytes_plain: plainBytes,
        reply_bytes_gzip: gzipBytes,
        plain_ms: median(wire.plain),
        gzip_ms: median(wire.gzip),
      },
    };
  } finally {
    await stop(floor.child);
    await stop(server.child);
  }
}

/** The report as markdown: the same tables and notes as the figures file the docs render. */
function summary(r: BenchReport): string {
  const figures = benchFigures(r);
  const m = r.machine;
  return [
    `# npm run bench, ${r.measured_at}`,
    '',
    `Machine: ${m.host}, ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB, Node ${m.node}.`,
    '',
    ...(figures.tables ?? []).flatMap((t) => [renderTable(t), '']),
    ...(figures.notes ?? []).flatMap((n) => [n, '']),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/** Runs a bench script in a child Node (the backend and scale of this run) and reads its last line as JSON. */
function benchChild<T>(args: string[]): T {
  const output = execFileSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, TFJS_BACKEND: BACKEND, POWERTOOLS_LOG_LEVEL: 'WARN', BENCH_SCALE: String(SCALE) },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as T;
}
