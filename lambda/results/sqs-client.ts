import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SendBatchInput, SendBatchOutput, SqsSender } from './sqs-sink';

/** AWS credentials, as Lambda gives them to the function (its environment). */
export interface SqsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SqsClientOptions {
  /** @default `AWS_REGION`, else the region in the queue URL's host, else us-east-1 */
  readonly region?: string;
  /** @default read from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` at each send */
  readonly credentials?: SqsCredentials;
  /** Longest wait for an answer, ms. @default 10000 */
  readonly timeoutMs?: number;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** SQS answered with an error (`__type` in its JSON protocol's error body, e.g. `AccessDenied`). */
export class SqsRequestError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
  ) {
    super(`SQS ${statusCode} ${code}: ${message}`);
    this.name = 'SqsRequestError';
  }
}

const JSON_TYPE = 'application/x-amz-json-1.0';

/**
 * `SendMessageBatch` and nothing else, over SQS's JSON protocol (the one the AWS SDK v3 speaks),
 * signed with the SDK's own SigV4 signer (`@smithy/signature-v4`, SHA-256 from node's crypto):
 * the predict function's whole use of SQS. Why not the SDK's `SQSClient`: its middleware stack
 * (endpoint rules, schema serde, retries, checksums) costs several times this client's CPU per
 * call (`npm run bench:invoke`, `sqs_send_cpu`: both in turns in one process), and its code was
 * most of the predict bundle's SDK. What it leaves out, on purpose: the SDK's own
 * retries (the sink retries failed sends with backoff and keeps the rows), the MD5 check of each
 * body (the connection is TLS), and credentials from anywhere but the environment (Lambda sets
 * them there for the function's role; refreshed ones too, read again at each send).
 *
 * The request goes to the queue URL's host, as the SDK does by default (`useQueueUrlAsEndpoint`).
 */
export class SqsClient implements SqsSender {
  private readonly timeoutMs: number;
  private readonly env: NodeJS.ProcessEnv;
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true }),
    https: new HttpsAgent({ keepAlive: true }),
  };
  private readonly signers = new Map<string, SignatureV4>();

  constructor(private readonly options: SqsClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.env = options.env ?? process.env;
  }

  async sendMessageBatch(input: SendBatchInput): Promise<SendBatchOutput> {
    const url = new URL(input.QueueUrl);
    const body = JSON.stringify({ QueueUrl: input.QueueUrl, Entries: input.Entries });
    const signed = await this.signer(url.hostname).sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: '/',
      query: {},
      headers: {
        host: url.host,
        'content-type': JSON_TYPE,
        'x-amz-target': 'AmazonSQS.SendMessageBatch',
        'x-amzn-query-mode': 'true',
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    });
    const https = url.protocol === 'https:';
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(
        {
          method: 'POST',
          host: url.hostname,
          port: url.port || (https ? 443 : 80),
          path: '/',
          headers: signed.headers,
          agent: https ? this.agents.https : this.agents.http,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(new Error(`no answer from SQS within ${this.timeoutMs} ms`)),
      );
      req.end(body);
    });
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      if (status === 200) throw new SqsRequestError('InvalidResponse', status, 'the answer is not JSON');
    }
    if (status !== 200) {
      const code = String(parsed.__type ?? 'Unknown')
        .split('#')
        .pop() as string;
      throw new SqsRequestError(code, status, String(parsed.message ?? parsed.Message ?? text.slice(0, 200)));
    }
    return parsed as SendBatchOutput;
  }

  /** Ends the kept-alive connections. */
  destroy(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private signer(host: string): SignatureV4 {
    let signer = this.signers.get(host);
    if (!signer) {
      const region = this.options.region ?? (this.env.AWS_REGION || regionOfHost(host) || 'us-east-1');
      signer = new SignatureV4({
        service: 'sqs',
        region,
        sha256: Sha256,
        credentials: async () => this.options.credentials ?? credentialsFrom(this.env),
      });
      this.signers.set(host, signer);
    }
    return signer;
  }
}

/** The region in an SQS host name (`sqs.eu-west-1.amazonaws.com`), if there is one. */
function regionOfHost(host: string): string | undefined {
  return /^(?:sqs\.)?([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com/.exec(host)?.[1];
}

function credentialsFrom(env: NodeJS.ProcessEnv): SqsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new SqsRequestError(
      'MissingCredentials',
      0,
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set',
    );
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
  };
}
