import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What `register` answers besides the identifier (the function's metadata). */
export interface ExtensionsApiFunction {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly handler: string;
}

/** An `INVOKE` event as the Extensions API's `next` hands it to an extension. */
export interface ExtensionInvokeEvent {
  readonly eventType: 'INVOKE';
  readonly deadlineMs: number;
  readonly requestId: string;
  readonly invokedFunctionArn: string;
  readonly tracing: { readonly type: string; readonly value: string };
}

interface Registered {
  readonly id: string;
  readonly name: string;
  readonly events: readonly string[];
  /** Its `next` call, held until there is an event: while held, the extension is done with the phase. */
  waiting: ServerResponse | undefined;
}

// Lambda's own limit (`MaxAgentsAllowed`).
const MAX_EXTENSIONS = 10;
const JSON_TYPE = 'application/json';

/**
 * One execution environment's Extensions API (`AWS_LAMBDA_RUNTIME_API`, `/2020-01-01/extension/…`),
 * for internal extensions: those the function's own process registers. As Lambda does it
 * (the runtime interface emulator's `rapi` and `core` packages):
 *
 * - `POST /extension/register` with `Lambda-Extension-Name` and `{"events": ["INVOKE"]}` answers
 *   `Lambda-Extension-Identifier` and the function's name, version and handler. Registration
 *   closes when the runtime is ready for its first invocation (the end of the runtime's init); a
 *   later one is refused `403 Extension.RegistrationClosed`. Internal extensions cannot take
 *   `SHUTDOWN` (`403 Extension.InvalidEventType`); at most 10 extensions.
 * - `GET /extension/event/next` with the identifier says the extension is done with the current
 *   phase, and is answered with the next `INVOKE` event. Init ends, and an invocation ends (the
 *   environment may be frozen or handed the next one), only when every extension is waiting here.
 *
 * `/extension/init/error` and `/extension/exit/error` are accepted (202) and logged by the caller.
 */
export class ExtensionsApi {
  private server: Server | undefined;
  private readonly extensions = new Map<string, Registered>();
  private registrationOpen = true;
  private idleWaiters: (() => void)[] = [];
  private ended = false;
  /** `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`. */
  address = '';

  constructor(
    private readonly fn: ExtensionsApiFunction,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  /** How many extensions registered. */
  get registered(): number {
    return this.extensions.size;
  }

  /** Listens on a free loopback port. */
  async start(): Promise<void> {
    const server = createServer((req, res) => this.route(req, res));
    server.keepAliveTimeout = 0;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The runtime asked for its first invocation: no more registrations. */
  closeRegistration(): void {
    this.registrationOpen = false;
  }

  /** Whether every extension is waiting in `next` (done with the phase). */
  get idle(): boolean {
    for (const extension of this.extensions.values()) if (!extension.waiting) return false;
    return true;
  }

  /** Resolves once every extension is waiting in `next`, or the environment ended. */
  untilIdle(): Promise<void> {
    if (this.idle || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Hands `event` to every extension registered for `INVOKE` (each is then busy until its next `next`). */
  dispatchInvoke(event: ExtensionInvokeEvent): void {
    const body = JSON.stringify(event);
    for (const extension of this.extensions.values()) {
      if (!extension.events.includes('INVOKE') || !extension.waiting) continue;
      const res = extension.waiting;
      extension.waiting = undefined;
      res.writeHead(200, { 'content-type': JSON_TYPE, 'Lambda-Extension-Identifier': extension.id });
      res.end(body);
    }
  }

  /** The environment is gone: nothing waits for its extensions any more. */
  async stop(): Promise<void> {
    this.ended = true;
    this.wake();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private wake(): void {
    if (!this.idle && !this.ended) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'POST' && path === '/2020-01-01/extension/register')
        return this.register(req, Buffer.concat(chunks).toString('utf8'), res);
      if (req.method === 'GET' && path === '/2020-01-01/extension/event/next') return this.next(req, res);
      if (
        req.method === 'POST' &&
        (path === '/2020-01-01/extension/init/error' || path === '/2020-01-01/extension/exit/error')
      ) {
        this.onError(
          `extension ${path.split('/')[3]} error: ${req.headers['lambda-extension-function-error-type']}`,
        );
        return reply(res, 202, { status: 'OK' });
      }
      reply(res, 404, { errorType: 'NotFound', errorMessage: `${req.method} ${path}` });
    });
  }

  private register(req: IncomingMessage, body: string, res: ServerResponse) {
    const name = String(req.headers['lambda-extension-name'] ?? '');
    if (!name) return forbidden(res, 'Extension.InvalidExtensionName', 'Empty extension name');
    let events: string[];
    try {
      events = (JSON.parse(body || '{}') as { events?: string[] }).events ?? [];
    } catch (error) {
      return forbidden(res, 'InvalidRequestFormat', String(error));
    }
    const wrong = events.find((e) => e !== 'INVOKE');
    if (wrong !== undefined)
      return forbidden(
        res,
        'Extension.InvalidEventType',
        `${wrong}: ${wrong === 'SHUTDOWN' ? 'internal extensions cannot register for SHUTDOWN' : 'unknown event'}`,
      );
    if (!this.registrationOpen)
      return forbidden(res, 'Extension.RegistrationClosed', 'Extension registration closed already');
    if (this.extensions.size >= MAX_EXTENSIONS)
      return forbidden(res, 'Extension.TooManyExtensions', `Extension limit (${MAX_EXTENSIONS}) reached`);
    if ([...this.extensions.values()].some((e) => e.name === name))
      return forbidden(res, 'Extension.InvalidExtensionState', 'Extension with this name already registered');
    const id = randomUUID();
    this.extensions.set(id, { id, name, events, waiting: undefined });
    res.setHeader('Lambda-Extension-Identifier', id);
    reply(res, 200, this.fn);
  }

  private next(req: IncomingMessage, res: ServerResponse) {
    const id = req.headers['lambda-extension-identifier'];
    if (typeof id !== 'string' || !id)
      return forbidden(
        res,
        'Extension.MissingExtensionIdentifier',
        'Missing Lambda-Extension-Identifier header',
      );
    const extension = this.extensions.get(id);
    if (!extension) return forbidden(res, 'Extension.UnknownExtensionIdentifier', 'Unknown extension');
    extension.waiting = res;
    res.on('close', () => {
      if (extension.waiting === res && !res.writableEnded) extension.waiting = undefined;
    });
    this.wake();
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': JSON_TYPE });
  res.end(JSON.stringify(body));
}

function forbidden(res: ServerResponse, errorType: string, errorMessage: string): void {
  reply(res, 403, { errorType, errorMessage });
}
