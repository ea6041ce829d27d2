import { request, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { createLocalServer, type LambdaHandler } from '../../local/create-server';
import { DEFAULT_SERVER_LIMITS, readServerLimits, type ServerLimits } from '../../local/server-limits';

const answered: unknown[] = [];
const handler: LambdaHandler = async (event) => {
  answered.push(event);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '[]' };
};

async function listen(limits: ServerLimits): Promise<{ server: Server; port: number }> {
  const server = createLocalServer(handler, { limits, invoke: { echoLogs: false } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function post(port: number, body: Buffer | string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/budget_expense_matcher', agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A client that sends the headers and one chunk of a chunked body, then nothing more. */
function slowClient(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    // Read what the server sends (its 408), or the socket never sees the server's end.
    socket.resume();
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => {
      socket.write(
        'POST /budget_expense_matcher HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"bud\r\n',
      );
      resolve({ socket, closed });
    });
    // A socket the server closed on arrival (over maxConnections) never sees its write answered.
    socket.once('close', () => resolve({ socket, closed }));
  });
}

const connections = (server: Server) =>
  new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the local server under slow and greedy clients', () => {
  const tight: ServerLimits = {
    headersTimeoutMs: 400,
    requestTimeoutMs: 800,
    keepAliveTimeoutMs: 500,
    maxConnections: 20,
    maxInFlight: 64,
  };

  it('holds never-finished bodies to maxConnections sockets, cuts them at the request timeout, and serves others', async () => {
    const { server, port } = await listen(tight);
    try {
      const few = await Promise.all(Array.from({ length: 10 }, () => slowClient(port)));
      const servedDuringAttack = await post(port, '{"budgets":[],"all_user_expense_lineitems":[]}');

      const many = await Promise.all(Array.from({ length: 60 }, () => slowClient(port)));
      await sleep(100);
      const held = await connections(server);
      await Promise.all([...few, ...many].map((c) => c.closed));
      const servedAfter = await post(port, '{"budgets":[],"all_user_expense_lineitems":[]}');

      expect(servedDuringAttack.status).toBe(200);
      expect(held).toBeLessThanOrEqual(tight.maxConnections);
      expect(await connections(server)).toBeLessThanOrEqual(1);
      expect(servedAfter.status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers 429 in the gateway error shape past maxInFlight requests, and serves again once they finish', async () => {
    const { server, port } = await listen({ ...tight, requestTimeoutMs: 5_000, maxInFlight: 2 });
    try {
      const slow = await Promise.all([slowClient(port), slowClient(port)]);
      await sleep(100);
      const over = await post(port, '{}');
      for (const { socket } of slow) socket.end('0\r\n\r\n');
      await Promise.all(slow.map((c) => c.closed));
      const after = await post(port, '{"budgets":[],"all_user_expense_lineitems":[]}');

      expect(over.status).toBe(429);
      expect(JSON.parse(over.body)).toEqual({ error: { code: 'THROTTLED', message: 'Too Many Requests' } });
      expect(after.status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the local server and bytes that are not UTF-8', () => {
  it('refuses them with 400 invalid_utf8 instead of decoding distinct ids into one', async () => {
    const { server, port } = await listen(DEFAULT_SERVER_LIMITS);
    try {
      answered.length = 0;
      const raw = Buffer.concat([
        Buffer.from('{"budgets":[{"budget_id":"'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('"}],"all_user_expense_lineitems":[]}'),
      ]);

      const reply = await post(port, raw);

      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body)).toEqual({
        error: { code: 'invalid_utf8', message: 'the request body is not valid UTF-8', field: 'body' },
      });
      expect(answered).toHaveLength(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('readServerLimits', () => {
  it('takes the defaults when nothing is set', () => {
    expect(readServerLimits({})).toEqual(DEFAULT_SERVER_LIMITS);
  });

  it('reads each limit from its variable', () => {
    expect(
      readServerLimits({
        SERVER_HEADERS_TIMEOUT_MS: '2000',
        SERVER_REQUEST_TIMEOUT_MS: '9000',
        SERVER_KEEP_ALIVE_TIMEOUT_MS: '1000',
        SERVER_MAX_CONNECTIONS: '50',
        SERVER_MAX_IN_FLIGHT: '8',
      }),
    ).toEqual({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 9000,
      keepAliveTimeoutMs: 1000,
      maxConnections: 50,
      maxInFlight: 8,
    });
  });

  it('names the setting that is not a positive whole number, or a header timeout over the request timeout', () => {
    expect(() => readServerLimits({ SERVER_MAX_IN_FLIGHT: '0' })).toThrow(
      'configuration SERVER_MAX_IN_FLIGHT: "0" is not a whole number of at least 1',
    );
    expect(() => readServerLimits({ SERVER_REQUEST_TIMEOUT_MS: 'soon' })).toThrow(
      /SERVER_REQUEST_TIMEOUT_MS/,
    );
    expect(() =>
      readServerLimits({ SERVER_HEADERS_TIMEOUT_MS: '5000', SERVER_REQUEST_TIMEOUT_MS: '1000' }),
    ).toThrow(/SERVER_HEADERS_TIMEOUT_MS: 5000 is over SERVER_REQUEST_TIMEOUT_MS/);
  });
});
