import { Client, DatabaseError, Pool, PoolClient } from 'pg';
import type { ExclusiveConnection, NamedStatement, SqlDatabase } from './sql-database';

/**
 * SqlDatabase over a node-postgres Pool. Reads are unnamed parameterized statements, the
 * one-round-trip append a named one; the read-first append transaction uses simple-protocol
 * multi-statement strings (see sql-database.ts). LISTEN gets its own Client outside the pool: a
 * pooled connection would be handed to other work and the LISTEN lost.
 */
export class PgDatabase implements SqlDatabase {
  readonly serialized = false;

  constructor(
    private readonly pool: Pool,
    private readonly clientConfig: ConstructorParameters<typeof Client>[0],
  ) {}

  /** Unnamed statements on purpose: planned per execution, so a plan made while the tables were
   * tiny (fresh database) cannot stick as they grow. Planning these is cheap next to the reads.
   * A NamedStatement is prepared once per connection (the append: a function call, whose inner
   * statements plpgsql plans anyway). */
  async query<R>(sql: string | NamedStatement, params: unknown[] = []): Promise<R[]> {
    const config = typeof sql === 'string' ? { text: sql, values: params } : { name: sql.name, text: sql.text, values: params };
    const client = await this.pool.connect();
    try {
      const result = await client.query(config);
      client.release();
      return result.rows as R[];
    } catch (err) {
      // A statement the server refused (a unique violation: the one-round-trip append planned on a
      // head another writer had moved, or one this process never knew) leaves the connection as
      // good as before. pool.query would close it, and with it the statements prepared on it: the
      // next statement then waited ~5 ms for a new connection.
      client.release(!refusedStatement(err)); // true: close it
      throw err;
    }
  }

  /** Other processes' subscriptions listen too, so this is a real NOTIFY (see coalesced-notifier.ts). */
  async notify(channel: string, appendedUpTo: bigint): Promise<void> {
    await this.pool.query(`NOTIFY ${channel}, '${appendedUpTo}'`);
  }

  async withConnection<T>(fn: (conn: ExclusiveConnection) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    const conn: ExclusiveConnection = {
      async simpleQuery(sql) {
        const result = (await client.query(sql)) as unknown;
        const results = Array.isArray(result) ? result : [result];
        return results.map((r: { rows: Record<string, unknown>[] }) => r.rows);
      },
      async query<R>(sql: string, params: unknown[]) {
        return (await client.query({ text: sql, values: params })).rows as R[];
      },
    };
    try {
      const value = await fn(conn);
      client.release();
      return value;
    } catch (err) {
      // Unknown state (open transaction, maybe a session lock): destroy rather than reuse.
      client.release(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  }

  async listen(channel: string, onNotify: (appendedUpTo?: bigint) => void, onError: (err: Error) => void): Promise<() => Promise<void>> {
    const client = new Client(this.clientConfig);
    let stopped = false;
    client.on('error', (err) => {
      if (!stopped) onError(err);
    });
    client.on('end', () => {
      if (!stopped) onError(new Error('LISTEN connection ended'));
    });
    client.on('notification', (msg) => {
      // The payload is the position the append reached (an older Siren's NOTIFY has none).
      if (msg.channel === channel) onNotify(msg.payload && /^\d+$/.test(msg.payload) ? BigInt(msg.payload) : undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (err) {
      stopped = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    return async () => {
      if (stopped) return;
      stopped = true;
      await client.end().catch(() => undefined);
    };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** An ERROR the server sent for one statement: the session, outside a transaction, goes on. */
function refusedStatement(err: unknown): boolean {
  return err instanceof DatabaseError && err.severity === 'ERROR';
}
