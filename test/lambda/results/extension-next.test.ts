import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { ExtensionNextClient } from '../../../lambda/results/extension-next';

/** A TCP server answering each request with `answers`' next bytes (in the pieces given); it keeps what came. */
class RawServer {
  readonly requests: string[] = [];
  connections = 0;
  answers: ((socket: Socket) => void)[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    const server = createServer((socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      let text = '';
      socket.on('data', (chunk) => {
        // A connection this server has ended takes no more requests: it is reset, as a socket the
        // application closed would be.
        if (socket.writableEnded) {
          socket.destroy();
          return;
        }
        text += chunk.toString('latin1');
        for (let end = text.indexOf('\r\n\r\n'); end >= 0; end = text.indexOf('\r\n\r\n')) {
          this.requests.push(text.slice(0, end + 4));
          text = text.slice(end + 4);
          this.answers.shift()?.(socket);
        }
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** Writes `parts` one at a time, each on a later turn, so that the client reads them piecewise. */
const inPieces =
  (...parts: (string | Buffer)[]) =>
  (socket: Socket) => {
    const write = (i: number) => {
      if (i >= parts.length) return;
      socket.write(parts[i] as string | Buffer);
      setTimeout(() => write(i + 1), 2);
    };
    write(0);
  };

/** Every byte of `text` (UTF-8) as a piece of its own. */
const byteByByte = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => Buffer.from([b]));

describe('ExtensionNextClient: GET next over one kept-alive connection, read by hand', () => {
  let server: RawServer;
  let client: ExtensionNextClient;
  beforeEach(async () => {
    server = new RawServer();
    await server.start();
    client = new ExtensionNextClient('127.0.0.1', server.port, 'ext-id');
  });
  afterEach(async () => {
    client.destroy();
    await server.stop();
  });

  const event = JSON.stringify({ eventType: 'INVOKE', requestId: 'réq-1', deadlineMs: 123 });
  const withLength = (body: string, extra = '') =>
    `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

  it('sends the request Lambda expects (path, host, identifier)', async () => {
    server.answers.push(inPieces(withLength(event)));

    await client.next();

    expect(server.requests).toEqual([
      `GET /2020-01-01/extension/event/next HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nLambda-Extension-Identifier: ext-id\r\n\r\n`,
    ]);
  });

  it('reads a Content-Length body that comes a byte at a time (a character split across pieces)', async () => {
    server.answers.push(inPieces(...byteByByte(withLength(event))));

    expect(await client.next()).toEqual({ status: 200, body: event });
  });

  it('reads a chunked body (extensions, several chunks, a trailer), in pieces', async () => {
    const bytes = Buffer.from(event, 'utf8');
    const a = bytes.subarray(0, 10);
    const b = bytes.subarray(10);
    const answer = Buffer.concat([
      Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', 'latin1'),
      Buffer.from(`${a.length.toString(16)};ext=1\r\n`, 'latin1'),
      a,
      Buffer.from(`\r\n${b.length.toString(16).toUpperCase()}\r\n`, 'latin1'),
      b,
      Buffer.from('\r\n0\r\nX-Trailer: 1\r\n\r\n', 'latin1'),
    ]);
    server.answers.push(inPieces(...[...answer].map((x) => Buffer.from([x]))));

    expect(await client.next()).toEqual({ status: 200, body: event });
  });

  it('reads the answer of the local Extensions API (node:http, chunked) and of a Go-like server (Content-Length)', async () => {
    server.answers.push(
      inPieces(
        `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(event).toString(16)}\r\n${event}\r\n0\r\n\r\n`,
      ),
      inPieces(
        withLength(event, 'Lambda-Extension-Event-Identifier: e1\r\nDate: Thu, 03 Dec 2026 14:00:00 GMT\r\n'),
      ),
    );

    expect(await client.next()).toEqual({ status: 200, body: event });
    expect(await client.next()).toEqual({ status: 200, body: event });
  });

  it('keeps the connection between calls', async () => {
    server.answers.push(
      inPieces(withLength('{"a":1}')),
      inPieces(withLength('{"a":2}')),
      inPieces(withLength('{"a":3}')),
    );

    const bodies = [(await client.next()).body, (await client.next()).body, (await client.next()).body];

    expect(bodies).toEqual(['{"a":1}', '{"a":2}', '{"a":3}']);
    expect(server.connections).toBe(1);
  });

  it('opens a new connection after an answer with Connection: close, and after one the server ended', async () => {
    server.answers.push(
      inPieces(withLength('{"a":1}', 'Connection: close\r\n')),
      (socket) => socket.end(withLength('{"a":2}')),
      inPieces(withLength('{"a":3}')),
    );

    expect((await client.next()).body).toBe('{"a":1}');
    expect((await client.next()).body).toBe('{"a":2}');
    // At once: the end of the second connection may not have been read yet, so the request can go
    // out on it; it is then sent again on a new connection.
    expect((await client.next()).body).toBe('{"a":3}');
  });

  it('sends a request again, once, on a new connection when the kept one was closed before any answer', async () => {
    server.answers.push(
      // Answers, then closes the connection shortly after (as an idle timeout would), without
      // Connection: close.
      (socket) => {
        socket.write(withLength('{"a":1}'));
        setTimeout(() => socket.destroy(), 5);
      },
      inPieces(withLength('{"a":2}')),
    );

    expect((await client.next()).body).toBe('{"a":1}');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await client.next()).body).toBe('{"a":2}');
    expect(server.connections).toBe(2);
  });

  it('reads a body delimited by the connection end (no length)', async () => {
    server.answers.push((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n\r\n{"a":');
      setTimeout(() => socket.end('1}'), 5);
    });

    expect(await client.next()).toEqual({ status: 200, body: '{"a":1}' });
  });

  it('hands on an error status with its body', async () => {
    server.answers.push(
      inPieces(
        withLength('{"errorType":"Extension.InvalidExtensionIdentifier"}').replace('200 OK', '403 Forbidden'),
      ),
    );

    expect(await client.next()).toEqual({
      status: 403,
      body: '{"errorType":"Extension.InvalidExtensionIdentifier"}',
    });
  });

  it('rejects when the connection ends before the answer is whole, and when nothing listens', async () => {
    server.answers.push((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{"a":');
      setTimeout(() => socket.destroy(), 5);
    });
    await expect(client.next()).rejects.toThrow(/ended before the answer|ECONNRESET/);

    await server.stop();
    await expect(client.next()).rejects.toThrow(/ECONNREFUSED/);
  });

  it('rejects an answer that is not HTTP, or a chunked body that is not one', async () => {
    server.answers.push(inPieces('SSH-2.0-nope\r\n\r\n'));
    await expect(client.next()).rejects.toThrow(/not an HTTP answer/);

    server.answers.push(inPieces('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'));
    await expect(client.next()).rejects.toThrow(/chunked body that is not one/);
  });

  it('refuses a second call while one waits', async () => {
    server.answers.push((socket) => setTimeout(() => socket.write(withLength('{}')), 20));

    const first = client.next();
    await expect(client.next()).rejects.toThrow(/already waiting/);
    expect(await first).toEqual({ status: 200, body: '{}' });
  });
});
