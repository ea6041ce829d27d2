import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipDirectory } from '../../layers';

/**
 * A small function for the local Lambda runtime's tests, zipped as `npm run build` zips a
 * function, with a one-package layer. What it does is driven by the event: `logFirst` (a line
 * logged before anything else), `spinMs` (a busy loop: the event loop never turns), `sleepMs`, `allocateMb` (kept, so resident memory grows), `throw`, `exit`, `bigResponse`; it answers what
 * it sees of its process and context.
 */
const HANDLER = `
const layer = require('layer-lib');
const kept = [];
let inits = (globalThis.__inits = (globalThis.__inits ?? 0) + 1);
exports.handler = async (event, context) => {
  if (event.logFirst) console.log(event.logFirst);
  if (event.spinMs) for (const until = Date.now() + event.spinMs; Date.now() < until; );
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  if (event.allocateMb) {
    for (let i = 0; i < event.allocateMb; i++) kept.push(Buffer.alloc(1024 * 1024, 1));
    await new Promise((resolve) => setTimeout(resolve, event.holdMs ?? 0));
  }
  if (event.throw) throw new TypeError(event.throw);
  if (event.exit) process.exit(3);
  if (event.bigResponse) return 'x'.repeat(7 * 1024 * 1024);
  console.log('invoked', event.n);
  return {
    pid: process.pid,
    node: process.version,
    inits,
    layer: layer.name,
    cwd: process.cwd(),
    env: {
      handler: process.env._HANDLER,
      taskRoot: process.env.LAMBDA_TASK_ROOT,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      region: process.env.AWS_REGION,
      tz: process.env.TZ,
      projectSetting: process.env.TINY_SETTING,
      shellOnly: process.env.SHELL_ONLY ?? null,
    },
    context: {
      requestId: context.awsRequestId,
      version: context.functionVersion,
      arn: context.invokedFunctionArn,
      memory: context.memoryLimitInMB,
      remainingMs: context.getRemainingTimeInMillis(),
    },
  };
};
`;

/** Zips of the tiny function and its layer, in a temporary folder. */
export async function makeTinyFunction(): Promise<{
  functionZip: string;
  layerZip: string;
  remove: () => void;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-function-'));
  const code = join(dir, 'code');
  const layer = join(dir, 'layer', 'nodejs', 'node_modules', 'layer-lib');
  mkdirSync(code, { recursive: true });
  mkdirSync(layer, { recursive: true });
  writeFileSync(join(code, 'index.js'), HANDLER);
  writeFileSync(join(layer, 'index.js'), "exports.name = 'from the layer';");
  writeFileSync(join(layer, 'package.json'), '{"name":"layer-lib","main":"index.js"}');
  const functionZip = join(dir, 'function.zip');
  const layerZip = join(dir, 'layer.zip');
  await zipDirectory(code, functionZip);
  await zipDirectory(join(dir, 'layer'), layerZip);
  return { functionZip, layerZip, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
