import dns from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ResultsStoreError } from '../../../lambda/errors';
import { regionOfHost, SqsClient, SqsRequestError } from '../../../lambda/results/sqs-client';
import { SqsServer } from '../../helpers/sqs-server';

describe('SqsClient: SendMessageBatch signed with SigV4 (checked with the SDK signer), against the loopback SQS', () => {
  let sqs: SqsServer;
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };
  beforeEach(async () => {
    sqs = new SqsServer();
    await sqs.start();
  });
  afterEach(() => sqs.stop());

  const entries = [
    { Id: '0', MessageBody: '{"kind":"results","rows":[]}' },
    { Id: '1', MessageBody: 'ünïcödé, "quotes" and \\ backslashes' },
  ];

  it('sends the entries and reads the answer; its signature passes the check the SDK client passes', async () => {
    const own = new SqsClient({ region: 'us-east-1', credentials });
    const sdk = new SQSClient({
      region: 'us-east-1',
      endpoint: sqs.url,
      credentials,
      maxAttempts: 1,
    });

    const reply = await own.sendMessageBatch({ QueueUrl: sqs.queueUrl, Entries: entries });
    await sdk.send(new SendMessageBatchCommand({ QueueUrl: sqs.queueUrl, Entries: entries }));
    await new Promise((resolve) => setImmediate(resolve));
    own.destroy();
    sdk.destroy();

    expect(reply.Successful?.map((s) => s.Id)).toEqual(['0', '1']);
    expect(reply.Failed).toEqual([]);
    expect(sqs.taken).toEqual([...entries, ...entries].map((e) => e.MessageBody));
    expect(sqs.signatures).toEqual([
      { valid: true, scope: 'us-east-1/sqs' },
      { valid: true, scope: 'us-east-1/sqs' },
    ]);
  });

  it('fails the same check when signed with another secret (the check can fail)', async () => {
    const own = new SqsClient({
      region: 'us-east-1',
      credentials: { ...credentials, secretAccessKey: 'wrong' },
    });

    await own.sendMessageBatch({ QueueUrl: sqs.queueUrl, Entries: entries });
    await new Promise((resolve) => setImmediate(resolve));
    own.destroy();

    expect(sqs.signatures).toEqual([{ valid: false, scope: 'us-east-1/sqs' }]);
  });

  it('signs for AWS_REGION with the credentials Lambda puts in the environment; none there: the send fails', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'test', AWS_SESSION_TOKEN: 'token' };
    const fromEnv = new SqsClient({ env: { ...env, AWS_REGION: 'eu-west-1' } });
    await fromEnv.sendMessageBatch({ QueueUrl: sqs.queueUrl, Entries: entries });
    fromEnv.destroy();
    await new Promise((resolve) => setImmediate(resolve));

    expect(sqs.signatures).toEqual([{ valid: true, scope: 'eu-west-1/sqs' }]);
    // A role's keys are a session's: the token goes along, signed, or SQS refuses the key.
    expect(sqs.credentialsSeen).toEqual([
      { accessKeyId: 'AKIDENV', sessionToken: 'token', tokenSigned: true },
    ]);
    const missing = new SqsClient({ env: {} });
    await expect(
      missing.sendMessageBatch({ QueueUrl: sqs.queueUrl, Entries: entries }),
    ).rejects.toMatchObject({
      code: 'results_send_failed',
      sqsCode: 'MissingCredentials',
    });
  });

  it("turns SQS's error answers into SqsRequestError with the error's code", async () => {
    const { url, close } = await serving((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#AccessDenied', message: 'not allowed' }));
    });
    const own = new SqsClient({ region: 'us-east-1', credentials });
    try {
      const error = await own.sendMessageBatch({ QueueUrl: url, Entries: entries }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SqsRequestError);
      expect(error).toBeInstanceOf(ResultsStoreError);
      expect(error).toMatchObject({ code: 'results_send_failed', sqsCode: 'AccessDenied', statusCode: 400 });
    } finally {
      own.destroy();
      await close();
    }
  });

  /** A server on loopback answering with `handle`; its URL's queue path. */
  async function serving(handle: Parameters<typeof createServer>[1]) {
    const server: Server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/000000000000/results`;
    const close = async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    return { url, close };
  }

  it('refuses a 200 answer that lists no entries either way (InvalidResponse): nothing counts as sent', async () => {
    const { url, close } = await serving((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end('{}');
    });
    const own = new SqsClient({ region: 'us-east-1', credentials });
    try {
      await expect(own.sendMessageBatch({ QueueUrl: url, Entries: entries })).rejects.toMatchObject({
        code: 'results_send_failed',
        sqsCode: 'InvalidResponse',
        statusCode: 200,
      });
    } finally {
      own.destroy();
      await close();
    }
  });

  it('sends again at once on a new connection when a kept-alive one turns out closed', async () => {
    let requests = 0;
    const { url, close } = await serving((req, res) => {
      req.resume();
      req.on('end', () => {
        requests++;
        // The second request, on the first one's kept-alive socket: closed without an answer, as
        // a connection the far end dropped while Lambda froze the environment.
        if (requests === 2) return void req.socket.destroy();
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ Successful: [{ Id: '0' }, { Id: '1' }], Failed: [] }));
      });
    });
    const own = new SqsClient({ region: 'us-east-1', credentials });
    try {
      await own.sendMessageBatch({ QueueUrl: url, Entries: entries });
      const again = await own.sendMessageBatch({ QueueUrl: url, Entries: entries });
      expect(again.Successful).toHaveLength(2);
      expect(requests).toBe(3);
    } finally {
      own.destroy();
      await close();
    }
  });

  it('sends again on a new connection, not on another idle socket closed the same way', async () => {
    // Every socket serves one request; a second request on it is dropped unanswered, as on
    // connections the far end closed while the environment was frozen.
    const served = new WeakSet<object>();
    let answered = 0;
    const { url, close } = await serving((req, res) => {
      req.resume();
      req.on('end', () => {
        if (served.has(req.socket)) return void req.socket.destroy();
        served.add(req.socket);
        answered++;
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ Successful: [{ Id: '0' }, { Id: '1' }], Failed: [] }));
      });
    });
    const own = new SqsClient({ region: 'us-east-1', credentials });
    try {
      // Two at once: two kept-alive sockets in the pool, both "closed" for what comes next.
      await Promise.all([0, 1].map(() => own.sendMessageBatch({ QueueUrl: url, Entries: entries })));
      const again = await own.sendMessageBatch({ QueueUrl: url, Entries: entries });
      expect(again.Successful).toHaveLength(2);
      expect(answered).toBe(3);
    } finally {
      own.destroy();
      await close();
    }
  });

  it("signs a request to a named region's host for that region, not AWS_REGION (both host forms)", async () => {
    // Resolve the SQS host names to the loopback SQS, so the request really goes to them.
    const lookup = jest.spyOn(dns, 'lookup').mockImplementation(((
      _host: string,
      options: unknown,
      callback?: (...args: unknown[]) => void,
    ) => {
      const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
      const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
      process.nextTick(() =>
        all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4),
      );
    }) as unknown as typeof dns.lookup);
    const env = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
    const client = new SqsClient({ env });
    const port = new URL(sqs.url).port;
    try {
      for (const host of ['sqs.eu-west-1.amazonaws.com', 'ap-south-1.queue.amazonaws.com'])
        await client.sendMessageBatch({
          QueueUrl: `http://${host}:${port}/000000000000/results`,
          Entries: entries,
        });
    } finally {
      client.destroy();
      lookup.mockRestore();
    }
    await new Promise((resolve) => setImmediate(resolve));

    expect(sqs.signatures).toEqual([
      { valid: true, scope: 'eu-west-1/sqs' },
      { valid: true, scope: 'ap-south-1/sqs' },
    ]);
  });

  it('does not send again when a new connection is closed without an answer (only a reused one is)', async () => {
    let requests = 0;
    const { url, close } = await serving((req) => {
      req.resume();
      req.on('end', () => {
        requests++;
        req.socket.destroy();
      });
    });
    const own = new SqsClient({ region: 'us-east-1', credentials });
    try {
      await expect(own.sendMessageBatch({ QueueUrl: url, Entries: entries })).rejects.toMatchObject({
        code: 'ECONNRESET',
      });
      expect(requests).toBe(1);
    } finally {
      own.destroy();
      await close();
    }
  });

  it("signs for the region of the queue URL's host; AWS_REGION only for a host that names none", () => {
    expect(regionOfHost('sqs.eu-west-1.amazonaws.com')).toBe('eu-west-1');
    expect(regionOfHost('eu-west-1.queue.amazonaws.com')).toBe('eu-west-1');
    expect(regionOfHost('sqs.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
    expect(regionOfHost('sqs.us-gov-west-1.amazonaws.com')).toBe('us-gov-west-1');
    expect(regionOfHost('127.0.0.1')).toBeUndefined();
    expect(regionOfHost('queue.example.com')).toBeUndefined();
  });
});
