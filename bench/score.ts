import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs, promisify } from 'node:util';
import { writeFigures } from '../scripts/figures/write-figures';
import { makeRequest } from '../test/helpers/requests';
import { type ScoreRouteRow, scoreFigures } from './score-figures';

/**
 * `npm run bench:score [-- --requests 1000]`: `npm run score` over 1,000 requests of 10 budgets × 100 line items
 * (1,000,000 pairs) against `npm start` (its own process, results off), beside the reference the
 * issue sets: the same server answering one client that sends the same request bodies back to
 * back with no client overhead (bodies prepared beforehand, replies read and dropped). Both routes:
 * the HTTP route (`--url`) and the Lambda Invoke API (`--endpoint-url`). Every output line is
 * checked (answered, in order). Prints a table; writes its figures (`.data/figures/score.json`,
 * `writeFigures`) for docs/clients.md.
 */
const ROOT = join(__dirname, '..');
const OUT = join(ROOT, '.data', 'bench');
const WORK = join(OUT, 'score-run');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const { values: args } = parseArgs({ options: { requests: { type: 'string', default: '1000' } } });
const REQUESTS = Number(args.requests);
const SHAPE = { budgets: 10, items: 100 };
const CONCURRENCY = 4;

async function main(): Promise<void> {
  if (!(Number.isInteger(REQUESTS) && REQUESTS >= 50))
    throw new Error('--requests: a whole number, at least 50');
  // Other work on the machine takes CPU from both sides: the load averages go with the figures.
  const loadAtStart = loadavg().map((l) => round(l));
  mkdirSync(WORK, { recursive: true });
  const input = join(WORK, 'requests.jsonl');
  const bodies = Array.from({ length: REQUESTS }, (_, tag) => JSON.stringify(makeRequest({ ...SHAPE, tag })));
  writeFileSync(input, `${bodies.join('\n')}\n`);
  const pairs = REQUESTS * SHAPE.budgets * SHAPE.items;
  const server = await startServer();
  try {
    const routes = {
      http: { path: '/budget_expense_matcher', args: ['--url', server.url] },
      invoke: {
        path: '/2015-03-31/functions/budget-expense-matcher/invocations',
        args: ['--endpoint-url', server.url],
      },
    } as const;
    // Warm the model and the JIT on both paths before anything is timed.
    for (const route of Object.values(routes)) await backToBack(server.url, route.path, bodies.slice(0, 50));
    const rows: ScoreRouteRow[] = [];
    for (const name of ['http', 'invoke'] as const) {
      const route = routes[name];
      // Reference before and after the client's run: the mean of the two absorbs drift on a shared machine.
      const before = await backToBack(server.url, route.path, bodies);
      const scored = await runScoreCli(input, join(WORK, `replies-${name}.jsonl`), [
        ...route.args,
        '--concurrency',
        String(CONCURRENCY),
      ]);
      const after = await backToBack(server.url, route.path, bodies);
      await checkOutput(join(WORK, `replies-${name}.jsonl`));
      const reference = pairs / ((before + after) / 2);
      const client = pairs / scored.seconds;
      rows.push({
        route: name,
        reference_pairs_per_s: Math.round(reference),
        reference_runs_s: [round(before), round(after)],
        score_pairs_per_s: Math.round(client),
        score_s: round(scored.seconds),
        score_printed: scored.printed,
        ratio: round(client / reference, 3),
      });
    }
    const result = {
      requests: REQUESTS,
      pairs,
      shape: SHAPE,
      concurrency: CONCURRENCY,
      target_ratio: 0.8,
      load_average: { start: loadAtStart, end: loadavg().map((l) => round(l)) },
      rows,
    };
    console.log(`npm run score, ${REQUESTS} requests × ${SHAPE.budgets * SHAPE.items} pairs`);
    console.log('| route | back-to-back pairs/s | npm run score pairs/s | ratio |\n|---|---:|---:|---:|');
    for (const r of rows)
      console.log(`| ${r.route} | ${r.reference_pairs_per_s} | ${r.score_pairs_per_s} | ${r.ratio} |`);
    const command = `npm run bench:score${REQUESTS === 1000 ? '' : ` -- --requests ${REQUESTS}`}`;
    console.log(`figures: ${writeFigures('score', scoreFigures(command, result))}`);
  } finally {
    await server.stop();
    rmSync(WORK, { recursive: true, force: true });
  }
}

/** `npm start` in its own process on a free port, recording nothing. */
async function startServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(TSX, [join(ROOT, 'local', 'server.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', RESULTS_DB: 'off', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
    lines.on('line', (line) => {
      const found = /listening on (http:\/\/\S+)/.exec(line);
      if (found?.[1]) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before listening`)));
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-(child.pid as number), 'SIGTERM');
      await exited;
    },
  };
}

/** Seconds to send `bodies` one after another on one kept-alive connection, replies read and dropped. */
async function backToBack(base: string, path: string, bodies: readonly string[]): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(path, base);
  const prepared = bodies.map((b) => Buffer.from(b));
  const started = performance.now();
  for (const body of prepared) {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          if (res.statusCode !== 200) reject(new Error(`${path} answered ${res.statusCode}`));
          res.on('data', () => {});
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return seconds;
}

/** Runs the CLI as a user does; its own timing (process start excluded) and the throughput it printed. */
async function runScoreCli(input: string, output: string, args: readonly string[]) {
  rmSync(output, { force: true });
  const { stdout } = await promisify(execFile)(
    TSX,
    [join(ROOT, 'scripts', 'score.ts'), input, '--out', output, ...args],
    {
      cwd: ROOT,
    },
  );
  const seconds = Number(/ in ([\d.]+) s:/.exec(stdout)?.[1]);
  if (!(seconds > 0)) throw new Error(`npm run score printed no timing:\n${stdout}`);
  return { seconds, printed: stdout.split('\n').find((l) => l.startsWith('answered')) ?? '' };
}

/** Every line answered, in order: line n's reply carries only the ids of request n. */
async function checkOutput(path: string): Promise<void> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(path) })) {
    const reply = JSON.parse(line) as { budget_id?: string }[];
    if (
      reply.length !== SHAPE.budgets * SHAPE.items ||
      !reply.every((e) => e.budget_id?.startsWith(`${n}-`))
    ) {
      throw new Error(`${path}: line ${n + 1} is not the reply to request ${n + 1}`);
    }
    n++;
  }
  if (n !== REQUESTS) throw new Error(`${path}: ${n} lines, not ${REQUESTS}`);
}

function round(x: number, digits = 2): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
