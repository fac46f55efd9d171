import type { EventStore } from '../../src/eventstore/event-store.port';
import { loadPglite, openPgliteEventStore, openPostgresEventStore } from '../../src/eventstore/postgres';
import { openPgliteReadModelDatabase, openPostgresReadModelDatabase, ReadModelDatabase } from '../../src/projections';
import { createTestDatabase } from '../support/postgres-test-db';

/** A fresh event store and read-model database that share nothing with other tests. */
export interface ReadModelFixture {
  store: EventStore;
  db: ReadModelDatabase;
  close(): Promise<void>;
}

export interface FixtureOptions {
  /** The store's fallback poll of idle subscriptions. Default 100 ms. */
  idlePollMs?: number;
}

let template: Blob | File | undefined;
/** An initdb dump, made once per test file: each PGlite then starts without running initdb. */
export async function pgliteTemplate(): Promise<Blob | File> {
  if (!template) {
    const db = await loadPglite().PGlite.create();
    template = await db.dumpDataDir('none');
    await db.close();
  }
  return template;
}

/** Events and read models in two in-memory PGlite instances. */
export async function openPgliteFixture(opts: FixtureOptions = {}): Promise<ReadModelFixture> {
  const loadDataDir = await pgliteTemplate();
  const store = await openPgliteEventStore(undefined, { loadDataDir, idlePollMs: opts.idlePollMs ?? 100 });
  const db = await openPgliteReadModelDatabase(undefined, { loadDataDir });
  return { store, db, close: async () => { await store.close(); await db.close(); } };
}

/** Events and read models in one fresh PostgreSQL database, dropped on close. */
export async function openPostgresFixture(
  serverUrl: string,
  databasePrefix: string,
  opts: FixtureOptions & { poolSize?: number } = {},
): Promise<ReadModelFixture> {
  const database = await createTestDatabase(serverUrl, databasePrefix);
  const store = await openPostgresEventStore(database.url, { idlePollMs: opts.idlePollMs ?? 100 });
  const db = await openPostgresReadModelDatabase(database.url, opts.poolSize ? { poolSize: opts.poolSize } : {});
  return {
    store,
    db,
    close: async () => {
      await store.close();
      await db.close();
      await database.drop();
    },
  };
}
