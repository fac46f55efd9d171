import type { AllFilter, RecordedEvent, Subscription } from '../event-store.port';
import { localTransactions } from './local-transactions';
import type { NotificationHub } from './notification-hub';
import { WakeMark, Wakeup } from './wakeup';

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
  /**
   * Re-poll when committed events are waiting on an older open transaction: first after
   * `firstBlockedRepollMs`, then twice as long each time nothing new became readable, up to
   * `blockedRepollMs`. Most blockers are other appends or a read-model batch, gone within a few
   * milliseconds; a long one (a rebuild) then costs a read every `blockedRepollMs`, no more.
   */
  firstBlockedRepollMs: number;
  blockedRepollMs: number;
}

/** A page read started: what it will return, and the signals' values when it started. */
interface PageRead {
  page: Promise<LogPage>;
  /** The wakeup's mark before the read: a signal after it may mean the read missed something. */
  mark: WakeMark;
  /** localTransactions.current before the read (same reason, for a blocked page). */
  local: number;
}

/** Set when the last page was not full: how far it covered, and how to wait before the next. */
interface CaughtUp {
  coveredUpTo: bigint;
  blocked: boolean;
  waitMs: number;
  mark: WakeMark;
  local: number;
}

/**
 * Catch-up then live, with backpressure: read a page, hand its events out one per next(), repeat;
 * when caught up, sleep until a NOTIFY, close() or the poll timeout. Catch-up and live are the same
 * loop over the same gap-safe read, so there is no handover moment at which an event could be lost
 * or delivered twice.
 *
 * Read-ahead: a FULL page means more of the log is there, so the next page is read at once, while
 * the consumer works through this one (a catch-up overlaps reading the log with applying it). One
 * page ahead at most: memory stays bounded by two pages. A page that is not full (caught up) starts
 * nothing; the next read waits for the consumer, as before.
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
  /** Index of the next event of `buffer` to hand out. */
  private taken = 0;
  /** The read of the page after `buffer`, started when `buffer` came back full. */
  private ahead: PageRead | null = null;
  private cursor: bigint;
  private caughtUp: CaughtUp | null = null;
  /** Blocked reads in a row that made nothing new readable: the re-poll backs off with it. */
  private fruitlessBlockedReads = 0;
  /** The read a next() is waiting for, if any (see readInFlight). */
  private awaited: Promise<LogPage> | null = null;

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

  /**
   * While a next() is waiting for a read of the log (not for new events: those it waits for
   * asleep), resolves when that read is back; else null. A batch consumer (the projection
   * runner) can so tell "the next events are a round trip away" from "nothing more yet", and
   * close its batch only on the latter (see ProjectionRunner.run).
   */
  readInFlight(): Promise<void> | null {
    return this.awaited?.then(noop, noop) ?? null;
  }

  /**
   * What a next() made now would wait for: 'nothing' (an event is buffered), 'read' (a read of the
   * log, under way or due), or 'appends' (the last read found the log's end, and no append, NOTIFY
   * or ended local transaction has been signalled since). A batch consumer closes its batch rather
   * than make a next() it will not wait for: one left pending reads the log at the first append,
   * while the consumer is still busy, and hands it one event, where a read once the consumer is
   * free takes everything appended meanwhile.
   */
  nextWaitsFor(): 'nothing' | 'read' | 'appends' {
    if (this.closed || this.taken < this.buffer.length) return 'nothing';
    const caughtUp = this.caughtUp;
    return caughtUp === null || this.mayFindMore(caughtUp) ? 'read' : 'appends';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeup.fire();
    this.buffer = [];
    this.taken = 0;
    this.ahead = null;
    await this.unregister();
    // The store closes its pool right after this; do not leave a read (a read-ahead too) running on it.
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
      if (this.taken < this.buffer.length) {
        const event = this.buffer[this.taken++];
        this.cursor = event.position;
        return { done: false, value: event };
      }
      if (this.caughtUp) {
        const caughtUp = this.caughtUp;
        this.caughtUp = null;
        // The whole readable log was scanned: skip past filtered-out events for good.
        if (caughtUp.coveredUpTo > this.cursor) this.cursor = caughtUp.coveredUpTo;
        await this.sleep(caughtUp);
        continue;
      }
      const read = this.ahead ?? this.startRead(this.cursor);
      this.ahead = null;
      this.awaited = read.page;
      const page = await read.page.finally(() => (this.awaited = null));
      if (this.closed) continue;
      this.take(page, read);
    }
  }

  /** Makes `page` the one being handed out; reads the next one ahead if it is full, else notes how to wait. */
  private take(page: LogPage, read: PageRead): void {
    this.buffer = page.events;
    this.taken = 0;
    const { length } = page.events;
    if (length >= this.options.batchSize) {
      this.fruitlessBlockedReads = 0;
      this.ahead = this.startRead(page.events[length - 1].position);
      return;
    }
    const waitMs = page.blocked ? this.blockedWaitMs(length > 0) : this.timing.idlePollMs;
    if (!page.blocked) this.fruitlessBlockedReads = 0;
    this.caughtUp = { coveredUpTo: page.coveredUpTo, blocked: page.blocked, waitMs, mark: read.mark, local: read.local };
  }

  private blockedWaitMs(progressed: boolean): number {
    this.fruitlessBlockedReads = progressed ? 0 : this.fruitlessBlockedReads + 1;
    const backoff = this.timing.firstBlockedRepollMs * 2 ** Math.max(0, this.fruitlessBlockedReads - 1);
    return Math.min(this.timing.blockedRepollMs, backoff);
  }

  /**
   * Waits for a reason to read again. Blocked: also for a transaction of this process to end (the
   * runner's read-model batch is the usual blocker), at once if one ended during the read.
   */
  private async sleep(caughtUp: CaughtUp): Promise<void> {
    const deadline = Date.now() + caughtUp.waitMs;
    const unwatch = caughtUp.blocked ? localTransactions.watch(this.wakeup) : noop;
    try {
      // An append's signal for events the last read already had is no reason to read again.
      while (!this.closed && !this.mayFindMore(caughtUp)) {
        const left = deadline - Date.now();
        if (left <= 0) return;
        await this.wakeup.wait(left);
      }
    } finally {
      unwatch();
    }
  }

  /** Something was signalled since the last read started that it may not have seen. */
  private mayFindMore(caughtUp: CaughtUp): boolean {
    if (this.wakeup.newSince(caughtUp.mark, caughtUp.coveredUpTo, caughtUp.blocked)) return true;
    return caughtUp.blocked && localTransactions.current !== caughtUp.local;
  }

  private startRead(after: bigint): PageRead {
    const mark = this.wakeup.mark();
    const local = localTransactions.current;
    const page = this.track(this.readPage(after, this.options.batchSize, this.options.filter));
    // A read-ahead may fail before anyone awaits it: its error is thrown to the consumer when it
    // gets there, not reported as an unhandled rejection meanwhile.
    page.catch(() => undefined);
    return { page, mark, local };
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

function noop(): void {}
