import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqsClient, SqsRequestError } from '../../../lambda/results/sqs-client';
import { SqsServer } from '../../helpers/sqs-server';

describe('SqsClient: SendMessageBatch signed with the SDK signer, against the loopback SQS', () => {
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
    const missing = new SqsClient({ env: {} });
    await expect(
      missing.sendMessageBatch({ QueueUrl: sqs.queueUrl, Entries: entries }),
    ).rejects.toMatchObject({
      code: 'MissingCredentials',
    });
  });

  it("turns SQS's error answers into SqsRequestError with the error's code", async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#AccessDenied', message: 'not allowed' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/000000000000/results`;
    const own = new SqsClient({ region: 'us-east-1', credentials });
    try {
      const error = await own.sendMessageBatch({ QueueUrl: url, Entries: entries }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SqsRequestError);
      expect(error).toMatchObject({ code: 'AccessDenied', statusCode: 400 });
    } finally {
      own.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
