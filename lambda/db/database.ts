/**
 * What the results code needs from a database: parameterised queries and a way to let go of it.
 * Both drivers fit: a `pg` Pool (PostgreSQL, Aurora) and PGlite (embedded, local default), so
 * every query is written once in plain PostgreSQL SQL.
 */
export interface Database {
  /** Which driver answers: `postgres` (`pg`) or `pglite`. */
  readonly kind: 'postgres' | 'pglite';
  /** Runs one parameterised statement (`$1`, `$2`, ...) and returns its rows. */
  query<R extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[] }>;
  /** Runs a script of several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes the pool or the embedded database. */
  close(): Promise<void>;
}

/** The query half of a database, as a transaction sees it. */
export type Queryable = Pick<Database, 'query' | 'exec'>;
