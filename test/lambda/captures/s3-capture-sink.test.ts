import type { Logger } from '@aws-lambda-powertools/logger';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { S3CaptureSink } from '../../../lambda/captures/s3-capture-sink';
import { readConfig } from '../../../lambda/config';
import { createPredictHandler } from '../../../lambda/predict';
import { SqsSink } from '../../../lambda/results/sqs-sink';
import { loadRequest } from '../../helpers/events';
import { RecordingLogger } from '../../helpers/recording-logger';
import { type S3Server, startS3Server } from '../../helpers/s3-server';
import { SqsServer } from '../../helpers/sqs-server';
import { TcpProxy } from '../../helpers/tcp-proxy';

/**
 * The AWS path, against a loopback S3 (s3rver) and SQS: captures are held and retried beside the
 * rows' SQS hand-off, never dropped under a burst, and every request whose rows SQS took has its
 * capture in the bucket.
 */
describe('S3CaptureSink', () => {
  jest.setTimeout(120_000);
  let s3server: S3Server;
  let proxy: TcpProxy;
  let s3: S3Client;
  let prefix = 0;
  beforeAll(async () => {
    s3server = await startS3Server();
    const port = Number(new URL(s3server.endpoint).port);
    proxy = new TcpProxy({ host: '127.0.0.1', port });
    await proxy.start();
    s3 = new S3Client({
      endpoint: `http://127.0.0.1:${proxy.port}`,
      forcePathStyle: true,
      region: 'us-east-1',
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    s3.destroy();
    await proxy.stop();
    await s3server.close();
  });

  async function keys(under: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: s3server.bucket, Prefix: under, ContinuationToken: token }),
      );
      out.push(...(page.Contents ?? []).map((c) => c.Key as string));
      token = page.NextContinuationToken;
    } while (token);
    return out;
  }

  it('under a burst of requests through the predict handler, keeps a capture for every request whose rows SQS took', async () => {
    const sqs = new SqsServer();
    await sqs.start();
    sqs.delayMs = 5;
    const under = `burst-${++prefix}/`;
    const capture = new S3CaptureSink({ client: s3, bucket: s3server.bucket, prefix: under, maxInFlight: 4 });
    const sink = new SqsSink({ queueUrl: sqs.queueUrl, client: sqs.client() });
    const logger = new RecordingLogger() as unknown as Logger;
    const handler = createPredictHandler({ config: readConfig({}), sink, logger, capture });
    const request = loadRequest('seed-request');

    // 300 invokes at once: far more captures than uploads allowed in flight.
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => handler(structuredClone(request), { awsRequestId: `req-${i}` })),
    );
    await sink.flush();
    await capture.flush();

    const withRows = new Set(
      sqs.taken.flatMap((body) =>
        // The predict function sends pairs (`{"kind":"pairs"}`), or rows when a scoring is too large.
        ((m: { rows?: { request_id: string }[]; pairs?: { request_id: string }[] }) =>
          (m.pairs ?? m.rows ?? []).map((r) => r.request_id))(JSON.parse(body)),
      ),
    );
    const captured = new Set((await keys(under)).map((k) => k.replace(/^.*\//, '').replace(/\.json$/, '')));
    expect(withRows.size).toBe(300);
    expect([...withRows].filter((id) => !captured.has(id))).toEqual([]);
    expect(capture.dropped).toBe(0);
    const object = await s3.send(
      new GetObjectCommand({ Bucket: s3server.bucket, Key: (await keys(under))[0] as string }),
    );
    expect(
      JSON.parse(await (object.Body as { transformToString(): Promise<string> }).transformToString()),
    ).toMatchObject({
      request,
    });
    await sqs.stop();
  });

  it('S3 unreachable: holds the captures (settle returns, the reply is not held up) and uploads them all when it is back', async () => {
    const under = `outage-${++prefix}/`;
    const errors: unknown[] = [];
    const capture = new S3CaptureSink({
      client: s3,
      bucket: s3server.bucket,
      prefix: under,
      retry: { initialMs: 50, maxMs: 200 },
      onError: (error) => errors.push(error),
    });
    await proxy.stop();

    for (let i = 0; i < 20; i++)
      capture.capture({ requestId: `held-${i}`, capturedAt: new Date(), request: '{}' });
    await capture.settle(2000);
    const heldWhileDown = capture.pending;
    await proxy.start();
    await capture.flush();

    expect(heldWhileDown).toBe(20);
    expect(errors.length).toBeGreaterThan(0);
    expect((await keys(under)).length).toBe(20);
    expect(capture.dropped).toBe(0);
  });

  it('drops, counts and tells, only past the bytes it may hold', async () => {
    const dropped: string[] = [];
    const capture = new S3CaptureSink({
      client: s3,
      bucket: s3server.bucket,
      prefix: `cap-${++prefix}/`,
      maxHeldBytes: 400,
      onDrop: (id) => dropped.push(id),
    });

    const kept = [0, 1, 2].map((i) =>
      capture.capture({
        requestId: `c-${i}`,
        capturedAt: new Date(),
        request: JSON.stringify({ pad: 'x'.repeat(100) }),
      }),
    );
    await capture.flush();

    expect(kept).toEqual([true, true, false]);
    expect(dropped).toEqual(['c-2']);
    expect(capture.dropped).toBe(1);
  });
});
