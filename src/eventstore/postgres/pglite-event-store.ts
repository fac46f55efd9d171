import type { PGliteOptions } from '@electric-sql/pglite';
import type { EventStore } from '../event-store.port';
import { applySchema } from './apply-schema';
import { PgliteDatabase } from './pglite-database';
import { openLockedPglite } from './open-locked-pglite';
import { SqlEventStore, SqlEventStoreOptions } from './sql-event-store';

export interface PgliteEventStoreOptions extends SqlEventStoreOptions {
  /** Start from a dump (PGlite's dumpDataDir), e.g. a pre-initialized template: skips initdb. */
  loadDataDir?: PGliteOptions['loadDataDir'];
}

/**
 * Opens the embedded event store (adapter name `pglite`): in memory when `dataDir` is undefined,
 * otherwise persisted in that directory (created if missing).
 */
export async function openPgliteEventStore(
  dataDir?: string,
  opts: PgliteEventStoreOptions = {},
): Promise<EventStore> {
  const { pg, lock } = await openLockedPglite(dataDir, opts.loadDataDir);
  const db = new PgliteDatabase(pg, lock);
  try {
    await applySchema(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return new SqlEventStore('pglite', db, opts);
}
