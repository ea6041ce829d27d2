import type { ResultRow } from './result-row';

/**
 * Where scored rows go. `record` hands rows off and returns at once: scoring never waits on,
 * or fails because of, the monitoring database (DESIGN.md #6). Implementations buffer and write
 * in batches; `flush` waits until what was recorded so far has been handed on (tests, shutdown).
 */
export interface ResultSink {
  record(rows: readonly ResultRow[]): void;
  flush(): Promise<void>;
}

/** A sink that keeps nothing: the default until a results store is configured. */
export const discardingSink: ResultSink = {
  record: () => {},
  flush: async () => {},
};

/** A sink that keeps every row in memory, for tests. */
export class MemorySink implements ResultSink {
  readonly rows: ResultRow[] = [];
  record(rows: readonly ResultRow[]): void {
    this.rows.push(...rows);
  }
  async flush(): Promise<void> {}
}
