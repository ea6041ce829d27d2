import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import extract from 'extract-zip';

/** Finds the handler's file as Lambda's runtime does (`index.js`, `.mjs`, `.cjs`). */
export const HANDLER_MODULE = join(__dirname, '..', 'local', 'lambda-runtime', 'handler-module.cjs');

/** What to unpack and invoke. */
export interface LayoutRun {
  /** The function's zip: unpacked into an empty task directory (Lambda's `/var/task`). */
  readonly functionZip: string;
  /** Layer zips: each unpacked into the one empty opt directory (Lambda's `/opt`). */
  readonly layerZips: readonly string[];
  /** Events by name; the handler is invoked with each, in order, in one process. */
  readonly events: Readonly<Record<string, unknown>>;
  /** Extra environment for the function (e.g. `TFJS_BACKEND`). @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** The Node binary to run it on (Lambda's major version: `resolveNode24()`). @default this process's Node */
  readonly node?: string;
}

/** What the packaged function answered and printed. */
export interface LayoutReplies {
  /** Each event's reply, by event name. */
  readonly replies: Record<string, unknown>;
  /** What the function wrote to stdout and stderr (its logs). */
  readonly output: string;
  /** Milliseconds to load the handler module in the fresh process (Lambda's init; an ES module's top-level `await` included). */
  readonly loadMs: number;
  /** Milliseconds the first invocation took (model load included); absent without events. */
  readonly firstReplyMs?: number;
}

/** The function did not load or an invocation threw: what its process printed says why. */
export class LayoutError extends Error {}

// Runs inside the fresh Node: loads the handler the way Lambda's runtime does (from the task
// directory, `index.js`, `index.mjs` or `index.cjs`, by export), invokes it with each event and
// writes the replies to a file, since the function's own logs own stdout.
const RUNNER = `
const { readFileSync, writeFileSync } = require('node:fs');
const { loadHandlerModule } = require('./handler-module.cjs');
const [events, out] = process.argv.slice(2);
(async () => {
  const t0 = performance.now();
  const { module: mod, file } = await loadHandlerModule(process.cwd() + '/index');
  const loadMs = performance.now() - t0;
  if (typeof mod.handler !== 'function')
    throw new Error(require('node:path').basename(file) + ' does not export a handler function');
  const replies = {};
  let firstReplyMs;
  for (const [name, event] of Object.entries(JSON.parse(readFileSync(events, 'utf8')))) {
    const context = { awsRequestId: 'layout-check-' + name, functionName: 'layout-check' };
    const t1 = performance.now();
    replies[name] = await mod.handler(event, context);
    firstReplyMs ??= performance.now() - t1;
  }
  writeFileSync(out, JSON.stringify({ replies, loadMs, firstReplyMs }));
})().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
`;

/**
 * Unpacks a function and its layers as Lambda lays them out and invokes the exported handler
 * in a fresh `node` whose only module path is the layers' `nodejs/node_modules` (`NODE_PATH`),
 * with the task directory as its working directory and nothing of the project within reach.
 * Catches "Cannot find module" and missing binaries before AWS does.
 *
 * @returns each event's reply, by event name, and the function's logs
 * @throws LayoutError when the handler cannot be loaded or an invocation throws
 */
export async function invokeInLambdaLayout(run: LayoutRun): Promise<LayoutReplies> {
  const root = mkdtempSync(join(tmpdir(), 'lambda-layout-'));
  // A node_modules in a parent of the task directory would be found by plain resolution and
  // hide a missing module; Lambda's /var/task has none above it.
  for (let dir = root; dir !== join(dir, '..'); dir = join(dir, '..')) {
    if (existsSync(join(dir, 'node_modules')))
      throw new LayoutError(`${join(dir, 'node_modules')} exists above the check's directory`);
  }
  const task = join(root, 'task');
  const opt = join(root, 'opt');
  try {
    await extract(run.functionZip, { dir: task });
    for (const zip of run.layerZips) await extract(zip, { dir: opt });
    writeFileSync(join(root, 'runner.js'), RUNNER);
    copyFileSync(HANDLER_MODULE, join(root, 'handler-module.cjs'));
    writeFileSync(join(root, 'events.json'), JSON.stringify(run.events));
    const { code, output } = await runNode(
      run.node ?? process.execPath,
      [join(root, 'runner.js'), join(root, 'events.json'), join(root, 'replies.json')],
      task,
      {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        NODE_PATH: join(opt, 'nodejs', 'node_modules'),
        LAMBDA_TASK_ROOT: task,
        AWS_LAMBDA_FUNCTION_NAME: 'layout-check',
        TZ: 'UTC',
        ...run.env,
      },
    );
    if (code !== 0) throw new LayoutError(`the handler failed in the Lambda layout:\n${output.trim()}`);
    const result = JSON.parse(readFileSync(join(root, 'replies.json'), 'utf8')) as Omit<
      LayoutReplies,
      'output'
    >;
    return { ...result, output };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function runNode(
  node: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
