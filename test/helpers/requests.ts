import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { readConfig } from '../../lambda/config';
import { createPredictHandler } from '../../lambda/predict';
import { discardingSink } from '../../lambda/results';
import { createLocalServer, type LambdaHandler } from '../../local/create-server';

const VENDORS = [
  'Southwest Airlines',
  'SOUTHWEST AIR 5262174963012',
  'Hôtel Lumière Paris',
  'UBER   *TRIP',
  'Hertz',
];
const TYPES = ['flight', 'hotel', 'car', 'rail', 'other'];
const CATEGORIES = ['airfare', 'lodging', 'car rental', 'train', 'taxi', 'meals'];

export interface RequestShape {
  readonly budgets: number;
  readonly items: number;
  /** Extra bytes of free text per line item (`memo`, a field the service ignores). @default 0 */
  readonly memoBytes?: number;
  /** Every `badEvery`-th budget and item has no usable id. @default none */
  readonly badEvery?: number;
  /** Makes the ids of this request unique among several. @default 0 */
  readonly tag?: number;
}

/** A deterministic matcher request of the given shape, values as real clients send them (strings). */
export function makeRequest(shape: RequestShape) {
  const tag = shape.tag ?? 0;
  const bad = (i: number) => shape.badEvery !== undefined && i % shape.badEvery === shape.badEvery - 1;
  const memo = shape.memoBytes ? 'm'.repeat(shape.memoBytes) : undefined;
  return {
    budgets: Array.from({ length: shape.budgets }, (_, b) => ({
      ...(bad(b) ? {} : { budget_id: `${tag}-b${b}` }),
      budget_type_budget: TYPES[b % TYPES.length],
      budget_price_budget: String(100 + ((b * 37) % 900)),
      actual_cost_budget: String(95 + ((b * 41) % 900)),
      travel_vendor_receipts: VENDORS[b % VENDORS.length],
      purchase_vendor_receipts: VENDORS[(b + 1) % VENDORS.length],
      generated_at_budget: `2017-04-${String(1 + (b % 20)).padStart(2, '0')} 14:55:39`,
      start_datetime_trips: `2017-05-${String(1 + (b % 20)).padStart(2, '0')} 04:00:00`,
      end_datetime_trips: `2017-05-${String(3 + (b % 20)).padStart(2, '0')} 04:00:00`,
    })),
    all_user_expense_lineitems: Array.from({ length: shape.items }, (_, i) => ({
      itemization_id: bad(i) ? '' : `${tag}-i${i}`,
      expensed_amount_itemization: String(20 + ((i * 53) % 980)),
      expense_type_name_itemization: CATEGORIES[i % CATEGORIES.length],
      transaction_date_itemization: `2017-05-${String(1 + (i % 28)).padStart(2, '0')} 00:00:00`,
      expense_category_itemization: CATEGORIES[(i * 7) % CATEGORIES.length],
      vendor_name_expense: VENDORS[(i * 3) % VENDORS.length],
      expense_type_name_expense: CATEGORIES[i % CATEGORIES.length],
      expense_category_expense: CATEGORIES[(i * 7) % CATEGORIES.length],
      ...(memo === undefined ? {} : { memo }),
    })),
  };
}

/** Limits raised far past Lambda's, so one call answers what the deployed service would refuse. */
export const RAISED_ENV = { MAX_BODY_BYTES: String(64 * 1024 * 1024), MAX_PAIRS: '10000000' } as const;

/** The predict handler as deployed, recording nothing, with `env` over the process's own. */
export function predictHandler(env: Record<string, string> = {}): LambdaHandler {
  return createPredictHandler({
    config: readConfig({ ...process.env, ...env }),
    sink: discardingSink,
    logger: new Logger({ serviceName: 'budget-expense-matcher', logLevel: 'ERROR' }),
  });
}

/** A local server (HTTP routes and Invoke API) on an ephemeral port, counting requests in flight. */
export interface CountingServer {
  readonly url: string;
  readonly server: Server;
  /** Requests received, and the most ever in flight at once. */
  readonly counts: { requests: number; inFlight: number; maxInFlight: number };
  close(): Promise<void>;
}

/**
 * Starts the local server for `handler`; `intercept` may answer a request itself (a test double
 * in front of the real one) by returning true.
 */
export async function startCounting(
  handler: LambdaHandler,
  options: {
    readonly maxPayloadBytes?: number;
    readonly maxBodyBytes?: number;
    readonly intercept?: (req: IncomingMessage, res: ServerResponse, n: number) => boolean;
    /**
     * Holds each request this long before handling it, so calls a client runs at once overlap
     * however fast the handler is (a test of a concurrency bound counts `maxInFlight`).
     */
    readonly holdMs?: number;
  } = {},
): Promise<CountingServer> {
  const local = createLocalServer(handler, {
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    invoke: {
      echoLogs: false,
      ...(options.maxPayloadBytes === undefined ? {} : { maxPayloadBytes: options.maxPayloadBytes }),
    },
  });
  const counts = { requests: 0, inFlight: 0, maxInFlight: 0 };
  const server = createServer((req, res) => {
    const n = counts.requests++;
    counts.inFlight++;
    counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
    res.on('close', () => counts.inFlight--);
    if (options.intercept?.(req, res, n)) return;
    if (options.holdMs) setTimeout(() => local.emit('request', req, res), options.holdMs);
    else local.emit('request', req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    counts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Answers as Lambda does when it throttles: 429 `TooManyRequestsException` (after reading the body); true. */
export function throttle(req: IncomingMessage, res: ServerResponse): true {
  req.resume();
  req.on('end', () => {
    res.writeHead(429, {
      'content-type': 'application/json',
      'x-amzn-ErrorType': 'TooManyRequestsException',
      'x-amzn-RequestId': 'throttled',
    });
    res.end(
      JSON.stringify({
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
        Type: 'User',
        message: 'Rate Exceeded.',
      }),
    );
  });
  return true;
}
