import { mkdirSync } from 'node:fs';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { DataDirLock, lockDataDir } from '../../shared/data-dir-lock';
import { loadPglite } from './pglite-module';

export interface LockedPglite {
  pg: PGlite;
  /** Held until the caller closes `pg`; undefined for an in-memory instance. */
  lock?: DataDirLock;
}

/**
 * Opens a PGlite instance, in memory when `dataDir` is undefined, else persisted there (created if
 * missing) under a one-process lock. PGlite has no lock of its own: a second process on the same
 * directory (another `siren start`, a `siren report` beside it) would dial the same campaigns or
 * corrupt the files. A dead owner's lock (kill -9) is taken over once stale (data-dir-lock.ts).
 */
export async function openLockedPglite(dataDir?: string, loadDataDir?: PGliteOptions['loadDataDir']): Promise<LockedPglite> {
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const lock = dataDir === undefined ? undefined : await lockDataDir(dataDir);
  try {
    const { PGlite } = loadPglite();
    const pg = await PGlite.create(dataDir, loadDataDir ? { loadDataDir } : {});
    return { pg, lock };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}
