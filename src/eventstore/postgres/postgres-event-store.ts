import { Pool } from 'pg';
import type { EventStore } from '../event-store.port';
import { applySchema } from './apply-schema';
import { PgDatabase } from './pg-database';
import { SqlEventStore, SqlEventStoreOptions } from './sql-event-store';

export interface PostgresEventStoreOptions extends SqlEventStoreOptions {
  /** Pool size. 16 writers + a NOTIFY + readers: 20 by default. */
  poolSize?: number;
  /** Fail opening/connecting after this long. Default 10000. */
  connectTimeoutMs?: number;
}

/**
 * Opens the PostgreSQL event store (adapter name `postgres`): connects, creates the schema if
 * needed, and fails with a clear error if the server cannot be reached. Needs PostgreSQL >= 13
 * (xid8, pg_current_snapshot).
 */
export async function openPostgresEventStore(
  connectionString: string,
  opts: PostgresEventStoreOptions = {},
): Promise<EventStore> {
  const where = redact(connectionString);
  const clientConfig = {
    connectionString,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    application_name: 'siren-eventstore',
  };
  const pool = new Pool({ ...clientConfig, max: opts.poolSize ?? 20 });
  // An idle pooled connection can die (server restart, DROP DATABASE ... FORCE); pg emits that on
  // the pool, and an unhandled 'error' event would crash the process. The next query reconnects.
  pool.on('error', (err) => opts.onBackgroundError?.(err));
  const db = new PgDatabase(pool, clientConfig);
  try {
    await applySchema(db);
  } catch (err) {
    await pool.end().catch(() => undefined);
    const reason = err instanceof Error ? err.message || err.name : String(err);
    throw new Error(`cannot open the postgres event store at ${where}: ${reason}`, { cause: err });
  }
  return new SqlEventStore('postgres', db, opts);
}

function redact(connectionString: string): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw new Error('cannot open the postgres event store: connection string is not a URL (expected postgres://user@host:port/db)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`cannot open the postgres event store: unsupported protocol ${url.protocol} (expected postgres:)`);
  }
  if (url.password) url.password = '***';
  return url.toString();
}
