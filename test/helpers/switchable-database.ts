import type { Database } from '../../lambda/db';

/**
 * A database that a test can take down and bring back: while down every query fails the way a
 * lost connection does (`ECONNREFUSED`), before reaching the database. Counts the statements
 * that reached it.
 */
export class SwitchableDatabase implements Database {
  down = false;
  /** While set, every statement waits (a database that stops answering without refusing). */
  private frozen: Promise<void> | undefined;
  private thaw: (() => void) | undefined;
  statements = 0;
  readonly kind: Database['kind'];

  constructor(private readonly db: Database) {
    this.kind = db.kind;
  }

  /** Every statement from now on waits until {@link unfreeze}. */
  freeze(): void {
    this.frozen ??= new Promise((resolve) => {
      this.thaw = resolve;
    });
  }

  unfreeze(): void {
    this.thaw?.();
    this.frozen = undefined;
  }

  async query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]) {
    if (this.frozen) await this.frozen;
    this.check();
    this.statements += 1;
    return this.db.query<R>(sql, params);
  }

  async exec(sql: string): Promise<void> {
    this.check();
    return this.db.exec(sql);
  }

  async transaction<T>(work: Parameters<Database['transaction']>[0]): Promise<T> {
    this.check();
    return this.db.transaction(work) as Promise<T>;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private check(): void {
    if (this.down)
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  }
}
