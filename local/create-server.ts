import { isUtf8 } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { createInvokeApi, type InvokeApiConfig } from './invoke';
import type { RequestMetrics } from './metrics';
import { createInFlightGate, DEFAULT_SERVER_LIMITS, type ServerLimits, serverOptions } from './server-limits';
import { toProxyEvent } from './to-proxy-event';

/** A Lambda handler as the local server calls it. */
export type LambdaHandler = (event: unknown, context?: Partial<Context>) => Promise<unknown>;

export interface LocalServerOptions {
  /** Largest body read, in bytes; API Gateway's own limit. @default 10 MiB */
  readonly maxBodyBytes?: number;
  /** The function name the handler sees in its context. @default 'budget-expense-matcher' */
  readonly functionName?: string;
  /** The Lambda Invoke API served beside the HTTP routes (`local/invoke/`). @default `DEFAULT_INVOKE_API_CONFIG` */
  readonly invoke?: Partial<InvokeApiConfig>;
  /** Counts and times every request and answers `GET /metrics` (`local/metrics/`). @default none */
  readonly metrics?: RequestMetrics;
  /**
   * HTTP paths that another function serves, as API Gateway sends each resource to its own
   * integration (`/feedback` to the labels function). @default none: `handler` serves every path
   */
  readonly functions?: Readonly<Record<string, LambdaHandler>>;
  /** Timeouts, connections and requests in flight (`local/server-limits.ts`). @default `DEFAULT_SERVER_LIMITS` */
  readonly limits?: ServerLimits;
}

/**
 * The local server: every HTTP request becomes an API Gateway proxy event, runs through
 * `handler` (the same one Lambda runs), and its proxy result becomes the HTTP reply. Requests
 * under `/2015-03-31/functions/` go to the Lambda Invoke API for the same handler instead.
 */
export function createLocalServer(handler: LambdaHandler, options: LocalServerOptions = {}): Server {
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const functionName = options.functionName ?? 'budget-expense-matcher';
  const invokeApi = createInvokeApi(handler, options.invoke);
  const limits = options.limits ?? DEFAULT_SERVER_LIMITS;
  const gate = createInFlightGate(limits.maxInFlight);
  const server = createServer(serverOptions(limits), (req, res) => {
    options.metrics?.observe(req, res);
    if (options.metrics?.serves(req)) return void options.metrics.serve(res);
    if (invokeApi.handles(req)) return void invokeApi.serve(req, res);
    // As API Gateway throttles: 429 in the gateway's error shape, before the body is read.
    if (!gate.tryEnter()) return throttled(res);
    res.once('close', () => gate.leave());
    readBody(req, maxBodyBytes)
      .then(async (body) => {
        if (body === undefined) {
          return send(res, 413, {
            error: {
              code: 'payload_too_large',
              message: `the request body is over ${maxBodyBytes} bytes`,
              field: 'body',
            },
          });
        }
        // API Gateway passes bytes on as they came; decoding bad UTF-8 with replacement characters
        // would make distinct raw ids collide, so the local server refuses it instead.
        if (!isUtf8(body)) {
          return send(res, 400, {
            error: { code: 'invalid_utf8', message: 'the request body is not valid UTF-8', field: 'body' },
          });
        }
        const event = toProxyEvent(req, body);
        const target = options.functions?.[event.path.replace(/\/{2,}/g, '/').replace(/\/+$/, '')] ?? handler;
        const reply = (await target(event, {
          awsRequestId: event.requestContext.requestId,
          functionName,
          functionVersion: '$LATEST',
        })) as APIGatewayProxyResult;
        res.writeHead(
          reply.statusCode,
          Object.fromEntries(Object.entries(reply.headers ?? {}).map(([k, v]) => [k, String(v)])),
        );
        res.end(reply.body);
      })
      .catch(() => send(res, 500, { error: { code: 'internal_error', message: 'internal error' } }));
  });
  server.maxConnections = limits.maxConnections;
  return server;
}

function throttled(res: ServerResponse): void {
  res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify({ error: { code: 'THROTTLED', message: 'Too Many Requests' } }));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
}

/** Reads the whole body, or resolves undefined as soon as it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
