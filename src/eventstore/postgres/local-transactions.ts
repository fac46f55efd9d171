import type { Wakeup } from './wakeup';

/**
 * "A transaction of this process has ended": the one thing a subscription blocked on the readable
 * horizon (gap-safety.ts) waits for, told without a round trip.
 *
 * Why it exists: xids are cluster-wide, so the projection runner's own read-model transaction,
 * open while it applies a batch, holds back the horizon for every event appended meanwhile. The
 * subscription reading for the next batch then finds them committed but not readable, and nothing
 * else tells it when that transaction ends: no NOTIFY follows a read-model commit. Every
 * read-model transaction (read-model-database.ts: a runner's batch, a rebuild's shadow page, a
 * swap) and every append group of this process's event stores (sql-event-store.ts) calls ended()
 * when it is over, and only subscriptions whose last page was blocked re-read (an idle one has
 * nothing to gain). Blockers in other processes are still found by the subscription's own re-polls.
 */
export class LocalTransactions {
  private count = 0;
  private readonly blocked = new Set<Wakeup>();

  /** Changes at every ended(): compare a value taken before a read with one taken after it. */
  get current(): number {
    return this.count;
  }

  ended(): void {
    this.count++;
    for (const wakeup of this.blocked) wakeup.fire();
  }

  /** Fires `wakeup` at each ended() until the returned function is called. */
  watch(wakeup: Wakeup): () => void {
    this.blocked.add(wakeup);
    return () => {
      this.blocked.delete(wakeup);
    };
  }
}

/** The process's one instance: a transaction ending anywhere in the process may unblock any reader. */
export const localTransactions = new LocalTransactions();
