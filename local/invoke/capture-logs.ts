import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { InvocationLog } from './invocation-log';

const current = new AsyncLocalStorage<InvocationLog>();
let installed = false;
const originals = { stdout: process.stdout.write, stderr: process.stderr.write };

/**
 * Writes to the real stdout or stderr, past the capture: how a log echoes its lines to the
 * terminal (writing through the patched stream from inside an invocation would loop back).
 */
export function writeToTerminal(chunk: Buffer, stream: 'stdout' | 'stderr'): void {
  Reflect.apply(originals[stream], process[stream], [chunk]);
}

/**
 * Runs `fn` with everything written to `process.stdout` and `process.stderr` from its
 * asynchronous context going to `log` instead of (or, with the log's echo, besides) the terminal.
 *
 * Why the streams and not `console`: Powertools' Logger writes through its own `Console` bound to
 * `process.stdout`, so patching the global `console` would miss it. Why `AsyncLocalStorage`: the
 * server runs invocations concurrently, and each write must land in the log of the invocation
 * whose code made it, never in a neighbour's.
 *
 * `console.log`/`info`/`warn`/`error`/`debug`/`trace` calls inside an invocation get the prefix
 * Lambda's Node.js runtime gives them: `<ISO time>\t<request id>\t<LEVEL>\t<message>`.
 */
export function captureLogs<T>(log: InvocationLog, fn: () => T): T {
  install();
  return current.run(log, fn);
}

// Lambda's Node.js runtime levels for each console method.
const CONSOLE_LEVELS = {
  log: 'INFO',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  debug: 'DEBUG',
  trace: 'TRACE',
} as const;

function install(): void {
  if (installed) return;
  installed = true;
  for (const [method, level] of Object.entries(CONSOLE_LEVELS) as [keyof typeof CONSOLE_LEVELS, string][]) {
    const original = console[method];
    console[method] = (...args: unknown[]): void => {
      const log = current.getStore();
      if (log === undefined) {
        Reflect.apply(original, console, args);
        return;
      }
      const line = `${new Date().toISOString()}\t${log.requestId}\t${level}\t${format(...args)}\n`;
      log.write(Buffer.from(line, 'utf8'), level === 'ERROR' || level === 'WARN' ? 'stderr' : 'stdout');
    };
  }
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const original = originals[name];
    // Same signature as the original; only writes made inside an invocation are diverted.
    stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const log = current.getStore();
      if (log === undefined) return Reflect.apply(original, this, [chunk, ...rest]) as boolean;
      const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
      log.write(toBuffer(chunk, encoding), name);
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    } as typeof stream.write;
  }
}

function toBuffer(chunk: unknown, encoding: BufferEncoding): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), encoding);
}
