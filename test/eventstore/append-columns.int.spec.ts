import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { EventStore, NewEvent } from '../../src/eventstore/event-store.port';
import { findChainBreak } from '../../src/eventstore/hash-chain';
import { openPgliteEventStore, openPostgresEventStore } from '../../src/eventstore/postgres';
import { planGroup, prepareEvents, rowColumns } from '../../src/eventstore/postgres/append-plan';
import { sqlArrayLiteral } from '../../src/eventstore/postgres/sql-literal';
import { suiteDatabase } from '../support/postgres-test-db';

/**
 * The append sends rows as parallel arrays with data and metadata joined by newlines
 * (siren_append_group in schema.ts). These tests pin what that encoding must survive: stream ids
 * and types full of array-literal syntax, payloads with newlines inside their strings, several
 * streams in one group, and both the one-round-trip and the read-first path.
 */
const AWKWARD_STREAM = 'call-"quoted", {braced} \\back\\slash\nNULL ';
const AWKWARD_TYPE = 'Call,Noted "x" {y} \\z';

describe('rowColumns and sqlArrayLiteral', () => {
  it('quotes every string element, so array syntax inside ids and types stays text', () => {
    expect(sqlArrayLiteral([1, 2, 30])).toBe('{1,2,30}');
    expect(sqlArrayLiteral(['a', 'b c', 'NULL', 'x,"y"\\{}'])).toBe('{"a","b c","NULL","x,\\"y\\"\\\\{}"}');
    expect(sqlArrayLiteral([])).toBe('{}');
  });

  it('numbers each row by its stream in lock order and joins the payloads by newlines', () => {
    const now = () => '2026-11-21T10:00:00.000Z';
    const events = (n: number) => prepareEvents(Array.from({ length: n }, (_, i) => ({ type: 'T', data: { line: `a\nb${i}` } })), now);
    const fresh = { head: { revision: null, lastHash: '', lastPosition: 0n }, existingIds: [] };
    const plan = planGroup(
      [
        { streamId: 'call-b', events: events(2), expected: 'any' },
        { streamId: 'call-a', events: events(1), expected: 'any' },
      ],
      new Map([['call-a', fresh], ['call-b', fresh]]),
    );
    const [streams, streamOf, revisions, ids, types, versions, data, metadata] = rowColumns(plan.rows, ['call-a', 'call-b']);
    expect(streams).toBe('{"call-a","call-b"}');
    expect(streamOf).toBe('{2,2,1}');
    expect(revisions).toBe('{0,1,0}');
    expect(ids).toBe(`{${plan.rows.map((r) => r.id).join(',')}}`);
    expect(types).toBe('{"T","T","T"}');
    expect(versions).toBe('{1,1,1}');
    expect(data.split('\n').map((d) => JSON.parse(d))).toEqual([{ line: 'a\nb0' }, { line: 'a\nb1' }, { line: 'a\nb0' }]);
    expect(metadata.split('\n').map((m) => JSON.parse(m).hash)).toEqual(plan.rows.map((r) => r.hash));
  });
});

function awkwardEvents(n: number, tag: string): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: i % 2 ? AWKWARD_TYPE : 'CallNoted',
    data: { note: `line one\nline two\r\n\t"${tag}" \\ ${i}`, nested: { list: [i, null, 'x\ny'] }, unicode: 'Zoë \u2028 ✓' },
    metadata: { actor: `agent:${tag}\n`, correlationId: `c-${i}` },
  }));
}

async function expectStored(store: EventStore, streamId: string, sent: NewEvent[]): Promise<void> {
  const stored = await store.readStream(streamId);
  expect(stored.map((e) => e.type)).toEqual(sent.map((e) => e.type));
  expect(stored.map((e) => e.data)).toEqual(sent.map((e) => e.data));
  expect(stored.map((e) => e.metadata.actor)).toEqual(sent.map((e) => e.metadata?.actor));
  expect(findChainBreak(stored)).toBeNull();
}

function encodingSuite(name: string, open: () => Promise<EventStore>): void {
  describe(`${name}: rows sent as arrays`, () => {
    it('stores awkward stream ids, types and multi-line payloads exactly, several streams per group', async () => {
      const store = await open();
      try {
        const streams = [AWKWARD_STREAM, 'call-plain', `${AWKWARD_STREAM}2`, 'call-z', 'call-y', `${AWKWARD_STREAM}3`];
        const batches = streams.map((streamId, k) => ({ streamId, events: awkwardEvents(2 + k, `w${k}`) }));
        // Appends arriving while two transactions are in flight share the next one (group commit):
        // the later ones here go in one statement, rows of several streams side by side.
        await Promise.all(batches.map((b) => store.append(b.streamId, b.events, { expectedRevision: 'no_stream' })));
        for (const b of batches) await expectStored(store, b.streamId, b.events);
        expect(await store.listStreams('call-"quoted"')).toEqual([AWKWARD_STREAM, `${AWKWARD_STREAM}2`, `${AWKWARD_STREAM}3`]);
      } finally {
        await store.close();
      }
    });

    it('takes the read-first path (values inlined as literals) when the one-round-trip plan is refused', async () => {
      const store = await open();
      try {
        const a = awkwardEvents(2, 'first').map((e) => ({ ...e, id: randomUUID() }));
        const b = awkwardEvents(3, 'second');
        await store.append(AWKWARD_STREAM, a, { expectedRevision: 'no_stream' });
        // a[1] is already stored: the planned insert hits the (stream, event id) constraint, and the
        // append is redone after locking the stream and reading which ids it holds.
        expect((await store.append(AWKWARD_STREAM, [a[1], ...b], { expectedRevision: 'any' })).nextRevision).toBe(4);
        await expectStored(store, AWKWARD_STREAM, [...a, ...b]);
      } finally {
        await store.close();
      }
    });
  });
}

encodingSuite('pglite', () => openPgliteEventStore(undefined));

const DATABASE_URL = process.env.DATABASE_URL;
if (DATABASE_URL) {
  const database = suiteDatabase(DATABASE_URL, 'siren_test_columns');
  /** `fn` with a connection of its own to the suite's database, closed after. */
  const withClient = async <T>(fn: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const fresh = async () => {
    await withClient((client) => client.query('DROP TABLE IF EXISTS siren_events, siren_streams, siren_schema_version CASCADE'));
    return openPostgresEventStore(database.url);
  };

  encodingSuite('postgres', fresh);

  describe('postgres: siren_append_group guards', () => {
    it('refuses rows whose counts disagree, before reserving any position', async () => {
      const store = await fresh();
      try {
        await withClient(async (client) => {
          const id = '00000000-0000-4000-8000-000000000001';
          const call = (data: string) =>
            client.query(
              `SELECT siren_append_group('{"s"}', '{1}', '{0}', '{${id}}', '{"T"}', '{1}', $1, $2, '[]'::jsonb, false)`,
              [data, '{"hash":"h"}'],
            );
          await expect(call('{"a":1}\n{"b":2}')).rejects.toThrow(/1 event ids but 2 data/);
          expect(await store.headPosition()).toBe(0n);
          const { rows } = await client.query(`SELECT last_value, is_called FROM siren_events_position_seq`);
          expect(rows[0].is_called).toBe(false);
        });
      } finally {
        await store.close();
      }
    });

    it('drops the version 1 occurred_at column on open, and appends work afterwards', async () => {
      const store = await fresh();
      await store.close();
      await withClient(async (client) => {
        await client.query('ALTER TABLE siren_events ADD COLUMN occurred_at timestamptz NOT NULL');
        const reopened = await openPostgresEventStore(database.url);
        try {
          await reopened.append('call-1', [{ type: 'CallRequested', data: {} }], { expectedRevision: 'no_stream' });
          expect(await reopened.streamRevision('call-1')).toBe(0);
        } finally {
          await reopened.close();
        }
        const { rows } = await client.query(
          `SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'siren_events'::regclass AND attname = 'occurred_at' AND NOT attisdropped`,
        );
        expect(rows[0].n).toBe(0);
      });
    });

    it('turns a version 2 log (jsonb payloads) into json on open, every event kept and the chain intact', async () => {
      const store = await fresh();
      const sent = awkwardEvents(5, 'v2');
      await store.append(AWKWARD_STREAM, sent, { expectedRevision: 'no_stream' });
      await store.close();
      await withClient(async (client) => {
        // What a version 2 database looked like: the same rows, payloads in jsonb.
        await client.query(`ALTER TABLE siren_events ALTER data TYPE jsonb, ALTER metadata TYPE jsonb;
          DELETE FROM siren_schema_version WHERE version > 2`);
        const reopened = await openPostgresEventStore(database.url);
        try {
          const more = awkwardEvents(2, 'v3');
          await reopened.append(AWKWARD_STREAM, more, { expectedRevision: 4 });
          await expectStored(reopened, AWKWARD_STREAM, [...sent, ...more]);
        } finally {
          await reopened.close();
        }
        const { rows } = await client.query(
          `SELECT array_agg(DISTINCT format_type(atttypid, NULL)) AS types FROM pg_attribute
            WHERE attrelid = 'siren_events'::regclass AND attname IN ('data', 'metadata')`,
        );
        expect(rows[0].types).toEqual(['json']);
      });
    });

    it('refuses a log that newer code has migrated, before replacing any of its functions', async () => {
      const store = await fresh();
      await store.close();
      await withClient(async (client) => {
        await client.query(`INSERT INTO siren_schema_version (version) VALUES (99)`);
        // Stands for a function version 99 changed: opening must leave it as it is.
        await client.query(`CREATE OR REPLACE FUNCTION siren_lock_streams_only(p_stream_ids text[]) RETURNS void
          LANGUAGE sql AS $$ SELECT 'version 99' $$`);
        await expect(openPostgresEventStore(database.url)).rejects.toThrow(/schema version 99 is newer than this code supports/);
        const { rows } = await client.query(`SELECT prosrc FROM pg_proc WHERE proname = 'siren_lock_streams_only'`);
        expect(rows[0].prosrc).toContain('version 99');
      });
    });
  });
}
