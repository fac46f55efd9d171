import type { PGlite, PGliteOptions, QueryOptions } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { Pool, PoolClient, QueryResult } from 'pg';
import { AsyncMutex } from '../eventstore/postgres/async-mutex';
import { localTransactions } from '../eventstore/postgres/local-transactions';
import { openLockedPglite } from '../eventstore/postgres/open-locked-pglite';
import { bindLiteral, PglitePreparedStatements } from '../eventstore/postgres/pglite-prepared';
import type { DataDirLock } from '../shared/data-dir-lock';

/**
 * Where the read models live: PostgreSQL (a `pg` Pool) or an in-process PGlite. Same narrow shape
 * as the event store's seam, but its own connection and its own schema (`siren_rm`), so read
 * models can sit in the events' database or in another one.
 */
export interface ReadModelQueryable {
  /** One parameterized statement; returns its rows (use RETURNING to learn what an upsert did). */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** A script of `;`-separated statements without parameters (schema files). */
  exec(sql: string): Promise<void>;
}

export interface ReadModelDatabase extends ReadModelQueryable {
  /**
   * Runs `fn` inside BEGIN ... COMMIT on a connection nobody else uses meanwhile. If `fn` throws
   * (or COMMIT fails), the transaction is rolled back and the error rethrown: nothing it wrote stays.
   * `settings`: SET LOCAL statements, sent with the BEGIN in the same round trip. `opening`: one
   * more statement for that round trip, whose rows `fn` gets as `opened`.
   */
  transaction<T>(fn: (tx: ReadModelQueryable, opened: OpenedRows) => Promise<T>, settings?: string, opening?: Opening): Promise<T>;
  /** One connection, one statement at a time (PGlite): nothing runs beside anything else. */
  readonly serialized?: boolean;
  close(): Promise<void>;
}

/** The rows of a transaction's `opening` statement (none without one). */
export type OpenedRows = Record<string, unknown>[];

/**
 * A statement that goes with a transaction's BEGIN. The BEGIN's text is several statements, which
 * the wire protocol only takes without bind parameters: PostgreSQL gets `params` inlined as quoted
 * literals, PGlite gets an EXECUTE of it prepared once (see inlined).
 */
export interface Opening {
  sql: string;
  params: readonly unknown[];
}

/** BEGIN, the settings and the opening statement: one text, sent in one round trip. */
function beginText(settings?: string, opening?: string): string {
  return ['BEGIN', settings, opening].filter((part) => part).join('; ');
}

/** `opening` with its parameters inlined (its text holds no `$` but its placeholders). */
function inlineOpening(opening: Opening): string {
  const literals = opening.params.map(bindLiteral);
  return opening.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const literal = literals[Number(n) - 1];
    if (literal == null) throw new TypeError(`cannot inline parameter $${n} of an opening statement`);
    return literal;
  });
}

/**
 * Every read-model transaction (a runner's batch, a rebuild's shadow page, a swap) held an xid
 * that kept events appended meanwhile unreadable (gap-safety.ts): once it has ended, a
 * subscription of this process waiting on that is told at once (local-transactions.ts).
 */
const endedHere = (): void => localTransactions.ended();

/** The schema every read-model table and the checkpoints live in. */
export const READ_MODEL_SCHEMA = 'siren_rm';

/**
 * A statement with parameters is sent as a named prepared statement, its name derived from its
 * text, so each connection parses and plans it once. A projection's statements are few and fixed
 * (a batch's rows travel in parameters, nothing is inlined), but long: planning them anew for every
 * batch cost the live runner more than executing them (2-6 ms a statement on a small batch).
 * Plans stay right across schemas: PostgreSQL re-plans a prepared statement when search_path
 * differs from when it was planned (a shadow copy, the live one) or a table it uses changed (a
 * swap).
 */
function prepared(text: string, params: readonly unknown[]): { name?: string; text: string; values: unknown[] } {
  if (params.length === 0) return { text, values: [] };
  return { name: statementName(text), text, values: [...params] };
}

function statementName(text: string): string {
  return `rm_${createHash('sha1').update(text).digest('hex')}`;
}

class PgReadModelDatabase implements ReadModelDatabase {
  constructor(private readonly pool: Pool) {}

  async query<R>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.pool.query(prepared(sql, params))).rows as R[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: ReadModelQueryable, opened: OpenedRows) => Promise<T>, settings?: string, opening?: Opening): Promise<T> {
    return this.inTransaction(fn, settings, opening && inlineOpening(opening)).finally(endedHere);
  }

  private async inTransaction<T>(fn: (tx: ReadModelQueryable, opened: OpenedRows) => Promise<T>, settings?: string, opening?: string): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    const tx: ReadModelQueryable = {
      query: async <R>(sql: string, params: readonly unknown[] = []) => (await client.query(prepared(sql, params))).rows as R[],
      // No values: node-postgres sends it with the simple protocol, which takes several statements.
      exec: async (sql: string) => {
        await client.query(sql);
      },
    };
    try {
      // Several statements in one text come back as one result each.
      const begun = (await client.query(beginText(settings, opening))) as unknown as QueryResult | QueryResult[];
      const opened = opening && Array.isArray(begun) ? (begun[begun.length - 1].rows as OpenedRows) : [];
      const value = await fn(tx, opened);
      await client.query('COMMIT');
      client.release();
      return value;
    } catch (err) {
      // Roll back; if even that fails the connection is in an unknown state: destroy it.
      const rolledBack = await client.query('ROLLBACK').then(() => true, () => false);
      client.release(rolledBack ? undefined : true);
      throw err;
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * A long text parameter (a batch's rows as one JSON text, tens to hundreds of kilobytes) goes to
 * PGlite as its UTF-8 bytes. PGlite's JS protocol writer measures a string's UTF-8 length with a
 * loop over its characters, twice, before encoding it; a Uint8Array it copies as it is, sent in
 * binary format, which for text is exactly those bytes (textrecv): the server gets the same value.
 * Buffer.from encodes natively. Short strings, and anything else, go to PGlite's own text
 * serializer (nothing to gain). Only parameters PostgreSQL types as text (OID 25) take this path.
 * Relies on PGlite's bind writer sending an ArrayBuffer view as a binary value (0.5.x; not in its
 * documented API, hence test/projections/pglite-text-params.int.spec.ts): measured ~1 s less CPU
 * per 200k-event rebuild.
 */
const TEXT_AS_BYTES_FROM = 1024;
const TEXT_OID = 25;

function textAsBytes(db: PGlite): QueryOptions {
  const text = db.serializers[TEXT_OID];
  return {
    serializers: {
      [TEXT_OID]: (x: unknown) => (typeof x === 'string' && x.length >= TEXT_AS_BYTES_FROM ? (Buffer.from(x, 'utf8') as unknown as string) : text(x)),
    },
  };
}

/**
 * A live batch's statement on PGlite goes as EXECUTE of a statement PREPAREd once, its parameters
 * inlined as quoted literals (PglitePreparedStatements, bindLiteral): a batch's statements are
 * long CTEs whose planning costs more than running them on a few rows (measured: latency p50 at
 * 500 events/s halved). A rebuild page's parameters are large (hundreds of kilobytes of JSON):
 * there the plan is a small part and quoting them would cost more than it saves, so parameters
 * longer than this in all are bound (as bytes, textAsBytes), as is one bindLiteral cannot quote.
 */
const PREPARED_PARAMS_UP_TO = 16 * 1024;

/** What PREPARE takes (an EXPLAIN, say, it does not). */
const PREPARABLE = /^\s*(SELECT|WITH|INSERT|UPDATE|DELETE|VALUES)\b/i;

/** `params` as SQL literals for EXECUTE, or null when one cannot be inlined or they are too long. */
function inlined(params: readonly unknown[]): string[] | null {
  const literals: string[] = [];
  let length = 0;
  for (const value of params) {
    const literal = bindLiteral(value);
    if (literal === null) return null;
    length += literal.length;
    if (length > PREPARED_PARAMS_UP_TO) return null;
    literals.push(literal);
  }
  return literals;
}

/** PGlite is one connection: a FIFO mutex keeps other callers out of an open transaction. */
class PgliteReadModelDatabase implements ReadModelDatabase {
  readonly serialized = true;
  private readonly mutex = new AsyncMutex();
  private readonly options: QueryOptions;
  private readonly prepared: PglitePreparedStatements;

  constructor(
    private readonly db: PGlite,
    private readonly lock?: DataDirLock,
  ) {
    this.options = textAsBytes(db);
    this.prepared = new PglitePreparedStatements(db);
  }

  query<R>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.mutex.run(() => this.statement<R>(sql, params));
  }

  /** One statement, the mutex held: EXECUTE of a prepared statement when it can (see inlined). */
  private async statement<R>(sql: string, params: readonly unknown[]): Promise<R[]> {
    const execute = params.length > 0 ? await this.executeText(sql, params) : null;
    if (execute === null) return (await this.db.query<R>(sql, [...params], this.options)).rows;
    const [result] = await this.db.exec(execute);
    return result.rows as R[];
  }

  /** The EXECUTE of `sql` with `params` inlined (PREPAREd first if need be), or null: bind them instead. */
  private async executeText(sql: string, params: readonly unknown[]): Promise<string | null> {
    const literals = PREPARABLE.test(sql) ? inlined(params) : null;
    return literals && this.prepared.executeText(statementName(sql), sql, literals);
  }

  exec(sql: string): Promise<void> {
    return this.mutex.run(async () => {
      await this.db.exec(sql);
    });
  }

  transaction<T>(fn: (tx: ReadModelQueryable, opened: OpenedRows) => Promise<T>, settings?: string, opening?: Opening): Promise<T> {
    return this.inTransaction(fn, settings, opening).finally(endedHere);
  }

  /** `opening` as an EXECUTE (PREPAREd now if this session has not yet), or inlined. */
  private async openingText(opening: Opening): Promise<string> {
    return (await this.executeText(opening.sql, opening.params)) ?? inlineOpening(opening);
  }

  private inTransaction<T>(fn: (tx: ReadModelQueryable, opened: OpenedRows) => Promise<T>, settings?: string, opening?: Opening): Promise<T> {
    return this.mutex.run(async () => {
      const tx: ReadModelQueryable = {
        query: <R>(sql: string, params: readonly unknown[] = []) => this.statement<R>(sql, params),
        exec: async (sql: string) => {
          await this.db.exec(sql);
        },
      };
      try {
        // Inside the try: the opening statement may fail after BEGIN.
        const begun = await this.db.exec(beginText(settings, opening && (await this.openingText(opening))));
        const value = await fn(tx, opening ? (begun[begun.length - 1].rows as OpenedRows) : []);
        await this.db.exec('COMMIT');
        return value;
      } catch (err) {
        await this.db.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  close(): Promise<void> {
    return this.mutex.run(async () => {
      await this.db.close();
      await this.lock?.release();
    });
  }
}

export interface PostgresReadModelOptions {
  poolSize?: number;
  connectTimeoutMs?: number;
  /** An idle pooled connection that dies is reported here instead of crashing the process. */
  onBackgroundError?: (err: Error) => void;
}

/** Read models on a PostgreSQL server; fails with a clear error if it cannot be reached. */
export async function openPostgresReadModelDatabase(
  connectionString: string,
  opts: PostgresReadModelOptions = {},
): Promise<ReadModelDatabase> {
  const pool = new Pool({
    connectionString,
    max: opts.poolSize ?? 4,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    application_name: 'siren-projections',
  });
  pool.on('error', (err) => opts.onBackgroundError?.(err));
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    const reason = err instanceof Error ? err.message || err.name : String(err);
    throw new Error(`cannot open the read-model database: ${reason}`, { cause: err });
  }
  return new PgReadModelDatabase(pool);
}

export interface PgliteReadModelOptions {
  /** Start from a dump (PGlite's dumpDataDir) instead of running initdb (tests). */
  loadDataDir?: PGliteOptions['loadDataDir'];
}

/** Read models in an in-process PGlite: in memory when `dataDir` is undefined. */
export async function openPgliteReadModelDatabase(
  dataDir?: string,
  opts: PgliteReadModelOptions = {},
): Promise<ReadModelDatabase> {
  // One process per directory: `siren report` must not open the files `siren start` is writing.
  const { pg, lock } = await openLockedPglite(dataDir, opts.loadDataDir);
  return new PgliteReadModelDatabase(pg, lock);
}
