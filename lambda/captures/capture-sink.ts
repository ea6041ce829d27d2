import type { CaptureRecord } from './capture-record';

/**
 * Where captured requests go. `capture` hands one off and returns at once: it never blocks, and
 * never fails, a reply (DESIGN.md #6). A capture rides the same durable path as its results rows:
 * locally the results journal (`local/results/journal-capture-sink.ts`), in AWS held and retried
 * beside the SQS hand-off (`S3CaptureSink`). Implementations decide the sampling.
 */
export interface CaptureSink {
  /** Hands a request off; `false` when it was not kept (not sampled, or the sink's bound was reached). */
  capture(record: CaptureRecord): boolean;
  /**
   * Waits, at most `maxMs`, until what was captured has left the process (Lambda freezes it once
   * the handler returns). Sinks that keep running between requests return at once.
   */
  settle(maxMs: number): Promise<void>;
  /** Waits until everything captured so far is written (tests, shutdown). */
  flush(): Promise<void>;
}

/** Captures nothing (`CAPTURE=off`, or nowhere configured). */
export const discardingCaptureSink: CaptureSink = {
  capture: () => false,
  settle: async () => {},
  flush: async () => {},
};

/**
 * Whether to keep a request, at `rate` (0 … 1). Deterministic in the request id, so a retried
 * delivery of the same request is kept or not the same way.
 */
export function sampled(requestId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  let h = 2166136261;
  for (let i = 0; i < requestId.length; i++) h = Math.imul(h ^ requestId.charCodeAt(i), 16777619);
  return (h >>> 0) / 4_294_967_296 < rate;
}
