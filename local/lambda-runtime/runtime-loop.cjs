// The local Lambda runtime's loop, run as the entry point of every function instance (the part of
// Lambda's Node.js runtime that lives in /var/runtime). Plain CommonJS with no dependencies: it runs
// on the Node 24 binary, from a folder outside the project, before anything of the function loads.
//
// It speaks to the parent (local/lambda-runtime/function-instance.ts) over Node's IPC channel,
// JSON-serialised so the parent's Node version does not matter:
//   child -> parent  { type: 'ready' } once the handler module is loaded (the end of init)
//                    { type: 'init-error', errorType, errorMessage } when it cannot be loaded
//                    { type: 'result', id, ok: true, payload, logEnd, logPath } the handler's
//                        result, as JSON text, and how far the invocation's log file (`logPath`,
//                        the last one it switched to) has been written
//                    { type: 'result', id, ok: false, errorType, errorMessage, stack, logEnd, logPath }
//                    { type: 'log', id, tag, text, logEnd, logPath, error? } output the log file could not
//                        take (a full disk: the write failed or was short): from that write on,
//                        until the next file, the invocation's output comes this way; `logEnd` is
//                        the end of the last whole record in the file, `error` says why (first time)
//                    { type: 'result', ..., exiting: code } the invocation ended with an uncaught
//                        error: the process exits with `code` once the message is sent
//   parent -> child  { type: 'invoke', id, event, context, log, logLimit } one invocation at a
//                        time, as in Lambda; `log` is the file its output goes to ('' when the
//                        parent could not make one: the output then comes over IPC)
//
// What the function writes to stdout/stderr while invoked is appended, synchronously, to the log
// file the parent named, as records `<invocation id> <o|e> <bytes>\n<bytes>`: the kernel keeps
// a line written just before the instance is killed (a timeout in a busy loop, the memory limit),
// as Lambda's runtime, which writes its lines at once, keeps them; and the parent is not woken
// for each line (over the IPC channel each was a message, the Powertools metrics line of every
// invocation one of them). The parent reads the file with the result, every few tens of
// milliseconds while an invocation runs, and when the process ends. A file that has reached
// `logLimit` bytes is not written further: the next record goes to a new file beside it
// (`<file>+<n>`), made first, and the old one ends with a switch record `<id> s <bytes>\n<path
// of the new file>`, so no file grows far past the limit (the record that reaches it may be of
// any size), however much one invocation writes; the parent follows the switch to the name it
// expects and deletes the file it has read.
//
// Like Lambda's runtime: the handler is `_HANDLER` (`file.export`) in `LAMBDA_TASK_ROOT`, the file
// found as Lambda finds it (`file.js`, `file.mjs`, `file.cjs`: handler-module.cjs, copied beside it);
// `console.*` lines get `<time>\t<request id>\t<LEVEL>\t`; what is written to stdout/stderr during
// an invocation is that invocation's log; an uncaught error ends the instance.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { format } = require('node:util');
const { loadHandlerModule } = require('./handler-module.cjs');

const send = (message, then) => {
  if (process.connected) process.send(message, then);
  else then?.();
};

let current; // the invocation running: { id, requestId }
let lastRequestId = 'undefined'; // before the first invocation (init), Lambda's 'undefined'
const originalWrite = {
  stdout: process.stdout.write.bind(process.stdout),
  stderr: process.stderr.write.bind(process.stderr),
};
// The log file the parent named for the current invocation, opened for appending. `failed` once a
// write to it failed or was short (a full disk): it is not written again, and what the function
// writes goes to the parent over IPC instead, so a full disk costs neither a line nor the
// invocation (a throwing console.log would fail the handler), and the parent reads only the
// whole records before the failure. The next invocation gets a new file and tries again.
let logFile; // { path, fd, end, failed, base, switches, stuck }
let logLimit = Number.POSITIVE_INFINITY;
function useLogFile(file) {
  if (logFile?.path === file) return;
  if (logFile && logFile.fd >= 0) fs.closeSync(logFile.fd);
  logFile = { path: file, fd: -1, end: 0, failed: undefined, base: file, switches: 0, stuck: false };
  try {
    if (file === '') throw new Error('the server could not create a log file');
    logFile.fd = fs.openSync(file, 'a');
  } catch (error) {
    logFile.failed = String(error?.message ?? error);
  }
}
function sendLog(tag, text) {
  const error = logFile.failed;
  logFile.failed = true; // said once
  send({
    type: 'log',
    id: current.id,
    tag,
    text: text.toString('utf8'),
    logEnd: logFile.end,
    logPath: logFile.path,
    ...(typeof error === 'string' ? { error } : {}),
  });
}
// The current file has reached the limit: the next records go to a new file, made before the
// switch record names it, so the parent never looks for a file that is not there. A new file that
// cannot be made, or a switch record that cannot be written, leaves the output in the old file
// (which then grows on); a switch record written in part ends that file, and the output goes to
// the parent over IPC, as after any failed write.
function switchLogFile() {
  const next = `${logFile.base}+${logFile.switches + 1}`;
  let fd;
  logFile.switches++;
  try {
    fd = fs.openSync(next, 'wx'); // a new file, never one already there
  } catch {
    logFile.stuck = true; // not tried again for this file
    return;
  }
  const name = Buffer.from(next, 'utf8');
  const record = Buffer.concat([Buffer.from(`${current.id} s ${name.length}\n`, 'latin1'), name]);
  let written = 0;
  try {
    written = fs.writeSync(logFile.fd, record);
  } catch {}
  if (written !== record.length) {
    try {
      fs.closeSync(fd);
      fs.rmSync(next, { force: true });
    } catch {}
    // Part of a record in the file: nothing more can be written after it.
    if (written > 0) logFile.failed ??= `short write: ${written} of ${record.length} bytes`;
    logFile.stuck = true;
    return;
  }
  const full = logFile.fd;
  logFile.fd = fd;
  logFile.path = next;
  logFile.end = 0;
  try {
    fs.closeSync(full);
  } catch {}
}
for (const name of ['stdout', 'stderr']) {
  const tag = name === 'stdout' ? 'o' : 'e';
  process[name].write = (chunk, encoding, callback) => {
    const done = typeof encoding === 'function' ? encoding : callback;
    if (current === undefined || logFile === undefined) return originalWrite[name](chunk, encoding, callback);
    const text = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'utf8');
    if (logFile.failed === undefined && !logFile.stuck && logFile.end >= logLimit) switchLogFile();
    if (logFile.failed !== undefined) {
      sendLog(tag, text);
    } else {
      const record = Buffer.concat([Buffer.from(`${current.id} ${tag} ${text.length}\n`, 'latin1'), text]);
      let written = 0;
      try {
        written = fs.writeSync(logFile.fd, record);
      } catch (error) {
        logFile.failed = String(error?.message ?? error);
      }
      if (written === record.length) logFile.end += written;
      else {
        logFile.failed ??= `short write: ${written} of ${record.length} bytes`;
        sendLog(tag, text);
      }
    }
    if (typeof done === 'function') process.nextTick(done);
    return true;
  };
}
const LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
for (const [method, level] of Object.entries(LEVELS)) {
  const stream = level === 'ERROR' || level === 'WARN' ? process.stderr : process.stdout;
  console[method] = (...args) => {
    // Lambda's runtime keeps the last invocation's id: a line written after its reply carries it.
    const id = current === undefined ? lastRequestId : current.requestId;
    stream.write(`${new Date().toISOString()}\t${id}\t${level}\t${format(...args)}\n`);
  };
}

function describe(error) {
  if (error instanceof Error)
    return {
      errorType: error.name,
      errorMessage: error.message,
      stack: String(error.stack ?? '').split('\n'),
    };
  return { errorType: typeof error, errorMessage: String(error), stack: [] };
}

async function loadHandler() {
  const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const spec = process.env._HANDLER ?? 'index.handler';
  const dot = spec.lastIndexOf('.');
  const moduleName = spec.slice(0, dot);
  const exportName = spec.slice(dot + 1);
  const base = path.resolve(root, moduleName);
  let mod;
  try {
    mod = (await loadHandlerModule(base)).module;
  } catch (error) {
    // Lambda's names: the handler's file itself missing, or anything it imports failing to load.
    const own =
      error &&
      error.code === 'MODULE_NOT_FOUND' &&
      String(error.message).startsWith(`Cannot find module '${base}'`);
    const failed = new Error(
      own
        ? `Cannot find module '${moduleName}'`
        : `${describe(error).errorType}: ${describe(error).errorMessage}`,
    );
    failed.name = 'Runtime.ImportModuleError';
    throw failed;
  }
  const handler = mod[exportName];
  if (typeof handler !== 'function') {
    const missing = new Error(`${spec} is undefined or not exported`);
    missing.name = 'Runtime.HandlerNotFound';
    throw missing;
  }
  return handler;
}

function contextFor(init) {
  const memory = process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128';
  let settle = () => {};
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    awsRequestId: init.awsRequestId,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: init.functionVersion,
    invokedFunctionArn: init.invokedFunctionArn,
    memoryLimitInMB: memory,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, init.deadlineMs - Date.now()),
    done: (error, result) => settle(error, result),
    fail: (error) => settle(error),
    succeed: (result) => settle(undefined, result),
  };
  if (init.clientContext !== undefined) context.clientContext = init.clientContext;
  const early = new Promise((resolve, reject) => {
    settle = (error, result) => (error ? reject(error) : resolve(result));
  });
  return { context, early };
}

async function invoke(handler, message) {
  if (typeof message.log === 'string') useLogFile(message.log);
  if (typeof message.logLimit === 'number') logLimit = message.logLimit;
  current = { id: message.id, requestId: message.context.awsRequestId };
  lastRequestId = current.requestId;
  const { context, early } = contextFor(message.context);
  const { requestId } = current;
  let reply;
  try {
    const callback = (error, result) => (error ? context.fail(error) : context.succeed(result));
    const value = await Promise.race([
      Promise.resolve().then(() => handler(message.event, context, callback)),
      early,
    ]);
    let payload;
    try {
      payload = JSON.stringify(value) ?? 'null';
    } catch (error) {
      reply = {
        ok: false,
        errorType: 'Runtime.MarshalError',
        errorMessage: `Unable to marshal response: ${describe(error).errorMessage}`,
        stack: [],
      };
    }
    reply ??= { ok: true, payload };
  } catch (error) {
    const described = describe(error);
    process.stderr.write(
      `${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(described)}\n`,
    );
    reply = { ok: false, ...described };
  }
  // An uncaught error already answered this invocation and is ending the instance: no second reply.
  if (current?.id !== message.id) return;
  current = undefined;
  send({ type: 'result', id: message.id, ...reply, logEnd: logFile?.end ?? 0, logPath: logFile?.path });
}

async function main() {
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    const described = describe(error);
    process.stderr.write(`${new Date().toISOString()}\tundefined\tERROR\t${JSON.stringify(described)}\n`);
    send({ type: 'init-error', errorType: described.errorType, errorMessage: described.errorMessage });
    process.disconnect();
    return;
  }
  process.on('message', (message) => {
    if (message && message.type === 'invoke') void invoke(handler, message);
  });
  send({ type: 'ready' });
}

// An error nobody caught ends the instance, as in Lambda, whose runtime (its index.mjs and
// Runtime.js) logs it through the patched console, so the line is the running invocation's (its
// log, its Tail), posts it as that invocation's error, and exits (129, or 128 for a rejection).
// Outside an invocation (after a reply) the line goes to the instance's output (the terminal) and
// the instance ends between invocations; the next call starts a new one.
let exiting = false;
function fatal(kind, error, code) {
  // A second error while the first one's reply is on its way: that reply and exit stand.
  if (exiting) return;
  exiting = true;
  const described = describe(error);
  const line = `${new Date().toISOString()}\t${current?.requestId ?? lastRequestId}\tERROR\t${kind} \t${JSON.stringify(described)}\n`;
  if (current === undefined) {
    originalWrite.stderr(line);
    process.exit(code);
    return;
  }
  process.stderr.write(line);
  const { id } = current;
  current = undefined;
  const reply = { ok: false, errorType: described.errorType, errorMessage: described.errorMessage };
  send(
    { type: 'result', id, ...reply, logEnd: logFile?.end ?? 0, logPath: logFile?.path, exiting: code },
    () => process.exit(code),
  );
}
process.on('uncaughtException', (error) => fatal('Uncaught Exception', error, 129));
process.on('unhandledRejection', (reason) => {
  // Lambda's Runtime.UnhandledPromiseRejection: the reason, as text, is its message.
  const error = new Error(String(reason));
  error.name = 'Runtime.UnhandledPromiseRejection';
  fatal('Unhandled Promise Rejection', error, 128);
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C in start:lambda's terminal reaches its whole process group, the instances too: the
// server shuts them down itself, as Lambda does (SIGTERM to a function with an extension, which
// then sends the rows it holds), so SIGINT does not end one here (a frozen one would otherwise
// die of it, pending, the moment it is thawed for that SIGTERM). Lambda sends a runtime no SIGINT.
process.on('SIGINT', () => {});

void main();
