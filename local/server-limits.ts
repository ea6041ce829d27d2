import type { ServerOptions } from 'node:http';
import { ConfigurationError } from '../lambda/errors';

/**
 * What the local server allows each client, so a slow or greedy client cannot hold the server:
 * Node's defaults keep a half-sent request for 300 s and any number of sockets, which let 5,000
 * never-finished chunked bodies hold the process until it ran out of file descriptors.
 */
export interface ServerLimits {
  /** `SERVER_HEADERS_TIMEOUT_MS`: time to send the request's headers. @default 10,000 */
  readonly headersTimeoutMs: number;
  /**
   * `SERVER_REQUEST_TIMEOUT_MS`: time to send the whole request, body included. @default 30,000, a
   * little over API Gateway's 29 s integration timeout, the most a deployed request can take
   */
  readonly requestTimeoutMs: number;
  /** `SERVER_KEEP_ALIVE_TIMEOUT_MS`: how long an idle keep-alive socket is kept. @default 5,000, Node's own */
  readonly keepAliveTimeoutMs: number;
  /** `SERVER_MAX_CONNECTIONS`: open sockets at once; further ones are closed on arrival. @default 1,024 */
  readonly maxConnections: number;
  /**
   * `SERVER_MAX_IN_FLIGHT`: requests being answered at once; beyond it a request gets 429, the
   * way API Gateway answers when it throttles. @default 64
   */
  readonly maxInFlight: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
  maxInFlight: 64,
};

/**
 * Reads the server's limits from `env`; throws naming the setting when a value is not a positive
 * whole number, so `npm start` fails at start-up rather than serving without a limit.
 */
export function readServerLimits(env: NodeJS.ProcessEnv = process.env): ServerLimits {
  const d = DEFAULT_SERVER_LIMITS;
  const limits = {
    headersTimeoutMs: whole(env, 'SERVER_HEADERS_TIMEOUT_MS', d.headersTimeoutMs),
    requestTimeoutMs: whole(env, 'SERVER_REQUEST_TIMEOUT_MS', d.requestTimeoutMs),
    keepAliveTimeoutMs: whole(env, 'SERVER_KEEP_ALIVE_TIMEOUT_MS', d.keepAliveTimeoutMs),
    maxConnections: whole(env, 'SERVER_MAX_CONNECTIONS', d.maxConnections),
    maxInFlight: whole(env, 'SERVER_MAX_IN_FLIGHT', d.maxInFlight),
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigurationError(
      'SERVER_HEADERS_TIMEOUT_MS',
      `${limits.headersTimeoutMs} is over SERVER_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs}); Node requires headers within the request's time`,
    );
  }
  return limits;
}

/**
 * The `http.createServer` options for `limits`. Node checks the header and request timeouts on a
 * timer (30 s by default); it runs here at a quarter of the shorter timeout, so a slow client is
 * cut within about 1.25 times its timeout.
 */
export function serverOptions(limits: ServerLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(
      50,
      Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4),
    ),
  };
}

/** Counts requests being answered and says whether one more may start. */
export interface InFlightGate {
  /** Takes a place, or returns false when all `max` are taken. */
  tryEnter(): boolean;
  /** Gives a place back. */
  leave(): void;
  readonly inFlight: number;
}

export function createInFlightGate(max: number): InFlightGate {
  let inFlight = 0;
  return {
    tryEnter() {
      if (inFlight >= max) return false;
      inFlight += 1;
      return true;
    },
    leave() {
      inFlight = Math.max(0, inFlight - 1);
    },
    get inFlight() {
      return inFlight;
    },
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ConfigurationError(name, `"${raw}" is not a whole number of at least 1`);
  }
  return n;
}
