import type { EventStore, EventPayload } from '../../eventstore/event-store.port';
import type { Upcast } from '../../shared/upcasters';
import { upcastEvent } from '../apply-batch';

/**
 * The log from position 0, read ONCE in pages and handed to several consumers that each go
 * through every page in order at their own pace (one read model may take longer over a page than
 * another). Page i+1 is read while page i is being applied; no page is read more than `ahead`
 * pages past the slowest consumer, so memory stays bounded whatever the log's size. A page
 * shorter than `pageSize` is the last one: the log's head as of that read.
 */
export class PageFeed {
  private readonly pages = new Map<number, Promise<EventPayload[] | null>>();
  /** Reads run one after another: each starts after the previous page's last position. */
  private chain: Promise<{ after: bigint; ended: boolean }> = Promise.resolve({ after: 0n, ended: false });
  private scheduled = 0;
  private readonly progress: number[];
  private waiting: (() => void)[] = [];
  private stopped: Error | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly pageSize: number,
    private readonly upcast: Upcast,
    consumers: number,
    private readonly ahead = 2,
  ) {
    // progress[c] = how many pages consumer c has finished.
    this.progress = new Array<number>(consumers).fill(0);
  }

  /** Page `i` (events in their current shape, upcast once for all consumers), or null past the end. */
  async page(i: number): Promise<EventPayload[] | null> {
    for (;;) {
      if (this.stopped) throw this.stopped;
      if (i - this.slowest() < this.ahead) break;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    // The next page too: it is read while this one is applied.
    while (this.scheduled <= i + 1 && this.scheduled - this.slowest() <= this.ahead) this.schedule(this.scheduled++);
    return this.pages.get(i)!;
  }

  /**
   * Consumer `c` is done with page `i`: pages every consumer is done with are let go. True when
   * `c` was the last consumer on page `i` (every copy has it now).
   */
  done(c: number, i: number): boolean {
    const before = this.slowest();
    this.progress[c] = i + 1;
    const slowest = this.slowest();
    for (const key of this.pages.keys()) if (key < slowest) this.pages.delete(key);
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
    return before <= i && slowest > i;
  }

  /** One consumer failed: the others get `reason` at their next page instead of waiting for it. */
  stop(reason: Error): void {
    this.stopped = reason;
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /** Waits for reads still running (before the store is closed). */
  async settle(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  slowest(): number {
    return Math.min(...this.progress);
  }

  private schedule(i: number): void {
    const page = this.chain.then(async ({ after, ended }) => {
      if (ended) return null;
      // Payloads only where the store can: ids and metadata are not folded, and nearly half the bytes.
      const read = { after, maxCount: this.pageSize };
      const events = await (this.store.readPayloads ? this.store.readPayloads(read) : this.store.readAll(read));
      return events.length === 0 ? null : events.map((e) => upcastEvent(e, this.upcast));
    });
    this.chain = page.then((events) =>
      events === null ? { after: 0n, ended: true } : { after: events[events.length - 1].position, ended: events.length < this.pageSize },
    );
    this.pages.set(i, page);
  }
}
