import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadEvent } from '../test/helpers/events';
import { measureColdStart } from './cold-start';
import type { ProfileSummary } from './cpu-profile';
import { BenchClient, load } from './http-client';
import { makeRequest } from './make-request';
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
  const inProcess = JSON.parse(
    execFileSync(
      process.execPath,
      [...profileFlags('in-process'), '--import', 'tsx', 'bench/in-process.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          TFJS_BACKEND: BACKEND,
          POWERTOOLS_LOG_LEVEL: 'WARN',
          BENCH_SCALE: String(SCALE),
        },
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    )
      .trim()
      .split('\n')
      .at(-1) ?? '{}',
  ) as InProcess;

  console.log('CPU profile of the 20,000-pair request ...');
  const profile = JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/profile-pairs.ts',
        join(OUT, 'profiles', `pairs-20000-${stampOf(startedAt)}.cpuprofile`),
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          TFJS_BACKEND: BACKEND,
          POWERTOOLS_LOG_LEVEL: 'WARN',
          BENCH_SCALE: String(SCALE),
        },
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    )
      .trim()
      .split('\n')
      .at(-1) ?? '{}',
  ) as PairsProfile;

  console.log('over HTTP: local server (recording off) beside the floor server ...');
  const http = await overHttp();

  console.log('cold start of the built zips ...');
  const cold = await measureColdStart(loadEvent('seed-request'), scaled(7), BACKEND);
  const bareNode: number[] = [];
  for (let i = 0; i < scaled(7); i++) {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', '0']);
    bareNode.push(Number(process.hrtime.bigint() - t) / 1e6);
  }

  const report = {
    measured_at: startedAt.toISOString(),
    machine: { ...machine, load_average_at_end: loadavg().map((l) => Number(l.toFixed(2))) },
    scale: SCALE,
    backend: BACKEND,
    in_process: inProcess,
    profile_20000: profile,
    http,
    cold_start: { ...cold, reference_bare_node_wall_ms: median(bareNode) },
  };
  const stamp = stampOf(startedAt);
  const markdown = summary(report);
  for (const name of [stamp, 'latest']) {
    writeFileSync(join(OUT, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(OUT, `${name}.md`), markdown);
  }
  console.log(`\n${markdown}`);
  console.log(`written to ${join('.data', 'bench', `${stamp}.json`)} and .md (and latest.*)`);
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
    // 1 × 1, one connection each, requests interleaved so load swings hit both alike.
    const n = scaled(3000);
    for (let i = 0; i < Math.min(500, n); i++) {
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

async function startChild(
  name: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m) resolvePort(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the ${name} exited (${code}) before listening:\n${out}`)));
  });
  child.stdout?.resume();
  return { child, port };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once('exit', () => resolveStop());
    child.kill('SIGTERM');
  });
}

type PairsProfile = { calls: number; mean_ms: number } & ProfileSummary;

interface Stage {
  now: number;
  before?: number;
}
interface InProcess {
  backend: string;
  engine: string;
  model_version: string;
  seed_1x1: {
    api_gateway: { p50_ms: number; p99_ms: number; p99_over_p50: number; runs: number };
    invoke: { p50_ms: number; p99_ms: number; p99_over_p50: number };
    reference_json_parse_stringify: { p50_ms: number; p99_ms: number };
  };
  pairs_20000: {
    handler_ms: number;
    pairs_per_second: number;
    reference_json_parse_stringify_ms: number;
    ratio_to_reference: number;
    cpu: { handler_ms: number; reference_json_parse_stringify_ms: number; ratio_to_reference: number };
    body_bytes: number;
    reply_bytes: number;
    stages_median_ms: Record<string, Stage>;
  };
  big_2x16666: { body_bytes: number; handler_ms: number; cpu_ms: number; per_item_us: number };
  limit_50x1000: { handler_ms: number };
  gzip_reply_20000: {
    reply_bytes: number;
    gzip6_bytes: number;
    gzip6_ms: number;
    gzip1_bytes: number;
    gzip1_ms: number;
    scoring_ms: number;
  };
  gzip_by_reply_size: {
    rows: Array<{
      pairs: number;
      reply_bytes: number;
      gzip_bytes: number;
      saved_bytes: number;
      gzip_us: number;
    }>;
    first_saving_a_tcp_segment: { pairs: number; reply_bytes: number } | null;
  };
}

type Report = {
  measured_at: string;
  machine: Record<string, unknown>;
  scale: number;
  backend: string;
  in_process: InProcess;
  profile_20000: PairsProfile;
  http: Awaited<ReturnType<typeof overHttp>>;
  cold_start: Awaited<ReturnType<typeof measureColdStart>> & { reference_bare_node_wall_ms: number };
};

function summary(r: Report): string {
  const ip = r.in_process;
  const f = (n: number, d = 2) => n.toFixed(d);
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
  const lines = [
    `# npm run bench, ${r.measured_at}`,
    '',
    `Machine: ${r.machine.host}, ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memory_gib} GiB, Node ${r.machine.node}; load average ${JSON.stringify(r.machine.load_average_at_start)} at the start, ${JSON.stringify(r.machine.load_average_at_end)} at the end. Backend ${ip.backend}, scoring engine ${ip.engine}, model ${ip.model_version}, run scale ${r.scale}.`,
    '',
    '## Targets, each beside its reference from this run',
    '',
    '| figure | measured | reference (same run) | ratio | target | |',
    '|---|---:|---:|---:|---|---|',
    `| 10×2,000 over HTTP, local server, recording off | ${r.http.pairs_10x2000.server.pairs_per_second.toLocaleString('en-US')} pairs/s | floor server ${r.http.pairs_10x2000.floor.pairs_per_second.toLocaleString('en-US')} pairs/s | ${f(r.http.pairs_10x2000.ratio_to_floor)}× | ≥ 0.5× | ${verdict(r.http.pairs_10x2000.ratio_to_floor >= 0.5)} |`,
    `| 1×1 over HTTP, p50 | ${f(r.http.seed_1x1.server.p50_ms, 3)} ms | floor ${f(r.http.seed_1x1.floor.p50_ms, 3)} ms | ${f(r.http.seed_1x1.p50_ratio_to_floor)}× | ≤ 1.5× | ${verdict(r.http.seed_1x1.p50_ratio_to_floor <= 1.5)} |`,
    `| 1×1 over HTTP, p99 | ${f(r.http.seed_1x1.server.p99_ms, 3)} ms | floor ${f(r.http.seed_1x1.floor.p99_ms, 3)} ms | ${f(r.http.seed_1x1.server.p99_ms / r.http.seed_1x1.floor.p99_ms)}× | ≤ 3 ms | ${verdict(r.http.seed_1x1.server.p99_ms <= 3)} |`,
    `| 20,000 pairs in-process (10×2,000, API Gateway event) | ${f(ip.pairs_20000.handler_ms, 1)} ms (${ip.pairs_20000.pairs_per_second.toLocaleString('en-US')} pairs/s) | JSON.parse + JSON.stringify ${f(ip.pairs_20000.reference_json_parse_stringify_ms, 1)} ms | ${f(ip.pairs_20000.ratio_to_reference)}× | ≤ 2.5× | ${verdict(ip.pairs_20000.ratio_to_reference <= 2.5)} |`,
    `| 20,000 pairs in-process, CPU time (what the process itself spent: no waiting for a core) | ${f(ip.pairs_20000.cpu.handler_ms, 1)} ms | JSON.parse + JSON.stringify ${f(ip.pairs_20000.cpu.reference_json_parse_stringify_ms, 1)} ms | ${f(ip.pairs_20000.cpu.ratio_to_reference)}× | ≤ 2.5× | ${verdict(ip.pairs_20000.cpu.ratio_to_reference <= 2.5)} |`,
    `| 1×1 in-process (API Gateway event), p50 | ${f(ip.seed_1x1.api_gateway.p50_ms, 4)} ms | JSON parse+stringify ${f(ip.seed_1x1.reference_json_parse_stringify.p50_ms, 4)} ms | | ≤ 0.1 ms | ${verdict(ip.seed_1x1.api_gateway.p50_ms <= 0.1)} |`,
    `| 1×1 in-process (API Gateway event), p99 | ${f(ip.seed_1x1.api_gateway.p99_ms, 4)} ms | its p50 | ${f(ip.seed_1x1.api_gateway.p99_over_p50, 1)}× p50 | ≤ 0.5 ms, ≤ 5× p50 | ${verdict(ip.seed_1x1.api_gateway.p99_ms <= 0.5)} / ${verdict(ip.seed_1x1.api_gateway.p99_over_p50 <= 5)} |`,
    `| 1×1 in-process (direct invoke), p50 / p99 | ${f(ip.seed_1x1.invoke.p50_ms, 4)} / ${f(ip.seed_1x1.invoke.p99_ms, 4)} ms | | ${f(ip.seed_1x1.invoke.p99_over_p50, 1)}× p50 | as above | |`,
    `| 2 budgets × 16,666 items in-process (${(ip.big_2x16666.body_bytes / 1e6).toFixed(1)} MB) | ${f(ip.big_2x16666.handler_ms, 1)} ms (${f(ip.big_2x16666.per_item_us, 1)} µs an item; CPU ${f(ip.big_2x16666.cpu_ms, 1)} ms) | 20,000 pairs: ${f(ip.pairs_20000.handler_ms, 1)} ms | | ≤ 300 ms | ${verdict(ip.big_2x16666.handler_ms <= 300)} |`,
    `| 50 × 1,000 in-process (50,000 pairs, the limit) | ${f(ip.limit_50x1000.handler_ms, 1)} ms | | | fits MAX_PAIRS | met |`,
    `| cold start, built zips in the Lambda layout, require + first reply | ${f(r.cold_start.to_first_reply_ms, 0)} ms (require ${f(r.cold_start.require_ms, 0)}, first reply ${f(r.cold_start.first_reply_ms, 0)}; process wall ${f(r.cold_start.wall_ms, 0)}) | bare \`node -e 0\` wall ${f(r.cold_start.reference_bare_node_wall_ms, 0)} ms | ${f(r.cold_start.wall_ms / r.cold_start.reference_bare_node_wall_ms, 1)}× (wall) | ≤ 250 ms | ${verdict(r.cold_start.to_first_reply_ms <= 250)} |`,
    '',
    '## Where 20,000 pairs go in-process: each stage now, beside what it replaced',
    '',
    '| stage | now ms | before ms | before / now |',
    '|---|---:|---:|---:|',
    ...Object.entries(ip.pairs_20000.stages_median_ms).map(
      ([name, s]) =>
        `| ${name.replace(/_/g, ' ')} | ${f(s.now)} | ${s.before === undefined ? '(native, kept)' : f(s.before)} | ${s.before === undefined ? '' : `${f(s.before / s.now, 1)}×`} |`,
    ),
    '',
    'Before: parse entries = the zod schemas entry by entry; normalise = per-entry normalisation without the request caches; pair features = every column written per pair; model call = TF.js `predictOnBatch` on the same weights; reply = `JSON.stringify` of reply objects.',
    '',
    `CPU profile of the same request through the handler (${r.profile_20000.calls} calls, ${f(r.profile_20000.mean_ms, 1)} ms a call under the profiler), by the innermost project file on the stack (time in Node's own code, such as \`JSON.parse\`, counts for the file that called it):`,
    '',
    '| file | ms | share |',
    '|---|---:|---:|',
    ...r.profile_20000.by_file
      .filter((x) => x.share >= 0.005)
      .map((x) => `| ${x.file} | ${f(x.ms, 0)} | ${f(100 * x.share, 1)}% |`),
    '',
    'Top functions by their own time:',
    '',
    '| function | ms | share |',
    '|---|---:|---:|',
    ...r.profile_20000.top_functions.map((x) => `| ${x.name} | ${f(x.ms, 0)} | ${f(100 * x.share, 1)}% |`),
    '',
    '## Over the wire (10×2,000)',
    '',
    `Request ${r.http.gzip_10x2000.request_bytes.toLocaleString('en-US')} bytes (${r.http.gzip_10x2000.request_gzip_bytes.toLocaleString('en-US')} gzipped); reply ${r.http.gzip_10x2000.reply_bytes_plain.toLocaleString('en-US')} bytes plain, ${r.http.gzip_10x2000.reply_bytes_gzip.toLocaleString('en-US')} bytes with \`Accept-Encoding: gzip\`; a request over loopback ${f(r.http.gzip_10x2000.plain_ms, 1)} ms plain, ${f(r.http.gzip_10x2000.gzip_ms, 1)} ms gzipped. In-process, gzip of the 20,000-pair reply: level 1 ${f(ip.gzip_reply_20000.gzip1_ms, 1)} ms → ${ip.gzip_reply_20000.gzip1_bytes.toLocaleString('en-US')} bytes, level 6 ${f(ip.gzip_reply_20000.gzip6_ms, 1)} ms → ${ip.gzip_reply_20000.gzip6_bytes.toLocaleString('en-US')} bytes, beside ${f(ip.gzip_reply_20000.scoring_ms, 1)} ms to score it.`,
    '',
    '| pairs in the reply | reply bytes | gzipped | saved | gzip µs |',
    '|---:|---:|---:|---:|---:|',
    ...ip.gzip_by_reply_size.rows.map(
      (x) => `| ${x.pairs} | ${x.reply_bytes} | ${x.gzip_bytes} | ${x.saved_bytes} | ${f(x.gzip_us, 0)} |`,
    ),
    '',
    `Compression first saves a whole TCP segment (1,460 bytes) at ${ip.gzip_by_reply_size.first_saving_a_tcp_segment ? `${ip.gzip_by_reply_size.first_saving_a_tcp_segment.pairs} pairs (${ip.gzip_by_reply_size.first_saving_a_tcp_segment.reply_bytes} bytes of reply)` : 'no size measured'}.`,
    '',
  ];
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
