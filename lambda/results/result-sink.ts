import type { LabelRow } from './label-row';
import type { ResultRow } from './result-row';
import type { ScoredPairs } from './scored-pairs';

/**
 * Where scored rows and labels go. `record` and `recordLabels` hand them off and return at once:
 * scoring never waits on, or fails because of, the monitoring database (DESIGN.md #6).
 * Implementations buffer and write in batches.
 */
export interface ResultSink {
  /** Hands a request's rows off. Rows the sink cannot take (its buffer is full) are dropped and counted. */
  record(rows: readonly ResultRow[]): void;
  /**
   * Hands a request's rows off in the shape they were scored (budgets × items), when the sink
   * takes that shape (the local journal: no object a row on the serving thread). Absent: the
   * caller hands rows to {@link record}.
   */
  recordPairs?(pairs: ScoredPairs): void;
  /** Hands labels off; `false` when the sink could not take them (buffer full: ask the client to retry). */
  recordLabels(labels: readonly LabelRow[]): boolean;
  /**
   * Waits, at most `maxMs`, until what was recorded has been handed off: `true` when it has,
   * `false` when it is still held (then `POST /feedback` answers 503, retryable). The AWS sink
   * needs it: Lambda freezes the process once the handler returns, so rows still in memory wait
   * for the next invocation. The local sink waits for labels to be on disk only.
   */
  settle(maxMs: number): Promise<boolean>;
  /** Rows and labels held, not yet handed off (the `ResultRowsHeld` metric). */
  readonly pendingRows?: number;
  /** What `GET /health` shows about rows not yet stored (backlog, losses); absent: nothing to show. */
  status?(): Record<string, unknown>;
  /**
   * Waits until everything recorded so far has been handed on (written, or sent), for tests and
   * shutdown. @throws ResultsStoreError (`flush_timeout`) after `timeoutMs`, when given
   */
  flush(options?: { readonly timeoutMs?: number }): Promise<void>;
}

/** A sink that keeps nothing: results are not recorded (no queue or database configured). */
export const discardingSink: ResultSink = {
  record: () => {},
  recordLabels: () => true,
  settle: async () => true,
  flush: async () => {},
};

/** A sink that keeps every row and label in memory, for tests. */
export class MemorySink implements ResultSink {
  readonly rows: ResultRow[] = [];
  readonly labels: LabelRow[] = [];
  record(rows: readonly ResultRow[]): void {
    this.rows.push(...rows);
  }
  recordLabels(labels: readonly LabelRow[]): boolean {
    this.labels.push(...labels);
    return true;
  }
  async settle(): Promise<boolean> {
    return true;
  }
  async flush(): Promise<void> {}
}
