import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { SqsClient } from '../../lambda/results/sqs-client';

/** One SendMessageBatch call as the loopback server received it. */
export interface ReceivedCall {
  readonly entries: { readonly Id: string; readonly MessageBody: string }[];
}

/** What the server answers for one entry: taken (undefined), failed to retry, or refused. */
export type EntryVerdict = undefined | 'retry' | 'sender-fault';

/**
 * A loopback SQS endpoint speaking the JSON protocol the AWS SDK v3 uses
 * (`X-Amz-Target: AmazonSQS.SendMessageBatch`), for the sink's tests: it keeps every call, lets
 * a test fail chosen entries or delay replies, and answers with the MD5s the SDK verifies.
 */
export class SqsServer {
  readonly calls: ReceivedCall[] = [];
  /**
   * For each request, whether its SigV4 signature is the one its own signed headers and body give
   * with the secret key `secretAccessKey` (checked with `@smithy/signature-v4` at the request's
   * `x-amz-date`, as SQS checks it), and the credential scope it names.
   */
  readonly signatures: { readonly valid: boolean; readonly scope: string }[] = [];
  /**
   * For each request, the access key id its signature names, its `x-amz-security-token` header
   * and whether that header is among the signed ones (SQS refuses a session's key without it).
   */
  readonly credentialsSeen: {
    readonly accessKeyId: string;
    readonly sessionToken: string | undefined;
    readonly tokenSigned: boolean;
  }[] = [];
  secretAccessKey = 'test';
  /** Bodies of the entries taken (answered as successful), in order. */
  readonly taken: string[] = [];
  verdict: (entry: { Id: string; MessageBody: string }, call: number) => EntryVerdict = () => undefined;
  delayMs = 0;
  private server: Server | undefined;
  url = '';

  /** Listens on a free port. */
  start(): Promise<void> {
    return this.startOn(0);
  }

  /** Listens on `port` (a stopped server's, to bring it back). */
  async startOn(port: number): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void checkSignature(req, Buffer.concat(chunks), this.secretAccessKey).then((checked) =>
          this.signatures.push(checked),
        );
        const auth = String(req.headers.authorization ?? '');
        const token = req.headers['x-amz-security-token'];
        this.credentialsSeen.push({
          accessKeyId: /Credential=([^/]+)\//.exec(auth)?.[1] ?? '',
          sessionToken: typeof token === 'string' ? token : undefined,
          tokenSigned: (/SignedHeaders=([^,]+)/.exec(auth)?.[1] ?? '')
            .split(';')
            .includes('x-amz-security-token'),
        });
        const target = String(req.headers['x-amz-target'] ?? '');
        if (target !== 'AmazonSQS.SendMessageBatch') {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidAction', message: target }));
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          Entries?: ReceivedCall['entries'];
        };
        const entries = body.Entries ?? [];
        const callIndex = this.calls.push({ entries }) - 1;
        const Successful: unknown[] = [];
        const Failed: unknown[] = [];
        for (const entry of entries) {
          const verdict = this.verdict(entry, callIndex);
          if (verdict === undefined) {
            this.taken.push(entry.MessageBody);
            Successful.push({
              Id: entry.Id,
              MessageId: `m-${callIndex}-${entry.Id}`,
              MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex'),
            });
          } else {
            Failed.push({
              Id: entry.Id,
              SenderFault: verdict === 'sender-fault',
              Code: verdict === 'sender-fault' ? 'InvalidParameterValue' : 'InternalError',
              Message: 'test failure',
            });
          }
        }
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ Successful, Failed }));
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  get queueUrl(): string {
    return `${this.url}/000000000000/results`;
  }

  /** The predict function's SQS client (`lambda/results/sqs-client.ts`), with dummy credentials. */
  client(): SqsClient {
    return new SqsClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Whether `req`'s SigV4 signature matches its signed headers and body (service `sqs`). */
async function checkSignature(
  req: IncomingMessage,
  body: Buffer,
  secretAccessKey: string,
): Promise<{ valid: boolean; scope: string }> {
  const auth = String(req.headers.authorization ?? '');
  const match =
    /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)/.exec(
      auth,
    );
  if (!match) return { valid: false, scope: '' };
  const [, accessKeyId, , region, service, signedHeaders, signature] = match as unknown as string[];
  const headers: Record<string, string> = {};
  for (const name of (signedHeaders as string).split(';')) headers[name] = String(req.headers[name] ?? '');
  const amzDate = String(req.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    service: service as string,
    region: region as string,
    sha256: Sha256,
    credentials: { accessKeyId: accessKeyId as string, secretAccessKey },
  });
  const [host, port] = String(req.headers.host).split(':');
  const signed = await signer.sign(
    {
      method: req.method ?? 'POST',
      protocol: 'http:',
      hostname: host as string,
      ...(port ? { port: Number(port) } : {}),
      path: (req.url ?? '/').split('?')[0] as string,
      query: {},
      headers,
      body,
    },
    { signingDate, unsignableHeaders: new Set(), signableHeaders: new Set(Object.keys(headers)) },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1];
  return { valid: expected === signature, scope: `${region}/${service}` };
}
