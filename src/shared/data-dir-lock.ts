import { lock } from 'proper-lockfile';
import { join } from 'node:path';

/** Held while a process has an embedded PGlite directory open; release() on close. */
export interface DataDirLock {
  release(): Promise<void>;
}

export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
  constructor(readonly dir: string) {
    super(`${dir} is in use by another Siren process (an embedded database can be open in one process only; stop the other one first)`);
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLockOptions {
  /**
   * A lock whose owner stopped refreshing it for this long is taken over: that owner died
   * (kill -9, power loss) and never released it. Default 10 s.
   */
  staleMs?: number;
  /** How long to wait for a lock that is held, e.g. by a process that was just killed. Default staleMs + 2 s. */
  waitMs?: number;
}

/**
 * PGlite opens its directory without any lock of its own, so two processes could open the same
 * SIREN_DATA_DIR, both dial the same campaign and corrupt the files. This takes an inter-process
 * lock first (proper-lockfile: a `siren.lock` directory whose mtime the owner refreshes). A
 * second live process is refused with a clear error; the lock of a process that died is taken
 * over once stale, so a restart after a crash waits at most a few seconds.
 */
export async function lockDataDir(dir: string, opts: DataDirLockOptions = {}): Promise<DataDirLock> {
  const staleMs = opts.staleMs ?? 10_000;
  const waitMs = opts.waitMs ?? staleMs + 2_000;
  const retries = Math.max(0, Math.ceil(waitMs / 500));
  try {
    const release = await lock(join(dir, 'siren'), {
      realpath: false,
      stale: staleMs,
      update: Math.max(1_000, Math.floor(staleMs / 4)),
      retries: { retries, factor: 1, minTimeout: 500, maxTimeout: 500 },
      // If the lock is lost anyway (its directory removed, the clock jumped), the default is to
      // throw from a timer: the process stops rather than risk two processes dialing.
    });
    return { release: () => release().catch(() => undefined) };
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') throw new DataDirInUseError(dir);
    throw error;
  }
}
