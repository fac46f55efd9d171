import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '../../src/eventstore/event-store.port';
import { openPgliteEventStore, openPostgresEventStore } from '../../src/eventstore/postgres';
import { pgliteTemplate } from '../projections/read-model-fixtures';
import { suiteDatabase } from '../support/postgres-test-db';

/**
 * readAll's two page shapes (readAllSql: a row per event, or the page as one JSON text built by
 * json_build_array) must hand back identical RecordedEvents, whatever the text holds: quotes,
 * backslashes, control characters, non-ASCII and astral characters, in stream ids, types, data and
 * metadata; big and fractional numbers; empty pages. Run on both adapters, each with both shapes;
 * readStream (always rows) is the reference.
 */
const DATABASE_URL = process.env.DATABASE_URL;

const AWKWARD = `q"uote 'single' \\back\\slash \\" \\u0041 /sl/ \n\r\t\b\f \u0001\u001f\u007f ünïcødé € 日本 😀 \u2028\u2029`;

function awkwardEvents(): NewEvent[] {
  return [
    {
      type: `Type ${AWKWARD}`,
      schemaVersion: 7,
      data: {
        text: AWKWARD,
        [`key ${AWKWARD}`]: [AWKWARD, '', null, true, false],
        numbers: [0, -1, 1.5, 1e21, 2 ** 53 - 1, -0.000001, 123456789.123],
        nested: { deeper: { empty: {}, list: [] } },
      },
      metadata: { correlationId: AWKWARD, actor: 'agent:"7"' },
    },
    { type: 'Plain', data: {} },
    { type: '\\', data: { s: '\\' } },
  ];
}

function pageShapes(adapter: string, open: (pageAsJson: boolean) => Promise<EventStore>): void {
  describe.each([true, false])(`${adapter}: readAll with pageAsJson=%s`, (pageAsJson) => {
    let store: EventStore;
    beforeEach(async () => {
      store = await open(pageAsJson);
    });
    afterEach(async () => {
      await store.close();
    });

    it('returns exactly what was appended, as readStream does', async () => {
      const before = await store.headPosition();
      const stream = `s-${randomUUID().slice(0, 8)} ${AWKWARD}`;
      const appended = awkwardEvents();
      await store.append(stream, appended, { expectedRevision: 'no_stream' });
      await store.append(`${stream}-2`, [{ type: 'Second', data: { n: 1 } }], { expectedRevision: 'no_stream' });

      const all = await store.readAll({ after: before });
      const own = all.filter((e) => e.streamId === stream);
      expect(own).toEqual(await store.readStream(stream));
      expect(own.map((e) => [e.type, e.schemaVersion, e.data, e.metadata.correlationId])).toEqual(
        appended.map((e) => [e.type, e.schemaVersion ?? 1, e.data, e.metadata?.correlationId]),
      );
      expect(all.map((e) => typeof e.position)).toEqual(['bigint', 'bigint', 'bigint', 'bigint']);
      expect(all.map((e) => e.position)).toEqual([...all.map((e) => e.position)].sort((a, b) => (a < b ? -1 : 1)));
      expect(all.map((e) => e.revision)).toEqual([0, 1, 2, 0]);

      // Pages, filters, and an empty page past the head.
      const paged = [
        ...(await store.readAll({ after: before, maxCount: 2 })),
        ...(await store.readAll({ after: all[1].position, maxCount: 2 })),
      ];
      expect(paged).toEqual(all);
      expect(await store.readAll({ after: before, filter: { eventTypes: ['Second'] } })).toEqual([all[3]]);
      expect(await store.readAll({ after: before, filter: { streamPrefixes: [`${stream}-`] } })).toEqual([all[3]]);
      expect(await store.readAll({ after: all[3].position })).toEqual([]);
    });

    it('readPayloads: readAll\'s events without id and metadata, in the same pages', async () => {
      const before = await store.headPosition();
      const stream = `p-${randomUUID().slice(0, 8)} ${AWKWARD}`;
      await store.append(stream, awkwardEvents(), { expectedRevision: 'no_stream' });
      const all = await store.readAll({ after: before });
      const payloads = all.map(({ id: _id, metadata: _metadata, ...payload }) => payload);
      expect(await store.readPayloads!({ after: before })).toEqual(payloads);
      const paged = [
        ...(await store.readPayloads!({ after: before, maxCount: 2 })),
        ...(await store.readPayloads!({ after: all[1].position, maxCount: 2 })),
      ];
      expect(paged).toEqual(payloads);
      for (const p of paged) expect(Object.keys(p).sort()).toEqual(['data', 'position', 'revision', 'schemaVersion', 'streamId', 'type']);
      expect(await store.readPayloads!({ after: all[2].position })).toEqual([]);
    });
  });
}

pageShapes('pglite', async (pageAsJson) => openPgliteEventStore(undefined, { loadDataDir: await pgliteTemplate(), pageAsJson }));

if (DATABASE_URL) {
  const database = suiteDatabase(DATABASE_URL);
  pageShapes('postgres', (pageAsJson) => openPostgresEventStore(database.url, { pageAsJson }));
}
