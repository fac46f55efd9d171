import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { EventStore } from '../../src/eventstore/event-store.port';
import type { ReadModelDatabase } from '../../src/projections';
import { benchEventData, result } from './append.bench';
import { cpuSpent, openServerCpuProbe, ServerCpuProbe } from './server-cpu';

/**
 * Reference figures measured on the same machine in the same run as Siren's: the issues quote
 * absolute limits ("raw INSERT ~7,600 events/s with 16 writers", "a trivial batched upsert
 * projection reads 107,000–231,000 events/s") from whatever machine they were written on, and the
 * bench machine's speed varies a lot from day to day. Printed next to Siren's rows, these tell
 * machine speed from code speed.
 */

export interface RawInsertResult {
  label: string;
  writers: number;
  rowsPerInsert: number;
  events: number;
  eventsPerSec: number;
  /** CPU of this process (the `pg` clients building and sending the rows) per event. */
  cpuUsPerEvent: number;
  /** The PostgreSQL backends' CPU per event (server-cpu.ts), when the server is local. */
  serverCpuUsPerEvent?: number;
}

/** The Siren scenarios of event-store.bench.ts that run on PostgreSQL, with plain INSERTs instead. */
function rawScenarios(scale: number): { label: string; writers: number; rowsPerInsert: number; totalEvents: number }[] {
  return [
    { label: '16 writers, 1 row per INSERT', writers: 16, rowsPerInsert: 1, totalEvents: 20_000 * scale },
    { label: '1 writer, 100 rows per INSERT', writers: 1, rowsPerInsert: 100, totalEvents: 50_000 * scale },
    { label: '16 writers, 100 rows per INSERT', writers: 16, rowsPerInsert: 100, totalEvents: 100_000 * scale },
  ];
}

/**
 * Plain autocommit INSERTs into a plain table with siren_events' columns (no expectation check,
 * stream lock, hash chain, unique constraints or critical section; no functions): the most the
 * server takes for rows of this size over `pg` on this machine. The table lives in a scratch schema
 * of `databaseUrl`'s database, dropped at the end.
 */
export async function rawInsertReference(databaseUrl: string, scale = 1): Promise<RawInsertResult[]> {
  const schema = `siren_bench_ref_${randomBytes(4).toString('hex')}`;
  const table = `${schema}.events`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  const clients: Client[] = [];
  let server: ServerCpuProbe | undefined;
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${table} (
      position bigserial PRIMARY KEY, stream_id text NOT NULL, revision int NOT NULL, event_id uuid NOT NULL,
      type text NOT NULL, schema_version int NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL)`);
    // One Client per writer, as each Siren writer gets its own pooled connection.
    for (let i = 0; i < 16; i++) {
      const c = new Client({ connectionString: databaseUrl, application_name: 'siren-bench-reference' });
      await c.connect();
      clients.push(c);
    }
    server = await openServerCpuProbe(databaseUrl);
    // Warm up: the first statements of each connection parse and plan, the table's first pages are new.
    await insertLoop(clients, table, 16, 1, 320);
    await insertLoop(clients, table, 4, 100, 2_000);
    const results: RawInsertResult[] = [];
    for (const s of rawScenarios(scale)) {
      const serverBefore = await server?.sample();
      const start = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const events = await insertLoop(clients, table, s.writers, s.rowsPerInsert, s.totalEvents);
      const { eventsPerSec, cpuUsPerEvent } = result(events, start, cpu);
      const r: RawInsertResult = { label: s.label, writers: s.writers, rowsPerInsert: s.rowsPerInsert, events, eventsPerSec, cpuUsPerEvent };
      if (server && serverBefore) r.serverCpuUsPerEvent = Math.round((cpuSpent(serverBefore, await server.sample()) / events) * 10) / 10;
      results.push(r);
    }
    return results;
  } finally {
    await server?.close();
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
  }
}

/**
 * `writers` of `clients` insert `total` rows between them, `rowsPerInsert` per statement; each
 * writer its own stream, revisions counting up as Siren's would. Returns the rows inserted.
 */
async function insertLoop(clients: Client[], table: string, writers: number, rowsPerInsert: number, total: number): Promise<number> {
  const inserts = Math.ceil(total / rowsPerInsert);
  // Named statements: parsed and planned once per connection, like Siren's own hot statements.
  const single = {
    name: 'ref_insert_1',
    text: `INSERT INTO ${table} (stream_id, revision, event_id, type, schema_version, data, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  };
  const many = {
    name: 'ref_insert_n',
    text: `INSERT INTO ${table} (stream_id, revision, event_id, type, schema_version, data, metadata)
      SELECT * FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])`,
  };
  let next = 0;
  await Promise.all(
    clients.slice(0, writers).map(async (client, w) => {
      const stream = `ref${randomUUID().slice(0, 8)}-${w}`;
      let revision = 0;
      while (next < inserts) {
        next++;
        const rows = Array.from({ length: rowsPerInsert }, (_, i) => row(w, i));
        if (rowsPerInsert === 1) {
          const [r] = rows;
          await client.query({ ...single, values: [stream, revision++, r.eventId, r.type, 1, r.data, r.metadata] });
        } else {
          await client.query({
            ...many,
            values: [
              rows.map(() => stream), rows.map(() => revision++), rows.map((r) => r.eventId), rows.map((r) => r.type),
              rows.map(() => 1), rows.map((r) => r.data), rows.map((r) => r.metadata),
            ],
          });
        }
      }
    }),
  );
  return inserts * rowsPerInsert;
}

/**
 * One event's row as JSON text: data as Siren's appends in append.bench.ts, metadata the ~250 bytes
 * Siren stores (correlationId, actor, occurredAt, prevHash, hash). Built per row, as Siren builds
 * its rows per append, so this side's CPU stays comparable.
 */
function row(writer: number, i: number): { eventId: string; type: string; data: string; metadata: string } {
  return {
    eventId: randomUUID(),
    type: 'CallAttempted',
    data: JSON.stringify(benchEventData(writer, i)),
    metadata: JSON.stringify({
      correlationId: randomUUID(), actor: 'system:dialer', occurredAt: new Date().toISOString(),
      prevHash: randomBytes(32).toString('hex'), hash: randomBytes(32).toString('hex'),
    }),
  };
}

export interface TrivialProjectionResult {
  events: number;
  seconds: number;
  eventsPerSec: number;
  /** CPU seconds of this process (reading the log and sending the upserts; for PGlite both engines too). */
  cpuSeconds: number;
}

/**
 * Issue 4's reference: the cheapest projection that still does a rebuild's work — read the whole
 * global log through `store.readAll` in pages of `pageSize` and, per page, one transaction with one
 * batched upsert into a one-table read model (events per stream) plus the checkpoint. Its tables
 * live in a scratch schema of `db` (any ReadModelDatabase: PostgreSQL or PGlite), dropped at the end.
 */
export async function trivialProjectionReference(store: EventStore, db: ReadModelDatabase, pageSize = 5_000): Promise<TrivialProjectionResult> {
  const schema = `siren_bench_trivial_${randomBytes(4).toString('hex')}`;
  await db.exec(`
    CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.per_stream (stream_id text PRIMARY KEY, n bigint NOT NULL, position bigint NOT NULL);
    CREATE TABLE ${schema}.checkpoint (id int PRIMARY KEY, position bigint NOT NULL);
    INSERT INTO ${schema}.checkpoint VALUES (1, 0);`);
  try {
    const start = performance.now();
    const cpu = process.cpuUsage();
    let after: bigint | undefined;
    let events = 0;
    for (;;) {
      const page = await store.readAll({ after, maxCount: pageSize });
      if (page.length > 0) {
        const last = page[page.length - 1].position;
        await db.transaction(async (tx) => {
          // A stream can occur many times in a page and ON CONFLICT takes each key once: group first.
          await tx.query(
            `INSERT INTO ${schema}.per_stream (stream_id, n, position)
             SELECT s, count(*), max(p) FROM unnest($1::text[], $2::bigint[]) AS t(s, p) GROUP BY s
             ON CONFLICT (stream_id) DO UPDATE SET n = per_stream.n + EXCLUDED.n, position = EXCLUDED.position`,
            [page.map((e) => e.streamId), page.map((e) => e.position.toString())],
          );
          await tx.query(`UPDATE ${schema}.checkpoint SET position = $1 WHERE id = 1`, [last.toString()]);
        });
        events += page.length;
        after = last;
      }
      if (page.length < pageSize) break;
    }
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return { events, seconds, eventsPerSec: Math.round(events / seconds), cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  }
}
