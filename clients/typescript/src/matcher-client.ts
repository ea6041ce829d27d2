import { LambdaClient } from '@aws-sdk/client-lambda';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';
import { MatcherServiceError, MatcherTransportError } from './errors';
import { httpTransport } from './http-transport';
import { invokeTransport, type Transport } from './invoke-transport';
import { type ChunkLimits, DEFAULT_CHUNK_LIMITS } from './limits';
import { mergeReplies, type ReplyEntry } from './merge-replies';
import { planChunks } from './plan-chunks';
import { Semaphore } from './semaphore';
import { type Classify, standardRetries, withRetries } from './with-retries';

/** The deployed function's name (the stack's `FunctionName` output names yours). */
export const DEFAULT_FUNCTION_NAME = 'budget-expense-matcher';

export interface MatcherClientOptions {
  /**
   * The function's name, ARN or `name:alias`; the Lambda variant's target.
   * @default 'budget-expense-matcher'
   */
  readonly functionName?: string;
  /** The alias or version to invoke. @default none: the name as given (`$LATEST` or its own `:alias`) */
  readonly qualifier?: string;
  /**
   * The Lambda API endpoint, e.g. the local server's `http://127.0.0.1:3000`.
   * @default the SDK's: `AWS_ENDPOINT_URL_LAMBDA`, `AWS_ENDPOINT_URL`, else AWS
   */
  readonly endpoint?: string;
  /** @default the SDK's: `AWS_REGION`, the profile's region */
  readonly region?: string;
  /** @default the SDK's default credential chain */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** A Lambda client of your own (its settings win over `endpoint`, `region`, `credentials`). */
  readonly lambdaClient?: LambdaClient;
  /**
   * Call the HTTP route instead of Lambda: the API's base URL (with its stage, e.g.
   * `https://abc.execute-api.eu-west-1.amazonaws.com/prod`) or the local server's.
   * @default none: Lambda `Invoke`
   */
  readonly url?: string;
  /**
   * Sign HTTP requests with SigV4 (`execute-api`), as an API with `iam` auth requires.
   * @default true for `*.amazonaws.com` hosts, false otherwise (the local server takes unsigned requests)
   */
  readonly signRequests?: boolean;
  /**
   * Ask the HTTP route for gzip-compressed replies (`Accept-Encoding: gzip`). It pays over a
   * network (a 10 × 2,000 reply shrinks about 25-fold); on a loopback address it only costs CPU at
   * both ends (`npm run bench:score`).
   * @default false for loopback hosts (`localhost`, `127.x.x.x`, `::1`), true otherwise
   */
  readonly compressReplies?: boolean;
  /** Most calls in flight at once, over every `score` running on this client. @default 4 */
  readonly concurrency?: number;
  /** Attempts per call, the first included, under the SDK's standard retry strategy. @default 5 */
  readonly maxAttempts?: number;
  /** A retry strategy of your own (the SDK's `RetryStrategyV2`). @default StandardRetryStrategy(maxAttempts) */
  readonly retryStrategy?: RetryStrategyV2;
  /** The service's limits, when its `MAX_BODY_BYTES` or `MAX_PAIRS` differ from the defaults. @default DEFAULT_CHUNK_LIMITS */
  readonly limits?: Partial<ChunkLimits>;
}

/** What one `score` cost: calls made and the request's size. */
export interface ScoreStats {
  readonly calls: number;
}

/**
 * A client of the matcher. `score(request)` returns the reply one call would give, in the same
 * order, whatever the request's size (a split request's scores can differ from one call's: the
 * model's reciprocal stage sees each piece's line items only, docs/contract.md): a request over the service's limits is split by
 * line items (and by budgets when they alone are too large), the chunks run at most
 * `concurrency` at a time with retries, and the replies are merged as one call answers.
 *
 * @example
 * const client = new MatcherClient({ functionName: 'budget-expense-matcher', qualifier: 'live' });
 * const reply = await client.score({ budgets, all_user_expense_lineitems: items });
 * @example
 * // The local server (`npm start`): the Lambda API on its port, any credentials.
 * const local = new MatcherClient({
 *   endpoint: 'http://127.0.0.1:3000', region: 'us-east-1',
 *   credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
 * });
 */
export class MatcherClient {
  readonly limits: ChunkLimits;
  private readonly slots: Semaphore;
  private readonly retries: RetryStrategyV2;
  private readonly transport: Transport;
  private readonly lambda: LambdaClient | undefined;
  private readonly ownsLambda: boolean;
  private readonly scope: string;

  constructor(options: MatcherClientOptions = {}) {
    this.limits = { ...DEFAULT_CHUNK_LIMITS, ...options.limits };
    this.slots = new Semaphore(options.concurrency ?? 4);
    const maxAttempts = options.maxAttempts ?? 5;
    this.retries = options.retryStrategy ?? standardRetries(maxAttempts);
    if (options.url !== undefined) {
      const host = new URL(options.url).hostname;
      const sign = options.signRequests ?? host.endsWith('.amazonaws.com');
      this.lambda = undefined;
      this.ownsLambda = false;
      this.scope = options.url;
      this.transport = httpTransport(
        options.url,
        options.compressReplies ?? !isLoopback(host),
        sign
          ? {
              // The SDK's region (AWS_REGION, the profile) when neither the option nor the host says.
              region:
                options.region ??
                regionOfHost(host) ??
                loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS),
              credentials: options.credentials ?? defaultProvider(),
            }
          : undefined,
      );
      return;
    }
    this.ownsLambda = options.lambdaClient === undefined;
    this.lambda =
      options.lambdaClient ??
      new LambdaClient({
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.region === undefined ? {} : { region: options.region }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
        // The SDK retries throttling and transient faults itself, with jittered backoff.
        retryStrategy: this.retries,
      });
    const functionName = options.functionName ?? DEFAULT_FUNCTION_NAME;
    this.scope = functionName;
    this.transport = invokeTransport(this.lambda, {
      functionName,
      ...(options.qualifier === undefined ? {} : { qualifier: options.qualifier }),
    });
  }

  /**
   * Scores `request` and returns its reply entries, in the order one call answers (CONTRACT.md);
   * a request past the limits is split by line items, and its scores can then differ from one
   * call's (the model's reciprocal stage sees each piece's line items only: docs/contract.md).
   * Per-pair and per-item errors stay in the reply.
   * @throws MatcherServiceError when the service refuses the request as a whole (its `code`)
   * @throws MatcherFunctionError when the function fails (Lambda's `errorType`)
   * @throws MatcherTransportError when the call cannot be made (throttled past the retries, ...)
   * @throws MatcherClientError `entry_too_large` when one budget or item cannot fit a call
   */
  async score(request: unknown): Promise<ReplyEntry[]> {
    return (await this.scoreWithStats(request)).reply;
  }

  /** {@link score}, also saying how many calls it took. */
  async scoreWithStats(request: unknown): Promise<{ reply: ReplyEntry[]; stats: ScoreStats }> {
    const plan = planChunks(request, this.limits);
    if (plan.kind === 'whole') return { reply: JSON.parse(await this.call(plan.body)), stats: { calls: 1 } };
    const replies = await this.callAll(plan.chunks);
    return {
      reply: mergeReplies(
        plan.budgetGroups,
        plan.chunks,
        replies.map((text) => JSON.parse(text) as ReplyEntry[]),
      ),
      stats: { calls: plan.chunks.length },
    };
  }

  /**
   * {@link score} for a request the caller holds as JSON text (a line of a JSONL file): the reply
   * as JSON text. A request that fits one call is sent as it is and its reply passed on unparsed.
   * @param request `json` parsed (the caller parses it anyway, to tell a bad line)
   */
  async scoreJson(json: string, request: unknown): Promise<{ reply: string; stats: ScoreStats }> {
    const plan = planChunks(request, this.limits, json);
    if (plan.kind === 'whole') return { reply: await this.call(plan.body), stats: { calls: 1 } };
    const replies = await this.callAll(plan.chunks);
    const merged = mergeReplies(
      plan.budgetGroups,
      plan.chunks,
      replies.map((text) => JSON.parse(text) as ReplyEntry[]),
    );
    return { reply: JSON.stringify(merged), stats: { calls: plan.chunks.length } };
  }

  /** Closes the Lambda client's connections (when this client made it). */
  destroy(): void {
    if (this.ownsLambda) this.lambda?.destroy();
  }

  /** The chunks' replies in order; after the first failure, chunks not yet started are not sent. */
  private callAll(chunks: readonly { readonly body: string }[]): Promise<string[]> {
    let failed = false;
    return Promise.all(
      chunks.map((chunk) =>
        this.call(chunk.body, () => failed).catch((error: unknown) => {
          failed = true;
          throw error;
        }),
      ),
    );
  }

  private call(body: string, cancelled: () => boolean = () => false): Promise<string> {
    return this.slots.run(() => {
      if (cancelled())
        return Promise.reject(new MatcherTransportError('cancelled', 'another chunk failed', undefined));
      return withRetries(this.retries, this.scope, () => this.transport(body), classify);
    });
  }
}

/**
 * What the client retries on top of the SDK: the service's `model_unavailable` (the model is
 * loading or its store is unreachable), and for the HTTP variant throttling (429), 5xx and
 * network failures (the Lambda variant's are the SDK's own to retry).
 */
const classify: Classify = (error) => {
  if (error instanceof MatcherServiceError) {
    if (error.code === 'model_unavailable') return { type: 'TRANSIENT' };
    if (error.status === 429) return { type: 'THROTTLING' };
    return undefined;
  }
  if (error instanceof MatcherTransportError) {
    const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
    const hint = retryAfterMs === undefined ? {} : { retryAfterMs };
    if (error.code === 'network_error') return { type: 'TRANSIENT' };
    if (error.code === 'http_429') return { type: 'THROTTLING', ...hint };
    if (error.code.startsWith('http_5')) return { type: 'SERVER_ERROR', ...hint };
  }
  return undefined;
};

function regionOfHost(host: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host)?.[1];
}

/** A host name that names this machine: a reply crosses no network. */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}
