import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import extract from 'extract-zip';
import { DIST } from '../cdk/dist-layout';
import { HANDLER_MODULE } from '../scripts/lambda-layout';
import { makeRequest } from './make-request';
import { quantile } from './stats';

// Runs in a fresh Node with the task directory as working directory and the layer on NODE_PATH,
// as Lambda's runtime does: load the handler (init: `index.js`, `.mjs` or `.cjs`, as Lambda finds
// it), answer one request, print the times.
const RUNNER = `
const t0 = performance.now();
require('./handler-module.cjs').loadHandlerModule(process.cwd() + '/index').then(({ module: mod }) => {
const loaded = performance.now();
return mod.handler(JSON.parse(process.argv[2]), { awsRequestId: 'cold-start' }).then(async (reply) => {
  const replied = performance.now();
  const rss_mb = process.memoryUsage().rss / 2 ** 20;
  const ok = Array.isArray(reply) && reply.length === 1 && typeof reply[0].score === 'number';
  // Then two requests of 40 pairs: the first compiles the dense pass's WebAssembly kernel (made
  // on first use; the default model's golden requests are too small to make it at init), the
  // second does not.
  const block = JSON.parse(process.argv[3]);
  const b0 = performance.now();
  const first = await mod.handler(block, { awsRequestId: 'block-1' });
  const b1 = performance.now();
  await mod.handler(block, { awsRequestId: 'block-2' });
  const b2 = performance.now();
  console.log(JSON.stringify({ ok: ok && Array.isArray(first) && first.length === 40, boot_ms: t0,
    require_ms: loaded - t0, first_reply_ms: replied - loaded, to_first_reply_ms: replied - t0, rss_mb,
    first_block_ms: b1 - b0, second_block_ms: b2 - b1 }));
});
});
`;

/** Medians over `runs` fresh processes of the built predict zip and layer zip, laid out as Lambda does. */
export interface ColdStart {
  readonly runs: number;
  readonly backend: string;
  /** Node's own start, before the handler module is required (Lambda's runtime boot). */
  readonly node_boot_ms: number;
  /** Loading the handler (an ES module: its import, top-level `await` included): Lambda's init phase (the model load starts here). */
  readonly require_ms: number;
  /** From the end of init to the first reply (the model load finishes here). */
  readonly first_reply_ms: number;
  /** require + first reply: what the function adds to the runtime's own start. */
  readonly to_first_reply_ms: number;
  /** The whole process, spawn to reply, as the parent saw it. */
  readonly wall_ms: number;
  readonly rss_mb: number;
  /** After the first reply, a 2 × 20 request: the first (compiling the WebAssembly kernel), then another. */
  readonly first_block_ms?: number;
  readonly second_block_ms?: number;
}

/**
 * Unpacks `dist/predict/function.zip` into a task directory and `dist/layer/layer.zip` into an
 * opt directory (no node_modules above either), then starts a fresh Node `runs` times that
 * requires the handler and answers `event`. Needs `npm run build` first.
 */
export async function measureColdStart(event: unknown, runs: number, backend: string): Promise<ColdStart> {
  return (await measureColdStarts(event, runs, backend, { deployed: {} })).deployed as ColdStart;
}

/**
 * The same for each of `variants` (extra environment for the function), the variants' runs
 * interleaved so that load swings hit them alike; one unpacking for all.
 */
export async function measureColdStarts<K extends string>(
  event: unknown,
  runs: number,
  backend: string,
  variants: Readonly<Record<K, Readonly<Record<string, string>>>>,
): Promise<Record<K, ColdStart>> {
  for (const zip of [DIST.functionZip('predict'), DIST.layerZip]) {
    if (!existsSync(zip)) throw new Error(`${zip} is missing: run \`npm run build\` first`);
  }
  const root = mkdtempSync(join(tmpdir(), 'cold-start-'));
  try {
    const task = join(root, 'task');
    const opt = join(root, 'opt');
    await extract(DIST.functionZip('predict'), { dir: task });
    await extract(DIST.layerZip, { dir: opt });
    writeFileSync(join(root, 'runner.js'), RUNNER);
    copyFileSync(HANDLER_MODULE, join(root, 'handler-module.cjs'));
    const block = JSON.stringify(makeRequest(2, 20));
    const names = Object.keys(variants) as K[];
    const samples = Object.fromEntries(names.map((n) => [n, [] as Array<Record<string, number>>])) as Record<
      K,
      Array<Record<string, number>>
    >;
    for (let i = 0; i < runs; i++) {
      for (const name of names) {
        const start = process.hrtime.bigint();
        const child = spawnSync(process.execPath, [join(root, 'runner.js'), JSON.stringify(event), block], {
          cwd: task,
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            NODE_PATH: join(opt, 'nodejs', 'node_modules'),
            LAMBDA_TASK_ROOT: task,
            AWS_LAMBDA_FUNCTION_NAME: 'cold-start',
            TZ: 'UTC',
            TFJS_BACKEND: backend,
            POWERTOOLS_LOG_LEVEL: 'WARN',
            ...variants[name],
          },
          encoding: 'utf8',
        });
        const wall = Number(process.hrtime.bigint() - start) / 1e6;
        const result = JSON.parse(child.stdout.trim().split('\n').at(-1) || '{}') as Record<
          string,
          number | boolean
        >;
        if (result.ok !== true)
          throw new Error(`the cold start (${name}) did not answer the seed request: ${child.stderr}`);
        samples[name].push({ ...(result as Record<string, number>), wall_ms: wall });
      }
    }
    const summary = (list: Array<Record<string, number>>): ColdStart => {
      const median = (k: string) =>
        quantile(
          list.map((s) => s[k] ?? Number.NaN),
          0.5,
        );
      return {
        runs,
        backend,
        node_boot_ms: median('boot_ms'),
        require_ms: median('require_ms'),
        first_reply_ms: median('first_reply_ms'),
        to_first_reply_ms: median('to_first_reply_ms'),
        wall_ms: median('wall_ms'),
        rss_mb: median('rss_mb'),
        first_block_ms: median('first_block_ms'),
        second_block_ms: median('second_block_ms'),
      };
    };
    return Object.fromEntries(names.map((n) => [n, summary(samples[n])])) as Record<K, ColdStart>;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
