import { connect, type Socket } from 'node:net';

/** An answer of the Extensions API: its HTTP status and body (UTF-8). */
export interface NextAnswer {
  readonly status: number;
  readonly body: string;
}

const CRLF2 = Buffer.from('\r\n\r\n', 'latin1');

/** A `next` call waiting for its answer. */
interface Caller {
  readonly resolve: (answer: NextAnswer) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The Extensions API's `GET /2020-01-01/extension/event/next`, over one kept-alive HTTP/1.1
 * connection written and read by hand: the results extension calls it after every invocation.
 * Why not `node:http`'s client: for this one loopback request, its request object, agent
 * bookkeeping, header checks and response stream cost about three times the CPU of the request
 * itself (an instance's CPU profile with recording on; CPU a call measured in the commit that made
 * this, 192-229 us through `node:http` against 70-80 us here, Node 24, loaded machine).
 * What it reads of an answer: the status line, then a body delimited by `Content-Length`, by
 * `Transfer-Encoding: chunked`, or by the connection's end; `Connection: close` ends the
 * connection after the answer. A connection ended or failed before the answer rejects the call;
 * the next call opens a new one. One call at a time (the extension waits for each answer).
 */
export class ExtensionNextClient {
  private socket: Socket | undefined;
  private received: Buffer[] = [];
  private receivedBytes = 0;
  private pending:
    | (Caller & {
        /** Sent on a connection an earlier call opened, and nothing of the answer has come yet. */
        reused: boolean;
      })
    | undefined;
  private readonly request: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
    id: string,
  ) {
    const hostHeader = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    this.request = `GET /2020-01-01/extension/event/next HTTP/1.1\r\nHost: ${hostHeader}\r\nLambda-Extension-Identifier: ${id}\r\n\r\n`;
  }

  /** Asks for the next event; resolves with the API's answer, whatever its status. */
  next(): Promise<NextAnswer> {
    if (this.pending) return Promise.reject(new Error('extension next: a call is already waiting'));
    return new Promise((resolve, reject) => {
      this.send({ resolve, reject });
    });
  }

  /**
   * Writes the request, on the kept connection or a new one. A kept connection the server closed
   * while idle may still look open here (its end not read yet): when it ends or fails before any
   * byte of the answer, `fail` sends the request once more on a new connection.
   */
  private send(caller: Caller) {
    const reused = this.socket !== undefined;
    let socket: Socket;
    try {
      socket = this.open();
    } catch (error) {
      caller.reject(error as Error);
      return;
    }
    this.pending = { resolve: caller.resolve, reject: caller.reject, reused };
    socket.write(this.request, 'latin1');
  }

  /** Ends the connection. */
  destroy(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private open(): Socket {
    if (this.socket) return this.socket;
    const socket = connect(this.port, this.host);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      if (this.pending) this.pending.reused = false;
      this.received.push(chunk);
      this.receivedBytes += chunk.length;
      this.parse(false);
    });
    const ended = (error?: Error) => {
      if (this.socket !== socket) return;
      // A body delimited by the connection's end is complete now.
      if (!error) this.parse(true);
      this.socket = undefined;
      this.received = [];
      this.receivedBytes = 0;
      this.fail(error ?? new Error('extension next: the connection ended before the answer'));
    };
    socket.on('end', () => {
      ended();
      socket.destroy();
    });
    socket.on('error', (error) => ended(error));
    socket.on('close', () => ended());
    this.socket = socket;
    return socket;
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    // The request went out on a kept connection that turned out closed, before any answer: the
    // API never read it (an answer would have come first), so it is sent again, once, on a new one.
    if (pending.reused) this.send(pending);
    else pending.reject(error);
  }

  /** Reads an answer off what has been received, once it is whole; `atEnd`: the connection has ended. */
  private parse(atEnd: boolean): void {
    if (!this.pending || this.receivedBytes === 0) return;
    const data = this.received.length === 1 ? (this.received[0] as Buffer) : Buffer.concat(this.received);
    this.received = [data];
    const headEnd = data.indexOf(CRLF2);
    if (headEnd < 0) return;
    const head = data.toString('latin1', 0, headEnd);
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    if (!status) {
      this.broken(`extension next: not an HTTP answer: ${JSON.stringify(head.slice(0, 80))}`);
      return;
    }
    const bodyStart = headEnd + 4;
    const length = /\r\ncontent-length:[ \t]*(\d+)[ \t]*(?:\r\n|$)/i.exec(head);
    const chunked = /\r\ntransfer-encoding:[^\r\n]*chunked/i.test(head);
    let body: Buffer | undefined;
    let end = 0;
    if (chunked) {
      const read = readChunked(data, bodyStart);
      if (read === 'invalid') {
        this.broken('extension next: a chunked body that is not one');
        return;
      }
      if (read) ({ body, end } = read);
    } else if (length) {
      end = bodyStart + Number(length[1]);
      if (data.length >= end) body = data.subarray(bodyStart, end);
    } else if (atEnd) {
      end = data.length;
      body = data.subarray(bodyStart);
    }
    if (!body) return;
    const closes =
      /\r\nconnection:[^\r\n]*close/i.test(head) || head.startsWith('HTTP/1.0') || !(chunked || length);
    this.received = [];
    this.receivedBytes = 0;
    // Anything past the answer, or an answer that closes the connection: a new one for the next call.
    if (closes || data.length > end) this.destroy();
    const pending = this.pending;
    this.pending = undefined;
    pending.resolve({ status: Number(status[1]), body: body.toString('utf8') });
  }

  private broken(message: string): void {
    this.destroy();
    this.received = [];
    this.receivedBytes = 0;
    this.fail(new Error(message));
  }
}

/**
 * A chunked body from `start`: the body and where it ends (past the trailers), `undefined` when
 * not all of it has come, `'invalid'` when it is not a chunked body.
 */
function readChunked(data: Buffer, start: number): { body: Buffer; end: number } | undefined | 'invalid' {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) return undefined;
    const size = /^([0-9a-fA-F]+)[ \t]*(?:;.*)?$/.exec(data.toString('latin1', at, lineEnd));
    if (!size) return 'invalid';
    const bytes = Number.parseInt(size[1] as string, 16);
    at = lineEnd + 2;
    if (bytes === 0) {
      // Trailers, if any, then an empty line.
      for (;;) {
        const trailerEnd = data.indexOf('\r\n', at, 'latin1');
        if (trailerEnd < 0) return undefined;
        const empty = trailerEnd === at;
        at = trailerEnd + 2;
        if (empty) return { body: Buffer.concat(parts), end: at };
      }
    }
    if (data.length < at + bytes + 2) return undefined;
    parts.push(data.subarray(at, at + bytes));
    if (data.toString('latin1', at + bytes, at + bytes + 2) !== '\r\n') return 'invalid';
    at += bytes + 2;
  }
}
