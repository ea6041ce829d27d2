import { isUtf8 } from 'node:buffer';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { acceptsGzip, MIN_COMPRESSION_BYTES } from '../lambda/edge/compression';
import { createInvokeApi, type InvokeApiConfig, type InvokeApiRuntime } from './invoke';
import type { RequestMetrics } from './metrics';
import { readBody } from './read-body';
import type { ReceivedBodies } from './received-bodies';
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
  /** How the Invoke API runs invocations (`start:lambda`: in function instances). @default in this process */
  readonly invokeRuntime?: InvokeApiRuntime;
  /** Counts and times every request and answers `GET /metrics` (`local/metrics/`). @default none */
  readonly metrics?: RequestMetrics;
  /**
   * HTTP paths that another function serves, as API Gateway sends each resource to its own
   * integration (`/feedback` to the labels function). @default none: `handler` serves every path
   */
  readonly functions?: Readonly<Record<string, LambdaHandler>>;
  /** Timeouts, connections and requests in flight (`local/server-limits.ts`). @default `DEFAULT_SERVER_LIMITS` */
  readonly limits?: ServerLimits;
  /**
   * Where each request's body bytes are lent while the handler runs, for the capture sink to keep
   * instead of the decoded text (`local/received-bodies.ts`). @default not lent
   */
  readonly receivedBodies?: ReceivedBodies;
}

/**
 * The local server: every HTTP request becomes an API Gateway proxy event, runs through
 * `handler` (the same one Lambda runs), and its proxy result becomes the HTTP reply. Requests
 * under `/2015-03-31/functions/` go to the Lambda Invoke API for the same handler instead.
 */
export function createLocalServer(handler: LambdaHandler, options: LocalServerOptions = {}): Server {
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const functionName = options.functionName ?? 'budget-expense-matcher';
  const invokeApi = createInvokeApi(handler, options.invoke, options.invokeRuntime);
  const limits = options.limits ?? DEFAULT_SERVER_LIMITS;
  const gate = createInFlightGate(limits.maxInFlight);
  // Shared by every request (no closure a request): gives the request's place back when its
  // response closes.
  const leave = () => gate.leave();
  const functions = options.functions ?? {};
  const routed = Object.keys(functions).length > 0;
  const bodies = options.receivedBodies;
  const server = createServer(serverOptions(limits), (req, res) => {
    options.metrics?.observe(req, res);
    if (options.metrics?.serves(req)) return void options.metrics.serve(res);
    if (invokeApi.handles(req)) return void invokeApi.serve(req, res);
    // As API Gateway throttles: 429 in the gateway's error shape, before the body is read.
    if (!gate.tryEnter()) return throttled(res);
    // `on`, not `once`: a response closes once, and `once` wraps the listener in a closure a request.
    res.on('close', leave);
    readBody(req, maxBodyBytes)
      .then(async (read) => {
        if (!read.ok) {
          return send(res, read.status, { error: { code: read.code, message: read.message, field: 'body' } });
        }
        // API Gateway passes bytes on as they came; decoding bad UTF-8 with replacement characters
        // would make distinct raw ids collide, so the local server refuses it instead.
        if (!isUtf8(read.body)) {
          return send(res, 400, {
            error: { code: 'invalid_utf8', message: 'the request body is not valid UTF-8', field: 'body' },
          });
        }
        const event = toProxyEvent(req, read.body);
        const target = (routed && functionOf(functions, event.path)) || handler;
        const requestId = event.requestContext.requestId;
        bodies?.lend(requestId, read.body);
        let reply: APIGatewayProxyResult;
        try {
          reply = (await target(event, {
            awsRequestId: requestId,
            functionName,
            functionVersion: '$LATEST',
          })) as APIGatewayProxyResult;
        } finally {
          bodies?.takeBack(requestId);
        }
        const headers: Record<string, string> = {};
        for (const name in reply.headers) headers[name] = String(reply.headers[name]);
        const body = reply.body;
        // As API Gateway does with `minimumCompressionSize`: gzip a large reply for a client that takes it.
        if (body.length >= MIN_COMPRESSION_BYTES && acceptsGzip(req.headers['accept-encoding'])) {
          const zipped = await gzipAsync(body, { level: GZIP_LEVEL });
          headers['content-encoding'] = 'gzip';
          headers.vary = 'accept-encoding';
          res.writeHead(reply.statusCode, headers);
          res.end(zipped);
          return;
        }
        res.writeHead(reply.statusCode, headers);
        res.end(body);
      })
      .catch(() => send(res, 500, { error: { code: 'internal_error', message: 'internal error' } }));
  });
  server.maxConnections = limits.maxConnections;
  return server;
}

/**
 * The function serving `path` (`//feedback/` is `/feedback`), if another than the handler; own
 * keys only. A path that is a key as it came is looked up without cleaning; only one with `//` or
 * a trailing `/` is cleaned (by regular expressions: not the usual request).
 */
function functionOf(
  functions: Readonly<Record<string, LambdaHandler>>,
  path: string,
): LambdaHandler | undefined {
  if (Object.hasOwn(functions, path)) return functions[path];
  if (!path.includes('//') && !path.endsWith('/')) return undefined;
  const key = path.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return Object.hasOwn(functions, key) ? functions[key] : undefined;
}

function throttled(res: ServerResponse): void {
  res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify({ error: { code: 'THROTTLED', message: 'Too Many Requests' } }));
}

// Level 1: for a 20,000-pair reply about 2.4 times faster than the default level 6 for about
// 9% more bytes (`npm run bench`, "gzip").
const GZIP_LEVEL = 1;
const gzipAsync = promisify(gzip);

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
}
