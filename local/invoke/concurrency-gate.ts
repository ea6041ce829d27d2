import { InvokeApiError } from './invoke-api-error';

/**
 * Lambda's answer when a function has no concurrency left: 429 `TooManyRequestsException`, the
 * reason in the body. Both the JS SDK and botocore class it as a throttling error and retry it
 * with back-off (the SDKs' standard retry mode).
 */
export class ThrottledError extends InvokeApiError {
  constructor(
    readonly reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'CallerRateLimitExceeded',
  ) {
    super(429, 'TooManyRequestsException', 'Rate Exceeded.');
  }
}

/** What a {@link ConcurrencyGate} lets through. */
export interface ConcurrencyGateOptions {
  /** Most invocations running at once (the function's reserved concurrency). */
  readonly limit: number;
  /**
   * Share of calls throttled on purpose, 0 to 1, spread evenly (0.25: every fourth call), for
   * client retry tests. @default 0
   */
  readonly throttleShare?: number;
}

/**
 * Counts the invocations running and throttles as Lambda does: past `limit` at once, and a set
 * share of calls on demand. One gate per function, shared by every route that invokes it.
 * @example const release = gate.enter(); try { await run(); } finally { release(); }
 */
export class ConcurrencyGate {
  private running = 0;
  private calls = 0;
  readonly limit: number;
  readonly throttleShare: number;

  constructor(options: ConcurrencyGateOptions) {
    if (!(Number.isInteger(options.limit) && options.limit >= 1))
      throw new Error(`concurrency limit ${options.limit} is not a whole number of at least 1`);
    const share = options.throttleShare ?? 0;
    if (!(share >= 0 && share <= 1)) throw new Error(`throttle share ${share} is not between 0 and 1`);
    this.limit = options.limit;
    this.throttleShare = share;
  }

  /** Invocations running now. */
  get inFlight(): number {
    return this.running;
  }

  /**
   * Takes one unit of concurrency for an invocation; returns the function that gives it back.
   * @throws ThrottledError when `limit` invocations are running, or this call is in the throttled share
   */
  enter(): () => void {
    const n = this.calls++;
    // Even spread: call n is throttled when the running total of the share crosses a whole number.
    if (Math.floor((n + 1) * this.throttleShare) > Math.floor(n * this.throttleShare))
      throw new ThrottledError('ReservedFunctionConcurrentInvocationLimitExceeded');
    if (this.running >= this.limit)
      throw new ThrottledError('ReservedFunctionConcurrentInvocationLimitExceeded');
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
    };
  }
}
