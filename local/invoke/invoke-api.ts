import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientContext } from 'aws-lambda';
import { writeToTerminal } from './capture-logs';
import { ConcurrencyGate, ThrottledError } from './concurrency-gate';
import { DEFAULT_INVOKE_API_CONFIG, type InvokeApiConfig } from './invoke-api-config';
import { InvokeApiError } from './invoke-api-error';
import {
  type InvocationResult,
  type InvokeHandler,
  type InvokeOptions,
  invokeFunction,
} from './invoke-function';
import { resolveFunction } from './resolve-function';

/** Lambda's payload limits: 6 MB for a synchronous invocation, 1 MB for an `Event` one. */
export const MAX_PAYLOAD_BYTES = { RequestResponse: 6_291_456, Event: 1_048_576 } as const;

/** The account in ARNs: the local server has none, and the AWS documentation uses this one for "no account". */
export const LOCAL_ACCOUNT_ID = '000000000000';

const PREFIX = '/2015-03-31/functions/';
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'] as const;
const LOG_TYPES = ['None', 'Tail'] as const;
type InvocationType = (typeof INVOCATION_TYPES)[number];

/**
 * Runs one invocation and answers how it ended: in this process ({@link invokeFunction}, what
 * `npm start` does) or in a function instance of its own (`local/lambda-runtime/`).
 */
export type FunctionRunner = (event: unknown, options: InvokeOptions) => Promise<InvocationResult>;

/** How the Invoke API runs invocations, when not in this process. */
export interface InvokeApiRuntime {
  /** @default {@link invokeFunction} with the handler, in this process */
  readonly run?: FunctionRunner;
  /** Shared with the other routes that invoke the same function. @default one from the config's limit and throttle share */
  readonly gate?: ConcurrencyGate;
}

/** The Lambda Invoke API as an HTTP request handler, for the local server to dispatch to. */
export interface InvokeApi {
  /** Whether the request is for the Lambda API (its path is under `/2015-03-31/functions/`). */
  handles(req: IncomingMessage): boolean;
  /** Answers the request; never rejects: every failure becomes an error reply the SDKs parse. */
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * Lambda's `Invoke` operation (`POST /2015-03-31/functions/{FunctionName}/invocations`) for
 * `handler`, so boto3 and the JS SDK call the local function with nothing changed but their
 * endpoint. It implements what the SDKs rely on: the `RequestResponse` (200), `Event` (202) and
 * `DryRun` (204) invocation types, `Unhandled` function errors, `Tail` logs, qualifiers, the
 * payload limits and the API's error shape. Requests are not authenticated: any signature, or
 * none, is accepted.
 * @example createServer((req, res) => api.handles(req) ? api.serve(req, res) : other(req, res))
 */
export function createInvokeApi(
  handler: InvokeHandler,
  overrides: Partial<InvokeApiConfig> = {},
  runtime: InvokeApiRuntime = {},
): InvokeApi {
  const config: InvokeApiConfig = { ...DEFAULT_INVOKE_API_CONFIG, ...overrides };
  const echo = config.echoLogs ? writeToTerminal : undefined;
  const run: FunctionRunner = runtime.run ?? ((event, options) => invokeFunction(handler, event, options));
  const gate =
    runtime.gate ??
    new ConcurrencyGate({ limit: config.concurrencyLimit, throttleShare: config.throttleShare });

  async function invoke(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = INVOKE_PATH.exec(url.pathname);
    if (req.method !== 'POST' || path?.[1] === undefined) {
      throw new InvokeApiError(
        404,
        'UnknownOperationException',
        `The local server implements only Invoke (POST ${PREFIX}{FunctionName}/invocations), not ${req.method} ${url.pathname}`,
      );
    }
    const invocationType = headerEnum(req, 'x-amz-invocation-type', 'invocationType', INVOCATION_TYPES);
    const logType = headerEnum(req, 'x-amz-log-type', 'logType', LOG_TYPES) ?? 'None';
    const target = resolveFunction(
      decodeName(path[1]),
      url.searchParams.get('Qualifier') ?? undefined,
      config,
      { region: signedRegion(req) ?? config.region, accountId: LOCAL_ACCOUNT_ID },
    );
    const type: InvocationType = invocationType ?? 'RequestResponse';
    if (type === 'DryRun') {
      await drain(req);
      return reply(res, 204, requestId, { 'X-Amz-Executed-Version': target.executedVersion });
    }
    const limit = type === 'RequestResponse' ? config.maxPayloadBytes : MAX_PAYLOAD_BYTES.Event;
    const event = parsePayload(await readBody(req, limit, type));
    const clientContext = parseClientContext(req.headers['x-amz-client-context']);
    const options = {
      functionName: target.functionName,
      functionVersion: target.executedVersion,
      invokedFunctionArn: target.invokedFunctionArn,
      timeoutSeconds: config.timeoutSeconds,
      memorySizeMb: config.memorySizeMb,
      requestId,
      ...(clientContext === undefined ? {} : { clientContext }),
      ...(echo === undefined ? {} : { echo }),
    };
    if (type === 'Event') {
      // Lambda queues the event and answers at once; the invocation runs after the reply, and a
      // throttled one is retried from the queue rather than answered 429.
      reply(res, 202, requestId, {});
      await runQueued(() => run(event, options));
      return;
    }
    const release = gate.enter();
    let result: InvocationResult;
    try {
      result = await run(event, options);
    } finally {
      release();
    }
    // `Tail` returns the log's end, REPORT included: after the extensions' post-runtime phase.
    if (logType === 'Tail') await result.complete;
    reply(
      res,
      200,
      requestId,
      resultHeaders(result, target.executedVersion, logType === 'Tail'),
      result.payload,
    );
  }

  /** An `Event` invocation, run when there is concurrency for it: throttled ones wait and try again (bounded). */
  async function runQueued(fn: () => Promise<InvocationResult>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let release: () => void;
      try {
        release = gate.enter();
      } catch (error) {
        if (!(error instanceof ThrottledError)) return;
        if (attempt >= 8) {
          console.error('Event invocation dropped: throttled on every attempt (9 attempts over about 13 s)');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        continue;
      }
      try {
        await fn();
        return;
      } finally {
        release();
      }
    }
  }

  return {
    // No URL parsing here: this runs outside any try, and a malformed URL must not crash the server.
    // An origin-form target (`/...`, every usual request) is compared as it is, without a regular
    // expression; only an absolute-form one (`http://host/...`) has its scheme and host cut.
    handles: (req) => {
      const url = req.url ?? '';
      return url.charCodeAt(0) === 47
        ? url.startsWith(PREFIX)
        : url.replace(/^[a-z]+:\/\/[^/]*/i, '').startsWith(PREFIX);
    },
    async serve(req, res) {
      const requestId = randomUUID();
      try {
        await invoke(req, res, requestId);
      } catch (error) {
        if (res.headersSent) return;
        const apiError =
          error instanceof InvokeApiError
            ? error
            : new InvokeApiError(
                500,
                'ServiceException',
                `internal error (request id ${requestId})`,
                'Service',
              );
        if (!(error instanceof InvokeApiError)) console.error('invoke API failure', requestId, error);
        req.resume();
        reply(
          res,
          apiError.status,
          requestId,
          { 'content-type': 'application/json', 'x-amzn-ErrorType': apiError.type },
          JSON.stringify({
            ...(apiError instanceof ThrottledError ? { Reason: apiError.reason } : {}),
            Type: apiError.fault,
            message: apiError.message,
          }),
        );
      }
    },
  };
}

function resultHeaders(result: InvocationResult, version: string, tail: boolean): Record<string, string> {
  return {
    'content-type': 'application/json',
    'X-Amz-Executed-Version': version,
    ...(result.functionError === undefined ? {} : { 'X-Amz-Function-Error': result.functionError }),
    ...(tail ? { 'X-Amz-Log-Result': result.log.tailBase64() } : {}),
  };
}

function reply(
  res: ServerResponse,
  status: number,
  requestId: string,
  headers: Record<string, string>,
  body?: string,
): void {
  res.writeHead(status, { ...headers, 'x-amzn-RequestId': requestId });
  res.end(body);
}

function headerEnum<T extends string>(
  req: IncomingMessage,
  header: string,
  member: string,
  allowed: readonly T[],
): T | undefined {
  const raw = req.headers[header];
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InvokeApiError(
    400,
    'InvalidParameterValueException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

function decodeName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The region of a SigV4 signature's credential scope, so ARNs name the region the caller uses. */
function signedRegion(req: IncomingMessage): string | undefined {
  return /Credential=[^/,]+\/\d{8}\/([a-z0-9-]+)\/lambda\//.exec(req.headers.authorization ?? '')?.[1];
}

/** Reads the body; past `limit` bytes it reads on without keeping, then answers 413, so the client finishes sending. */
async function readBody(
  req: IncomingMessage,
  limit: number,
  type: 'RequestResponse' | 'Event',
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) {
    throw new InvokeApiError(
      413,
      'RequestTooLargeException',
      type === 'Event'
        ? `${size} byte payload is too large for the Event invocation type (limit ${limit} bytes)`
        : `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
    );
  }
  return Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discarded: a dry run checks the function and the caller, not the payload
  }
}

/** Decodes strictly: a payload that is not valid UTF-8 is refused, never decoded with U+FFFD. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The event: the payload parsed as JSON, `{}` when there is none (as Lambda does). */
function parsePayload(body: Buffer): unknown {
  if (body.length === 0) return {};
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    throw new InvokeApiError(
      400,
      'InvalidRequestContentException',
      'Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 byte sequence',
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvokeApiError(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json: Could not parse payload into json: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function parseClientContext(header: string | string[] | undefined): ClientContext | undefined {
  if (header === undefined || header === '') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(String(header), 'base64').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as ClientContext;
  } catch {
    // answered below
  }
  throw new InvokeApiError(
    400,
    'InvalidRequestContentException',
    'X-Amz-Client-Context must be a base64-encoded JSON object',
  );
}
