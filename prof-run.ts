import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadEvent } from './test/helpers/events';
import { makeRequest } from './bench/make-request';
import { samplePeakRss } from './bench/results/process-tree';

async function main() {
const mode = process.argv[2] ?? 'on';
const seconds = Number(process.argv[3] ?? 10);
const profDir = `/tmp/prof/${mode}`;
const work = mkdtempSync(join(tmpdir(), 'prof-'));
const env: NodeJS.ProcessEnv = { ...process.env, PORT: '3417', POWERTOOLS_LOG_LEVEL: 'WARN', RESULTS_DB_DIR: join(work, 'db'), DATABASE_URL: '' };
if (mode === 'off') env.RESULTS_DB = 'off';
if (mode === 'nocapture') env.CAPTURE = 'off';
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--import', 'tsx', 'local/server.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const exited = new Promise((r) => child.once('exit', (c) => r(c)));
await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('listening')) resolve(); }));
const seed = JSON.stringify(loadEvent('seed-request'));
const big = JSON.stringify(makeRequest(10, 200));
const rss = samplePeakRss(child.pid!);
const r = await autocannon({ url: 'http://127.0.0.1:3417/budget_expense_matcher', method: 'POST', connections: 8, duration: seconds, requests: [{ body: seed }, { body: big }] });
const peak = rss.stop();
const health = await (await fetch('http://127.0.0.1:3417/health')).json();
console.log(mode, 'req/s', (r.requests.total / seconds).toFixed(1), 'p50', r.latency.p50, 'p99', r.latency.p99, 'peakRSS MB', (peak / 2 ** 20).toFixed(0), JSON.stringify(health.results));
child.kill('SIGTERM');
console.log('exit', await exited);
}
void main();
