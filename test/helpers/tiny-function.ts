import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipDirectory } from '../../layers';
import type { StackFunction } from '../../local/lambda-runtime/stack-functions';
import {
  type FunctionLayout,
  removeLayout,
  unpackFunction,
} from '../../local/lambda-runtime/unpack-function';

/**
 * A small function for the local Lambda runtime's tests, zipped as `npm run build` zips a
 * function, with a one-package layer. What it does is driven by the event: `logFirst` (a line
 * logged before anything else), `breakLogWrites` (`'ENOSPC'` or `'short'`: the runtime's writes to
 * its log file fail as on a full disk, until the handler returns), `logLines` (`{ count, bytes }`:
 * that many numbered lines, padded), `afterReply` and `throwAfterReply` (a line logged, an error
 * thrown in a timer `afterReplyMs` after the handler began, default 10), `tick` (an
 * interval counting every 5 ms from then on: `ticks` in the answer), `watchLogs` (with
 * `logLines`: the instance's log files looked at after each line, `logFiles` in the answer),
 * `forgeSwitch` (a path: a switch record naming it written to the runtime's log file), `uncaught` and
 * `rejectUnhandled` (an error thrown in a timer, a promise rejected with no handler, while the
 * invocation waits), `spinMs` (a busy loop: the event loop never turns), `sleepMs`, `allocateMb`
 * (kept, so resident memory grows), `throw`, `exit`, `bigResponse`; it answers what it sees of its
 * process and context.
 */
const HANDLER = `
const layer = require('layer-lib');
const fs = require('node:fs');
const kept = [];
const realWriteSync = fs.writeSync;
// The runtime writes its log records with fs.writeSync to a file (fd > 2): a full disk, injected.
function breakLogWrites(how) {
  fs.writeSync = (fd, buffer, ...rest) => {
    if (fd <= 2) return realWriteSync(fd, buffer, ...rest);
    if (how === 'short') return realWriteSync(fd, buffer.subarray(0, buffer.length >> 1));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
  };
}
// The instance's log files, as the server keeps them beside the task folder: the largest one,
// the most bytes and the most files seen at once.
function watchLogFiles(seen) {
  const dir = require('node:path').dirname(process.cwd());
  let bytes = 0;
  let files = 0;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith('instance-log-')) continue;
    let size = 0;
    try { size = fs.statSync(dir + '/' + name).size; } catch { continue; }
    files++;
    bytes += size;
    seen.largestFile = Math.max(seen.largestFile, size);
  }
  seen.mostBytes = Math.max(seen.mostBytes, bytes);
  seen.mostFiles = Math.max(seen.mostFiles, files);
}
// Writes a switch record naming \`path\` into the log file the runtime has open, as a function
// could by finding the descriptor itself.
function forgeSwitchRecord(path) {
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    let target = '';
    try { target = fs.readlinkSync('/proc/self/fd/' + fd); } catch { continue; }
    if (!target.includes('instance-log-')) continue;
    const name = Buffer.from(path);
    realWriteSync(Number(fd), Buffer.concat([Buffer.from('1 s ' + name.length + '\\n'), name]));
  }
}
let inits = (globalThis.__inits = (globalThis.__inits ?? 0) + 1);
let ticks = 0;
exports.handler = async (event, context) => {
  if (event.logFirst) console.log(event.logFirst);
  if (event.breakLogWrites) breakLogWrites(event.breakLogWrites);
  const seen = { largestFile: 0, mostBytes: 0, mostFiles: 0 };
  if (event.logLines)
    for (let i = 0; i < event.logLines.count; i++) {
      console.log(\`line \${i} \${'x'.repeat(event.logLines.bytes)}\`);
      if (event.watchLogs) watchLogFiles(seen);
    }
  if (event.forgeSwitch) forgeSwitchRecord(event.forgeSwitch);
  if (event.afterReply) setTimeout(() => console.log(event.afterReply), event.afterReplyMs ?? 10);
  if (event.throwAfterReply)
    setTimeout(() => { throw new RangeError(event.throwAfterReply); }, event.afterReplyMs ?? 10);
  if (event.tick && !globalThis.__ticker) globalThis.__ticker = setInterval(() => ticks++, 5);
  if (event.uncaught) {
    setTimeout(() => { throw new RangeError(event.uncaught); }, 10);
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  if (event.uncaughtThenReject) {
    // An uncaught error, then the handler itself fails while the instance is ending.
    setTimeout(() => { throw new RangeError(event.uncaughtThenReject); }, 10);
    await new Promise((resolve) => setTimeout(resolve, 12));
    throw new TypeError('after the uncaught error');
  }
  if (event.rejectUnhandled) {
    Promise.reject(new Error(event.rejectUnhandled));
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  if (event.spinMs) for (const until = Date.now() + event.spinMs; Date.now() < until; );
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  if (event.allocateMb) {
    for (let i = 0; i < event.allocateMb; i++) kept.push(Buffer.alloc(1024 * 1024, 1));
    await new Promise((resolve) => setTimeout(resolve, event.holdMs ?? 0));
  }
  if (event.throw) throw new TypeError(event.throw);
  if (event.exit) process.exit(3);
  if (event.bigResponse) return 'x'.repeat(7 * 1024 * 1024);
  fs.writeSync = realWriteSync;
  console.log('invoked', event.n);
  return {
    pid: process.pid,
    node: process.version,
    inits,
    ticks,
    logFiles: seen,
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

/** The tiny function as the stack would describe it, with `environment` as its variables. */
export function tinyStackFunction(environment: Record<string, string> = {}): StackFunction {
  return {
    handler: 'index.handler',
    runtime: 'nodejs24.x',
    memorySizeMb: 128,
    timeoutSeconds: 10,
    environment,
    deployTimeVariables: [],
  };
}

/** What the Invoke API passes an instance about a call of the tiny function (add a `requestId`). */
export const TINY_CALL = {
  functionName: 'tiny',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:tiny',
  timeoutSeconds: 10,
  memorySizeMb: 128,
};

/**
 * The tiny function unpacked as Lambda lays it out, for the tests of one file: made before them,
 * removed after them. Call it at the top of a `describe`; the returned function gives the layout.
 */
export function useTinyLayout(): () => FunctionLayout {
  let layout: FunctionLayout | undefined;
  let remove: (() => void) | undefined;
  beforeAll(async () => {
    const tiny = await makeTinyFunction();
    remove = tiny.remove;
    layout = await unpackFunction(tiny.functionZip, [tiny.layerZip]);
  });
  afterAll(() => {
    if (layout) removeLayout(layout);
    remove?.();
  });
  return () => {
    if (!layout) throw new Error('useTinyLayout: the layout is made in beforeAll');
    return layout;
  };
}
