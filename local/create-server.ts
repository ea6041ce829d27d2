import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { createInvokeApi, type InvokeApiConfig } from './invoke';
import type { RequestMetrics } from './metrics';
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
  return createServer((req, res) => {
    options.metrics?.observe(req, res);
    if (options.metrics?.serves(req)) return void options.metrics.serve(res);
    if (invokeApi.handles(req)) return void invokeApi.serve(req, res);
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
        const event = toProxyEvent(req, body);
        const reply = (await handler(event, {
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
