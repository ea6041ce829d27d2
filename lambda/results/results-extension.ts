import { Agent, request } from 'node:http';
import { Worker } from 'node:worker_threads';
import { waitAtMost } from '../retry';

/** The Extensions API's name for this internal extension (`Lambda-Extension-Name`). */
export const RESULTS_EXTENSION_NAME = 'results-after-reply';

/** An `INVOKE` event as the Extensions API's `next` returns it (the fields read here). */
interface InvokeEvent {
  readonly eventType: string;
  readonly requestId?: string;
  readonly deadlineMs?: number;
}

/** What the extension waits for after each reply, and how it reports. */
export interface ResultsExtensionOptions {
  /** `host:port` of the Runtime API (`AWS_LAMBDA_RUNTIME_API`). */
  readonly runtimeApi: string;
  /** The identifier `register` returned (`Lambda-Extension-Identifier`). */
  readonly id: string;
  /**
   * Sends what the invocation recorded, waiting at most `maxMs`; `true` when nothing is held any
   * more. The rows' sink and the capture sink, settled together.
   */
  readonly settle: (maxMs: number) => Promise<boolean>;
  /** Longest wait after a reply (`RESULTS_HANDOFF_MS`): past it the rows stay held for the next invocation. */
  readonly handoffMs: number;
  /** Told when rows stay held after the wait (the `ResultRowsHeld` metric). */
  readonly onHeld?: () => void;
  /** Told when the Extensions API fails: the handler then sends before replying again. */
  readonly onError?: (error: unknown) => void;
}

// Time kept back from the invocation's deadline: the extension calls `next` before Lambda times the invocation out.
const DEADLINE_MARGIN_MS = 50;

/**
 * An internal Lambda extension that sends an invocation's results after its reply: the handler
 * records its rows and returns at once; the extension, told of the invocation by the Extensions
 * API (`INVOKE`), waits for that handler to finish, then for the rows to leave (bounded by
 * `handoffMs` and the invocation's deadline), and only then calls `next`. Lambda freezes the
 * environment, and hands it the next invocation, only once the runtime and every extension have
 * called `next`, so rows are never frozen mid-send; the caller does not wait for them. A failed
 * send keeps its rows in the sink (retried at the next invocation), as before.
 */
export class ResultsExtension {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly finished = new Map<string, { done: Promise<void>; resolve: () => void }>();
  private running = true;

  constructor(private readonly options: ResultsExtensionOptions) {}

  /** Whether the extension is sending after replies (false once the Extensions API failed). */
  get active(): boolean {
    return this.running;
  }

  /** Starts the `next` loop: the first call ends this extension's part of the init phase. */
  start(): void {
    void this.loop().catch((error: unknown) => {
      this.running = false;
      this.options.onError?.(error);
    });
  }

  /** The handler of invocation `requestId` has returned: its rows are all recorded. */
  handlerDone(requestId: string): void {
    this.entry(requestId).resolve();
  }

  private entry(requestId: string) {
    let entry = this.finished.get(requestId);
    if (!entry) {
      let resolve = () => {};
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      entry = { done, resolve };
      this.finished.set(requestId, entry);
    }
    return entry;
  }

  private async loop(): Promise<void> {
    for (;;) {
      const event = await this.next();
      if (event.eventType !== 'INVOKE' || !event.requestId) continue;
      const deadline = (event.deadlineMs ?? Date.now() + this.options.handoffMs) - DEADLINE_MARGIN_MS;
      const entry = this.entry(event.requestId);
      await waitAtMost(entry.done, Math.max(0, deadline - Date.now()));
      this.finished.delete(event.requestId);
      const bound = Math.max(0, Math.min(this.options.handoffMs, deadline - Date.now()));
      if (!(await this.options.settle(bound))) this.options.onHeld?.();
    }
  }

  /** `GET /2020-01-01/extension/event/next`: blocks until Lambda has the next event. */
  private next(): Promise<InvokeEvent> {
    const [host, port] = splitHostPort(this.options.runtimeApi);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host,
          port,
          method: 'GET',
          path: '/2020-01-01/extension/event/next',
          headers: { 'Lambda-Extension-Identifier': this.options.id },
          agent: this.agent,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`extension next: ${res.statusCode} ${body}`));
            else resolve(JSON.parse(body) as InvokeEvent);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }
}

/** What {@link registerExtension} got: an identifier, or why there is none. */
export type Registration = { readonly id: string } | { readonly error: string };

// The registration runs on a worker thread while the main thread waits (Atomics.wait): the
// function's module is CommonJS, which cannot await during init, and Lambda closes registration
// the moment the runtime asks for its first invocation, right after the module has loaded.
const REGISTER_WORKER = `
const { workerData } = require('node:worker_threads');
const http = require('node:http');
const state = new Int32Array(workerData.shared, 0, 2);
const text = new Uint8Array(workerData.shared, 8);
const finish = (status, message) => {
  const bytes = Buffer.from(String(message)).subarray(0, text.length);
  text.set(bytes);
  Atomics.store(state, 1, bytes.length);
  Atomics.store(state, 0, status);
  Atomics.notify(state, 0);
};
const req = http.request({
  host: workerData.host, port: workerData.port, method: 'POST', path: '/2020-01-01/extension/register',
  headers: { 'Lambda-Extension-Name': workerData.name, 'Content-Type': 'application/json' },
}, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (c) => { body += c; });
  res.on('end', () => finish(res.statusCode, res.statusCode === 200 ? res.headers['lambda-extension-identifier'] ?? '' : body));
});
req.on('error', (e) => finish(599, e.message));
req.setTimeout(workerData.timeoutMs, () => req.destroy(new Error('no answer from the Extensions API')));
req.end(JSON.stringify({ events: ['INVOKE'] }));
`;

/**
 * Registers an internal extension for `INVOKE` events (internal extensions cannot take
 * `SHUTDOWN`), synchronously: it returns once the Extensions API has answered, during the
 * function's init. `{ error }` when it refused (registration closed, too many extensions) or did
 * not answer within `timeoutMs`.
 */
export function registerExtension(runtimeApi: string, name: string, timeoutMs = 2000): Registration {
  const [host, port] = splitHostPort(runtimeApi);
  const shared = new SharedArrayBuffer(8 + 1024);
  const state = new Int32Array(shared, 0, 2);
  const worker = new Worker(REGISTER_WORKER, {
    eval: true,
    workerData: { shared, host, port, name, timeoutMs },
  });
  worker.unref();
  try {
    if (Atomics.wait(state, 0, 0, timeoutMs + 1000) === 'timed-out')
      return { error: 'no answer from the Extensions API' };
    const text = Buffer.from(new Uint8Array(shared, 8, Atomics.load(state, 1))).toString('utf8');
    const status = Atomics.load(state, 0);
    if (status === 200 && text) return { id: text };
    return { error: `${status} ${text}` };
  } finally {
    void worker.terminate();
  }
}

function splitHostPort(hostPort: string): [string, number] {
  const at = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, at).replace(/^\[|\]$/g, ''), Number(hostPort.slice(at + 1))];
}
