import type { AllFilter, RecordedEvent, Subscription } from '../event-store.port';
import type { NotificationHub } from './notification-hub';
import { Wakeup } from './wakeup';

/** What the subscription needs from the store: one gap-safe page of the global log. */
export interface LogPage {
  events: RecordedEvent[];
  /** Every event at or below this position that will ever be readable has been considered. */
  coveredUpTo: bigint;
  /** Committed events exist beyond coveredUpTo (an older transaction is still open). */
  blocked: boolean;
}

export type ReadPage = (after: bigint, limit: number, filter: AllFilter | undefined) => Promise<LogPage>;

export interface SubscriptionTiming {
  /** Fallback poll when idle, in case a NOTIFY was lost. */
  idlePollMs: number;
  /** Re-poll when committed events are waiting on an older open transaction. */
  blockedRepollMs: number;
}

/**
 * Catch-up then live, with backpressure: read a page, hand its events out one per next() (the
 * next page is read only when the consumer asks for more), repeat; when caught up, sleep until a
 * NOTIFY, close() or the poll timeout. Catch-up and live are the same loop over the same gap-safe
 * read, so there is no handover moment at which an event could be lost or delivered twice.
 *
 * Breaking out of a for-await loop does not end the subscription: iterating again continues
 * after the last event handed out. Only close() ends it (and the store's close() closes all).
 */
export class PollingSubscription implements Subscription {
  private closed = false;
  private registered = false;
  private readonly wakeup = new Wakeup();
  private inFlight: Promise<unknown> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private buffer: RecordedEvent[] = [];
  private cursor: bigint;
  /** Set when the last page was not full: how far it covered, and how to wait before the next. */
  private caughtUp: { coveredUpTo: bigint; waitMs: number; generation: number } | null = null;

  constructor(
    private readonly readPage: ReadPage,
    private readonly hub: NotificationHub,
    private readonly options: { after?: bigint; filter?: AllFilter; batchSize: number },
    private readonly timing: SubscriptionTiming,
    private readonly onClosed: (sub: PollingSubscription) => void,
  ) {
    this.cursor = options.after ?? 0n;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return {
      next: () => {
        // Calls are served one at a time, in order, even if the consumer does not await.
        const result = this.queue.then(() => this.pull());
        this.queue = result.catch(() => undefined);
        return result;
      },
      return: async () => ({ done: true, value: undefined }),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeup.fire();
    this.buffer = [];
    await this.unregister();
    // The store closes its pool right after this; do not leave a read running on it.
    await this.inFlight?.catch(() => undefined);
    this.onClosed(this);
  }

  private async pull(): Promise<IteratorResult<RecordedEvent>> {
    if (!this.registered && !this.closed) {
      // LISTEN before the first read: anything committed after that read's snapshot is notified.
      this.registered = true;
      await this.track(this.hub.add(this.wakeup));
    }
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      const event = this.buffer.shift();
      if (event) {
        this.cursor = event.position;
        return { done: false, value: event };
      }
      if (this.caughtUp) {
        const { coveredUpTo, waitMs, generation } = this.caughtUp;
        this.caughtUp = null;
        // The whole readable log was scanned: skip past filtered-out events for good.
        if (coveredUpTo > this.cursor) this.cursor = coveredUpTo;
        await this.wakeup.wait(waitMs, generation);
        continue;
      }
      const generation = this.wakeup.current;
      const page = await this.track(this.readPage(this.cursor, this.options.batchSize, this.options.filter));
      if (this.closed) continue;
      this.buffer = page.events;
      if (page.events.length < this.options.batchSize) {
        const waitMs = page.blocked ? this.timing.blockedRepollMs : this.timing.idlePollMs;
        this.caughtUp = { coveredUpTo: page.coveredUpTo, waitMs, generation };
      }
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight = p;
    return p;
  }

  private async unregister(): Promise<void> {
    if (!this.registered) return;
    this.registered = false;
    await this.hub.remove(this.wakeup);
  }
}
