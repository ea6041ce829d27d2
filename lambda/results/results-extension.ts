import { type IncomingMessage, request } from 'node:http';
import { waitAtMost } from '../retry';
import { ExtensionNextClient } from './extension-next';

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
  private nextClient: ExtensionNextClient | undefined;
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
      // The runtime hands the handler's result on in the promise callbacks that follow its return:
      // the sends (message packing, the SDK's serialising and signing) start after them, so that
      // none of their work runs before the reply is on its way.
      await new Promise((resolve) => setImmediate(resolve));
      const bound = Math.max(0, Math.min(this.options.handoffMs, deadline - Date.now()));
      if (!(await this.options.settle(bound))) this.options.onHeld?.();
    }
  }

  /** `GET /2020-01-01/extension/event/next`: blocks until Lambda has the next event. */
  private async next(): Promise<InvokeEvent> {
    if (!this.nextClient) {
      const [host, port] = splitHostPort(this.options.runtimeApi);
      this.nextClient = new ExtensionNextClient(host, port, this.options.id);
    }
    const { status, body } = await this.nextClient.next();
    if (status !== 200) throw new Error(`extension next: ${status} ${body}`);
    return JSON.parse(body) as InvokeEvent;
  }
}

/**
 * What {@link registerExtension} got: an identifier, or why there is none. `unanswered`: the
 * request left but no answer came in time, so the API may have registered the extension anyway.
 */
export type Registration =
  | { readonly id: string }
  | { readonly error: string; readonly unanswered?: boolean };

/** A registration under way (the Extensions API's `register`), started by {@link startRegistration}. */
export interface PendingRegistration {
  /** `host:port` of the Extensions API it registers with. */
  readonly runtimeApi: string;
  /** The API's answer: an identifier, or `{ error }` when it refused or did not answer. Never rejects. */
  readonly result: Promise<Registration>;
}

/**
 * Starts registering an internal extension for `INVOKE` events (internal extensions cannot take
 * `SHUTDOWN`) and returns at once. The request leaves when the event loop next turns: in the
 * predict function's ES module bundle (`index.mjs`), at the top-level `await` that ends its init
 * (`lambda/predict.ts`, `initialised`), so that Lambda, which closes registration when the
 * runtime asks for its first invocation, has the registration before the module has loaded. One
 * loopback round trip, where the worker thread that registered synchronously for the CommonJS
 * bundle cost the init a worker's start (`npm run bench:invoke`, `Init Duration`).
 */
export function startRegistration(runtimeApi: string, name: string, timeoutMs = 2000): PendingRegistration {
  return { runtimeApi, result: registerExtension(runtimeApi, name, timeoutMs) };
}

/** Registers an internal extension for `INVOKE` events; `{ error }` when refused or not answered within `timeoutMs`. */
export function registerExtension(runtimeApi: string, name: string, timeoutMs = 2000): Promise<Registration> {
  const [host, port] = splitHostPort(runtimeApi);
  return new Promise((resolve) => {
    const req = request(
      {
        host,
        port,
        method: 'POST',
        path: '/2020-01-01/extension/register',
        headers: { 'Lambda-Extension-Name': name, 'Content-Type': 'application/json' },
      },
      (res) => {
        answered = true;
        // The identifier is in the headers: a body cut short does not undo the registration.
        const id = res.headers['lambda-extension-identifier'];
        const registered = res.statusCode === 200 && typeof id === 'string' && id ? { id } : undefined;
        readText(
          res,
          (body) => resolve(registered ?? { error: `${res.statusCode} ${body}` }),
          (error) => resolve(registered ?? { error: error.message }),
        );
      },
    );
    // Once the request has left, a failure before the answer leaves the outcome unknown.
    let sent = false;
    let answered = false;
    req.on('finish', () => {
      sent = true;
    });
    req.on('error', (error) =>
      resolve({
        error: `no answer from the Extensions API: ${error.message}`,
        unanswered: sent && !answered,
      }),
    );
    req.setTimeout(timeoutMs, () => {
      resolve({
        error: `no answer from the Extensions API within ${timeoutMs} ms`,
        unanswered: sent && !answered,
      });
      req.destroy();
    });
    req.end(JSON.stringify({ events: ['INVOKE'] }));
  });
}

/** Reads a response's body as UTF-8 text, then calls `done` with it (or `failed`). */
function readText(res: IncomingMessage, done: (body: string) => void, failed: (error: Error) => void): void {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    body += chunk;
  });
  res.on('end', () => done(body));
  res.on('error', failed);
}

function splitHostPort(hostPort: string): [string, number] {
  const at = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, at).replace(/^\[|\]$/g, ''), Number(hostPort.slice(at + 1))];
}
