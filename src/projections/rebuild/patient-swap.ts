import type { ReadModelDatabase, ReadModelQueryable } from '../read-model-database';

export interface SwapPatience {
  /**
   * Longest one swap attempt waits for a lock (default 2,000 ms). The swap drops and moves the
   * live tables, which needs them free: behind its waiting request every new reader of those
   * tables queues too (PostgreSQL grants locks in order), so a report running for minutes would
   * otherwise stall the bot and the reports for as long. Bounded, readers stall at most this long.
   */
  lockTimeoutMs?: number;
  /** Attempts before giving up (default 30); between them readers go on and the shadow stays built. */
  attempts?: number;
  /** Pause before attempt n + 1, in ms (default 250 × n, at most 5,000). */
  pauseMs?: (attempt: number) => number;
  /** Told after each attempt that timed out, before the pause. */
  onWait?: (wait: SwapWait) => void;
  signal?: AbortSignal;
}

export interface SwapWait {
  projection: string;
  attempt: number;
  attempts: number;
  lockTimeoutMs: number;
}

/** PostgreSQL's lock_not_available: lock_timeout ran out. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Runs one swap in its own transaction with a bounded lock wait, and again after a pause while
 * the wait is what failed. A timed-out attempt rolls back whole: the live model is untouched and
 * the shadow is as it was built, so the next attempt simply catches up further. `rolledBack` is
 * called with each failed attempt's cleanup (e.g. events it counted that will be applied again).
 */
export async function swapPatiently<T>(
  db: ReadModelDatabase,
  projection: string,
  attempt: (tx: ReadModelQueryable) => Promise<T>,
  patience: SwapPatience = {},
  rolledBack?: () => void,
): Promise<T> {
  const lockTimeoutMs = Math.max(1, Math.round(patience.lockTimeoutMs ?? 2000));
  const attempts = Math.max(1, patience.attempts ?? 30);
  const pauseMs = patience.pauseMs ?? ((n: number) => Math.min(5000, 250 * n));
  for (let n = 1; ; n++) {
    try {
      return await db.transaction(attempt, `SET LOCAL lock_timeout = ${lockTimeoutMs}`);
    } catch (err) {
      if (!isLockTimeout(err)) throw err;
      rolledBack?.();
      if (n >= attempts) {
        throw new Error(
          `swap of ${projection} gave up after ${attempts} attempts: each waited ${lockTimeoutMs} ms for its tables, ` +
            'which a long query or transaction keeps using (see pg_stat_activity); the live read model is unchanged, run the rebuild again later',
          { cause: err },
        );
      }
      patience.onWait?.({ projection, attempt: n, attempts, lockTimeoutMs });
      await new Promise((resolve) => setTimeout(resolve, pauseMs(n)));
      patience.signal?.throwIfAborted();
    }
  }
}

function isLockTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === LOCK_NOT_AVAILABLE;
}
