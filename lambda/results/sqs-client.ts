import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ResultsStoreError } from '../errors';
import { signPost } from './sigv4';
import type { SendBatchInput, SendBatchOutput, SqsSender } from './sqs-sink';

/** AWS credentials, as Lambda gives them to the function (its environment). */
export interface SqsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SqsClientOptions {
  /** @default the region in the queue URL's host, else `AWS_REGION`, else us-east-1 */
  readonly region?: string;
  /** @default read from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` at each send */
  readonly credentials?: SqsCredentials;
  /** Longest wait for an answer, ms. @default 10000 */
  readonly timeoutMs?: number;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * A send SQS did not take: its error answer (`sqsCode`: `__type` in the JSON protocol's error
 * body, e.g. `AccessDenied`; `statusCode` its HTTP status), an answer that is not one
 * (`InvalidResponse`), or no credentials (`MissingCredentials`, status 0). One of the matcher's
 * errors, code `results_send_failed`: the sink keeps the rows and retries.
 */
export class SqsRequestError extends ResultsStoreError {
  override name = 'SqsRequestError';

  constructor(
    readonly sqsCode: string,
    readonly statusCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('results_send_failed', `SQS ${statusCode} ${sqsCode}: ${message}`, undefined, options);
  }
}

const JSON_TYPE = 'application/x-amz-json-1.0';

/**
 * `SendMessageBatch` and nothing else, over SQS's JSON protocol (the one the AWS SDK v3 speaks),
 * signed with SigV4 on Node's crypto (`sigv4.ts`: the headers and signature the SDK's signer,
 * `@smithy/signature-v4`, gives the same request, compared by its tests, at about a fifth of that
 * signer's CPU a call): the predict function's whole use of SQS. Why not the SDK's `SQSClient`: its middleware stack
 * (endpoint rules, schema serde, retries, checksums) costs several times this client's CPU per
 * call (`npm run bench:invoke`, `sqs_send_cpu`: both in turns in one process), and its code was
 * most of the predict bundle's SDK. What it leaves out, on purpose: the SDK's own
 * retries (the sink retries failed sends with backoff and keeps the rows; only a request that
 * met a closed kept-alive socket is sent again at once), the MD5 check of each
 * body (the connection is TLS), and credentials from anywhere but the environment (Lambda sets
 * them there for the function's role; refreshed ones too, read again at each send).
 *
 * The request goes to the queue URL's host, as the SDK does by default (`useQueueUrlAsEndpoint`),
 * signed for that host's region ({@link regionOfHost}; `AWS_REGION` for a host naming none). An
 * answer is an answer only with a `Successful` or `Failed` list; the sink counts an entry sent only
 * when SQS lists it as taken.
 */
export class SqsClient implements SqsSender {
  private readonly timeoutMs: number;
  private readonly env: NodeJS.ProcessEnv;
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true }),
    https: new HttpsAgent({ keepAlive: true }),
  };
  private readonly regions = new Map<string, string>();
  private lastUrl: { readonly text: string; readonly url: URL } | undefined;

  constructor(private readonly options: SqsClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.env = options.env ?? process.env;
  }

  async sendMessageBatch(input: SendBatchInput): Promise<SendBatchOutput> {
    const url = this.queueUrl(input.QueueUrl);
    const body = JSON.stringify({ QueueUrl: input.QueueUrl, Entries: input.Entries });
    const headers = signPost({
      headers: {
        host: url.host,
        'content-type': JSON_TYPE,
        'x-amz-target': 'AmazonSQS.SendMessageBatch',
        'x-amzn-query-mode': 'true',
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
      region: this.region(url.hostname),
      service: 'sqs',
      // Read at each send: Lambda sets refreshed credentials in the environment.
      credentials: this.options.credentials ?? credentialsFrom(this.env),
    });
    const { status, text } = await this.post(url, headers, body);
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
    // A 200 that lists no entry either way (a proxy's empty answer) says nothing was taken.
    if (!Array.isArray(parsed.Successful) && !Array.isArray(parsed.Failed)) {
      throw new SqsRequestError(
        'InvalidResponse',
        status,
        'the answer lists no Successful or Failed entries',
      );
    }
    return parsed as SendBatchOutput;
  }

  /**
   * POSTs `body` and reads the answer. A request that fails on a kept-alive socket before any
   * answer (`ECONNRESET`, `EPIPE`: the far end closed it while Lambda froze the environment) is
   * sent once more at once, after the pool's idle sockets, likely closed the same way, are ended:
   * so on a new connection. The sink's backoff is for SQS's own failures. A reset before the answer
   * does not prove SQS did not take the batch; sent twice, its rows are written once (the writer's
   * inserts skip a row already there).
   */
  private async post(
    url: URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; text: string }> {
    try {
      return await this.postOnce(url, headers, body);
    } catch (error) {
      if (!(error instanceof StaleSocketError)) throw error;
      endIdleSockets(url.protocol === 'https:' ? this.agents.https : this.agents.http);
      try {
        return await this.postOnce(url, headers, body);
      } catch (again) {
        throw again instanceof StaleSocketError ? again.original : again;
      }
    }
  }

  private postOnce(
    url: URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; text: string }> {
    const https = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = (https ? httpsRequest : httpRequest)(
        {
          method: 'POST',
          host: url.hostname,
          port: url.port || (https ? 443 : 80),
          path: '/',
          headers,
          agent: https ? this.agents.https : this.agents.http,
        },
        (res: IncomingMessage) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        // Only before any answer: once SQS has answered, it may have taken the entries.
        const stale =
          !answered && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        reject(stale ? new StaleSocketError(error) : error);
      });
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(new Error(`no answer from SQS within ${this.timeoutMs} ms`)),
      );
      req.end(body);
    });
  }

  /** Ends the kept-alive connections. */
  destroy(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** The queue URL parsed: the previous call's when the same (the sink sends to one queue). */
  private queueUrl(queueUrl: string): URL {
    if (this.lastUrl?.text !== queueUrl) this.lastUrl = { text: queueUrl, url: new URL(queueUrl) };
    return this.lastUrl.url;
  }

  /** The region a request to `host` is signed for. */
  private region(host: string): string {
    let region = this.regions.get(host);
    if (region === undefined) {
      // The region of the host the request goes to; AWS_REGION for a host that names none (a
      // loopback or custom endpoint).
      region = this.options.region ?? (regionOfHost(host) || this.env.AWS_REGION || 'us-east-1');
      this.regions.set(host, region);
    }
    return region;
  }
}

/**
 * The region in an SQS host name, if there is one: `sqs.eu-west-1.amazonaws.com`, the legacy
 * `eu-west-1.queue.amazonaws.com`, and the China partition's `.amazonaws.com.cn`.
 */
export function regionOfHost(host: string): string | undefined {
  return /^(?:sqs\.)?([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:queue\.)?amazonaws\.com(?:\.cn)?$/.exec(host)?.[1];
}

/** Ends the sockets `agent` keeps idle (those in use carry other requests of the round). */
function endIdleSockets(agent: HttpAgent | HttpsAgent): void {
  for (const sockets of Object.values(agent.freeSockets))
    for (const socket of sockets ?? []) socket.destroy();
}

/** A request that failed on a kept-alive socket before any answer: sent again once. */
class StaleSocketError extends Error {
  constructor(readonly original: NodeJS.ErrnoException) {
    super(original.message);
  }
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
