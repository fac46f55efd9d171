import type { EventStore } from '../../../src/eventstore/event-store.port';
import { listRelations, readCheckpointRows } from '../../../src/projections/checkpoints';
import { openPgliteReadModelDatabase, openPostgresReadModelDatabase, ReadModelDatabase, ReadModelQueryable } from '../../../src/projections';
import { openPgliteFixture, openPostgresFixture, pgliteTemplate } from '../read-model-fixtures';
import { createTestDatabase } from '../../support/postgres-test-db';

export interface Backend {
  label: string;
  /** A fresh event store and read-model database, nothing shared with other tests. */
  open(): Promise<{ store: EventStore; db: ReadModelDatabase; close(): Promise<void> }>;
  /** Another fresh read-model database (a from-scratch build to compare with). */
  openReadModels(): Promise<{ db: ReadModelDatabase; close(): Promise<void> }>;
}

export const pglite: Backend = {
  label: 'pglite',
  open: () => openPgliteFixture({ idlePollMs: 50 }),
  async openReadModels() {
    const db = await openPgliteReadModelDatabase(undefined, { loadDataDir: await pgliteTemplate() });
    return { db, close: () => db.close() };
  },
};

/** PostgreSQL (events and read models in one fresh database), when DATABASE_URL is set. */
export function postgres(serverUrl: string): Backend {
  return {
    label: 'postgres',
    open: () => openPostgresFixture(serverUrl, 'siren_rebuild_test', { idlePollMs: 50, poolSize: 8 }),
    async openReadModels() {
      const database = await createTestDatabase(serverUrl, 'siren_rebuild_fresh');
      const db = await openPostgresReadModelDatabase(database.url);
      return { db, close: async () => { await db.close(); await database.drop(); } };
    },
  };
}

export const backends = (): Backend[] => (process.env.DATABASE_URL ? [pglite, postgres(process.env.DATABASE_URL)] : [pglite]);

/** Every table and view of the live read models with its rows, sorted, values made comparable. */
export async function liveModels(db: ReadModelQueryable, schema = 'siren_rm'): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const relation of await listRelations(db, schema)) {
    if (relation === 'projection_checkpoints') continue;
    const rows = await db.query(`SELECT * FROM ${schema}.${relation}`);
    result[relation] = rows
      .map((row) => JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v === null ? null : typeof v === 'number' ? String(v) : v)))
      .sort();
  }
  return result;
}

/** name@version → position of every live checkpoint row. */
export async function checkpoints(db: ReadModelQueryable, schema = 'siren_rm'): Promise<Record<string, string>> {
  const rows = await readCheckpointRows(db, schema);
  return Object.fromEntries(rows.map((r) => [`${r.name}@${r.version}`, String(r.position)]));
}

/** Schemas other than the live one that a rebuild may have left behind. */
export async function shadowSchemas(db: ReadModelQueryable): Promise<string[]> {
  const rows = await db.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'siren_rm_rebuild_%'`);
  return rows.map((r) => r.nspname);
}
