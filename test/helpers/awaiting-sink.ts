import type { LabelRow, ResultRow, ResultSink } from '../../lambda/results';

/**
 * A results sink that lets a test wait for the rows of one request: how a test sees that an
 * invocation it cannot observe directly (an `Event` invocation answers before it runs) did run.
 */
export class AwaitingSink implements ResultSink {
  private readonly waiting = new Map<string, (rows: readonly ResultRow[]) => void>();
  private readonly recorded = new Map<string, readonly ResultRow[]>();

  record(rows: readonly ResultRow[]): void {
    const requestId = rows[0]?.request_id;
    if (requestId === undefined) return;
    this.recorded.set(requestId, rows);
    this.waiting.get(requestId)?.(rows);
  }

  recordLabels(_labels: readonly LabelRow[]): boolean {
    return true;
  }

  async settle(): Promise<boolean> {
    return true;
  }

  async flush(): Promise<void> {}

  /** Resolves with the rows recorded for `requestId`, now or when they arrive. */
  rowsFor(requestId: string): Promise<readonly ResultRow[]> {
    const rows = this.recorded.get(requestId);
    if (rows) return Promise.resolve(rows);
    return new Promise((resolve) => this.waiting.set(requestId, resolve));
  }
}
