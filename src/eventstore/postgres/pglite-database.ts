import type { PGlite } from '@electric-sql/pglite';
import { AsyncMutex } from './async-mutex';
import type { ExclusiveConnection, NamedStatement, SqlDatabase } from './sql-database';
import { bindLiteral, PglitePreparedStatements } from './pglite-prepared';
import { sqlLiteral } from './sql-literal';
import { DataDirLock } from '../../shared/data-dir-lock';

/**
 * SqlDatabase over one in-process PGlite. PGlite is a single connection, so every use goes
 * through one FIFO mutex: an append's BEGIN ... COMMIT spans two calls and nothing else may run
 * in between (a concurrent read or LISTEN would otherwise execute inside that transaction).
 */
export class PgliteDatabase implements SqlDatabase {
  readonly serialized = true;
  private readonly mutex = new AsyncMutex();
  private readonly listeners = new Map<string, Set<(appendedUpTo?: bigint) => void>>();
  private readonly prepared: PglitePreparedStatements;

  constructor(
    private readonly db: PGlite,
    /** Released once the database is closed (see lockDataDir). */
    private readonly lock?: DataDirLock,
  ) {
    this.prepared = new PglitePreparedStatements(db);
  }

  /**
   * A NamedStatement is PREPAREd once and then EXECUTEd with its parameters inlined as literals:
   * one simple-protocol message, which PGlite runs in one trip through its engine, where its
   * extended protocol (parse, describe, bind, execute) costs measurably more per statement.
   */
  query<R>(sql: string | NamedStatement, params: unknown[] = []): Promise<R[]> {
    if (typeof sql === 'string') return this.mutex.run(async () => (await this.db.query<R>(sql, params)).rows);
    return this.mutex.run(async () => {
      const [result] = await this.db.exec(await this.prepared.executeText(sql.name, sql.text, params.map(literal)));
      return result.rows as R[];
    });
  }

  withConnection<T>(fn: (conn: ExclusiveConnection) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      const conn: ExclusiveConnection = {
        simpleQuery: async (sql) => (await this.db.exec(sql)).map((r) => r.rows as Record<string, unknown>[]),
        query: async <R>(sql: string, params: unknown[]) => (await this.db.query<R>(sql, params)).rows,
      };
      try {
        return await fn(conn);
      } catch (err) {
        // The only connection cannot be thrown away: end the transaction and drop any session
        // lock (siren_append_group already unlocks on error; this is belt and braces).
        await this.db.exec('ROLLBACK; SELECT pg_advisory_unlock_all()').catch(() => undefined);
        throw err;
      }
    });
  }

  /**
   * In-process wake-ups instead of LISTEN/NOTIFY: an in-memory PGlite has no other process, and a
   * persisted one can only be opened by one process at a time, so every writer a subscriber could
   * care about is in this process. Saves a statement per append on a single-threaded database.
   */
  async notify(channel: string, appendedUpTo: bigint): Promise<void> {
    for (const listener of [...(this.listeners.get(channel) ?? [])]) listener(appendedUpTo);
  }

  async listen(channel: string, onNotify: (appendedUpTo?: bigint) => void): Promise<() => Promise<void>> {
    const set = this.listeners.get(channel) ?? new Set<(appendedUpTo?: bigint) => void>();
    this.listeners.set(channel, set);
    const listener = (appendedUpTo?: bigint) => onNotify(appendedUpTo);
    set.add(listener);
    return async () => {
      set.delete(listener);
    };
  }

  close(): Promise<void> {
    return this.mutex.run(async () => {
      await this.db.close();
      await this.lock?.release();
    });
  }
}

function literal(value: unknown): string {
  if (typeof value === 'string') return sqlLiteral(value); // a NUL: sqlLiteral's own error
  const inlined = bindLiteral(value);
  if (inlined === null) throw new TypeError(`cannot inline a ${typeof value} parameter`);
  return inlined;
}
