/**
 * The narrow seam between the one SQL implementation (sql-event-store.ts) and the two ways of
 * reaching PostgreSQL: a `pg.Pool` and an in-process PGlite. Keeping it this small is what lets
 * both adapters run byte-for-byte the same SQL.
 */

/** A connection held exclusively for the duration of one transaction. */
export interface ExclusiveConnection {
  /**
   * Runs one simple-protocol query string (may hold several `;`-separated statements, values
   * inlined with sqlLiteral) and returns the rows of each statement. Several statements per
   * string is how an append costs two round trips instead of four on a network connection.
   */
  simpleQuery(sql: string): Promise<Record<string, unknown>[][]>;
  /** One parameterized statement (extended protocol) on this connection. */
  query<R = Record<string, unknown>>(sql: string, params: unknown[]): Promise<R[]>;
}

/**
 * A statement worth preparing once per connection (the append, run thousands of times a second):
 * its plan must not depend on table sizes (function calls, inserts), or a plan made on a fresh
 * database would stick as the tables grow.
 */
export interface NamedStatement {
  name: string;
  text: string;
}

export interface SqlDatabase {
  /**
   * True when the database has one connection and runs one transaction at a time (PGlite): no
   * append can contend for a stream lock or commit out of order, so appends skip both guards.
   */
  readonly serialized: boolean;
  /** One parameterized statement in its own (autocommit) transaction. */
  query<R = Record<string, unknown>>(sql: string | NamedStatement, params?: unknown[]): Promise<R[]>;
  /**
   * Runs `fn` on a connection nobody else uses until `fn` settles. `fn` ends its own transaction
   * (COMMIT or ROLLBACK) on every expected path. If `fn` throws, the transaction state is unknown:
   * the pg adapter destroys the connection rather than reusing it (a session-level lock or an open
   * transaction dies with it); PGlite, having only one connection, issues ROLLBACK and unlocks.
   */
  withConnection<T>(fn: (conn: ExclusiveConnection) => Promise<T>): Promise<T>;
  /** Wakes every listener on `channel` (called after an append has committed). */
  notify(channel: string, appendedUpTo: bigint): Promise<void>;
  /** Calls `onNotify` for each notify on `channel`; the returned function stops listening. */
  listen(channel: string, onNotify: (appendedUpTo?: bigint) => void, onError: (err: Error) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
