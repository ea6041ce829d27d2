import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DIST } from '../scripts/esbuild-options';
import { writeFigures } from '../scripts/figures/write-figures';
import { benchFigures } from './bench-figures';
import { quantile } from './stats';

/**
 * `npm run bench`: warm latency of the seed request, throughput for 10 budgets × 2,000 items,
 * and cold start of the built bundle, once per TF.js backend installed here. Prints a table and
 * the JSON (also written to .data/bench/results.json, and as figures to .data/figures/bench.json). Figures from a shared machine: compare rows of
 * one run with each other, not with another machine's.
 */
const ROOT = resolve(__dirname, '..');
const COLD_RUNS = 7;

function installed(backend: string): boolean {
  const pkg = { tensorflow: 'tfjs-node', wasm: 'tfjs-backend-wasm', cpu: 'tfjs-backend-cpu' }[backend];
  return existsSync(join(ROOT, 'node_modules', '@tensorflow', pkg ?? '', 'package.json'));
}

function runJson(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Record<string, unknown> {
  const out = execFileSync(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const line = out.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line) as Record<string, unknown>;
}

function coldStart(backend: string) {
  const bundle = join(ROOT, DIST.code('predict'));
  const event = readFileSync(join(ROOT, 'events', 'seed-request.json'), 'utf8');
  const samples: Array<Record<string, number>> = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [join(ROOT, 'bench', 'cold-start.cjs'), event], {
      cwd: bundle,
      env: {
        ...process.env,
        NODE_PATH: join(ROOT, 'node_modules'),
        TFJS_BACKEND: backend,
        POWERTOOLS_LOG_LEVEL: 'WARN',
      },
      encoding: 'utf8',
    });
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Record<
      string,
      number | boolean
    >;
    if (result.ok !== true)
      throw new Error(`cold start on ${backend} did not answer the seed request: ${child.stderr}`);
    samples.push({ ...(result as Record<string, number>), wall_ms: wall });
  }
  const median = (k: string) =>
    quantile(
      samples.map((s) => s[k] ?? Number.NaN),
      0.5,
    );
  return {
    runs: COLD_RUNS,
    wall_ms: median('wall_ms'),
    node_boot_ms: median('boot_ms'),
    require_ms: median('require_ms'),
    first_reply_ms: median('first_reply_ms'),
    rss_mb: median('rss_mb'),
  };
}

function main(): void {
  console.log('building the bundle (npm run build) ...');
  execFileSync('npx', ['tsx', 'scripts/build.ts'], { cwd: ROOT, stdio: 'inherit' });
  const bundleBytes = readFileSync(join(ROOT, DIST.code('predict'), 'index.js')).length;
  const backends = ['tensorflow', 'wasm', 'cpu'].filter(installed);
  const results = backends.map((backend) => {
    console.log(`measuring on ${backend} ...`);
    const warm = runJson(process.execPath, ['--import', 'tsx', 'bench/warm.ts'], {
      TFJS_BACKEND: backend,
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    return { ...warm, cold_start: coldStart(backend) };
  });
  const report = {
    measured_at: new Date().toISOString(),
    node: process.version,
    bundle_bytes: bundleBytes,
    results,
  };
  mkdirSync(join(ROOT, '.data', 'bench'), { recursive: true });
  writeFileSync(join(ROOT, '.data', 'bench', 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFigures('bench', benchFigures(report));

  const f = (n: unknown, digits = 2) => (typeof n === 'number' ? n.toFixed(digits) : String(n));
  type Row = Record<string, Record<string, unknown>>;
  console.log(
    '\n| backend | seed p50 ms (invoke) | seed p99 ms (invoke) | seed p50 ms (API GW) | 10×2,000 pairs ms | pairs/s | parse / features / score / reply ms | JSON parse+stringify ref ms | cold start ms (wall) | require ms | first reply ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results as unknown as Row[]) {
    const t = r.throughput as Record<string, unknown>;
    const p = t.phases_median_ms as Record<string, number>;
    console.log(
      `| ${r.backend} | ${f(r.seed_invoke?.p50_ms, 3)} | ${f(r.seed_invoke?.p99_ms, 3)} | ${f(r.seed_api_gateway?.p50_ms, 3)} | ${f(t.median_ms, 1)} | ${Number(t.pairs_per_second).toLocaleString('en-US')} | ${f(p.parse, 1)} / ${f(p.features, 1)} / ${f(p.score, 1)} / ${f(p.reply, 1)} | ${f(t.reference_json_parse_stringify_ms, 1)} | ${f(r.cold_start?.wall_ms, 0)} | ${f(r.cold_start?.require_ms, 0)} | ${f(r.cold_start?.first_reply_ms, 0)} |`,
    );
  }
  console.log(`\nbundle: ${bundleBytes} bytes (minified, TF.js external)`);
  console.log(JSON.stringify(report));
}

main();
