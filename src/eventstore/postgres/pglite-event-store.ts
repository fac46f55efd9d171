import { mkdirSync } from 'node:fs';
import type { PGliteOptions } from '@electric-sql/pglite';
import type { EventStore } from '../event-store.port';
import { lockDataDir } from '../../shared/data-dir-lock';
import { applySchema } from './apply-schema';
import { PgliteDatabase } from './pglite-database';
import { loadPglite } from './pglite-module';
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
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  // PGlite has no lock of its own: a second process on the same directory would dial the same
  // campaigns and corrupt the files. A dead owner's lock (kill -9) is taken over once stale.
  const lock = dataDir === undefined ? undefined : await lockDataDir(dataDir);
  let pg;
  try {
    const { PGlite } = loadPglite();
    pg = await PGlite.create(dataDir, opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
  } catch (err) {
    await lock?.release();
    throw err;
  }
  const db = new PgliteDatabase(pg, lock);
  try {
    await applySchema(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return new SqlEventStore('pglite', db, opts);
}
