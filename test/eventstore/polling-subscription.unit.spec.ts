import type { RecordedEvent } from '../../src/eventstore/event-store.port';
import { localTransactions } from '../../src/eventstore/postgres/local-transactions';
import { NotificationHub } from '../../src/eventstore/postgres/notification-hub';
import { LogPage, PollingSubscription, ReadPage, SubscriptionTiming } from '../../src/eventstore/postgres/subscription';

/** The subscription over a fake log: what it reads, when, and what it hands out. */

const call = (position: number): RecordedEvent =>
  ({ position: BigInt(position), streamId: `call-${position}`, revision: 0, id: `e${position}`, type: 'CallRequested', schemaVersion: 1, data: {}, metadata: {} }) as unknown as RecordedEvent;

/** A log of calls 1..n, every one readable. */
const readable = (n: number) => (after: bigint, limit: number): LogPage => {
  const events = Array.from({ length: n }, (_, i) => call(i + 1)).filter((e) => e.position > after).slice(0, limit);
  return { events, coveredUpTo: events.length > 0 ? events[events.length - 1].position : after, blocked: false };
};

/** Nothing readable yet: committed events wait on an older transaction. */
const blocked = (after: bigint): LogPage => ({ events: [], coveredUpTo: after, blocked: true });

const never: SubscriptionTiming = { idlePollMs: 60_000, firstBlockedRepollMs: 60_000, blockedRepollMs: 60_000 };

function subscription(readPage: ReadPage, batchSize: number, timing: SubscriptionTiming = never): PollingSubscription {
  const hub = new NotificationHub(async () => async () => undefined);
  return new PollingSubscription(readPage, hub, { batchSize }, timing, () => undefined);
}

/** Lets every promise and I/O callback due now run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('PollingSubscription', () => {
  it('reads the next page while a full one is handed out, one page ahead at most, and hands out every event once, in order', async () => {
    const reads: bigint[] = [];
    const log = readable(5);
    const sub = subscription(async (after, limit) => (reads.push(after), log(after, limit)), 2);
    const events = sub[Symbol.asyncIterator]();
    const seen = [(await events.next()).value.position];
    await settle();
    expect(reads).toEqual([0n, 2n]); // page 2 read ahead; page 3 waits until page 2 is taken
    for (let i = 0; i < 4; i++) seen.push((await events.next()).value.position);
    await settle();
    expect(seen).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(reads).toEqual([0n, 2n, 4n]); // the last page was not full: nothing read ahead of it
    await sub.close();
  });

  it('close() waits for a read-ahead in flight, then ends the iteration', async () => {
    const ahead = deferred<LogPage>();
    const log = readable(4);
    const sub = subscription(async (after, limit) => (after === 0n ? log(after, limit) : ahead.promise), 2);
    const events = sub[Symbol.asyncIterator]();
    expect((await events.next()).value.position).toBe(1n);
    let closed = false;
    const closing = sub.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    ahead.resolve(log(2n, 2));
    await closing;
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('throws a failed read-ahead to the consumer when it gets there, not before, and not as an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const log = readable(4);
      const sub = subscription(async (after, limit) => {
        if (after > 0n) throw new Error('connection lost');
        return log(after, limit);
      }, 2);
      const events = sub[Symbol.asyncIterator]();
      expect((await events.next()).value.position).toBe(1n);
      await settle();
      expect((await events.next()).value.position).toBe(2n);
      await expect(events.next()).rejects.toThrow('connection lost');
      await settle();
      expect(unhandled).toEqual([]);
      await sub.close();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('reads a blocked page again as soon as a transaction of this process ends', async () => {
    let reads = 0;
    const sub = subscription(async (after, limit) => (++reads === 1 ? blocked(after) : readable(1)(after, limit)), 10);
    const next = sub[Symbol.asyncIterator]().next();
    await settle();
    expect(reads).toBe(1); // asleep: no NOTIFY, and its re-poll is a minute away
    expect(sub.readInFlight()).toBeNull();
    localTransactions.ended();
    expect((await next).value.position).toBe(1n);
    await sub.close();
  });

  it('re-polls a blocked page by itself, without a NOTIFY or a local transaction ending', async () => {
    let reads = 0;
    const timing = { ...never, firstBlockedRepollMs: 1 };
    const sub = subscription(async (after, limit) => (++reads <= 3 ? blocked(after) : readable(1)(after, limit)), 10, timing);
    expect((await sub[Symbol.asyncIterator]().next()).value.position).toBe(1n);
    expect(reads).toBe(4);
    await sub.close();
  });

  it('tells a batch consumer when a next() waits for a read, not for new events', async () => {
    const page = deferred<LogPage>();
    const sub = subscription(() => page.promise, 10);
    const next = sub[Symbol.asyncIterator]().next();
    await settle();
    const read = sub.readInFlight();
    expect(read).not.toBeNull();
    page.resolve(readable(1)(0n, 10));
    await read;
    expect((await next).value.position).toBe(1n);
    await sub.close();
  });

  it('does not read again for an append its last read already covered, and tells a batch consumer so', async () => {
    const hub = new NotificationHub(async () => async () => undefined);
    let n = 3;
    let reads = 0;
    const sub = new PollingSubscription(async (after, limit) => (reads++, readable(n)(after, limit)), hub, { batchSize: 10 }, never, () => undefined);
    const events = sub[Symbol.asyncIterator]();
    expect((await events.next()).value.position).toBe(1n);
    expect(sub.nextWaitsFor()).toBe('nothing'); // 2 and 3 are buffered
    await events.next();
    await events.next();
    expect(sub.nextWaitsFor()).toBe('appends');
    hub.fireAll(3n); // the append of 3 signalling after the read that returned it
    expect(sub.nextWaitsFor()).toBe('appends');
    const next = events.next();
    await settle();
    hub.fireAll(2n);
    await settle();
    expect(reads).toBe(1);
    n = 4;
    hub.fireAll(4n);
    expect((await next).value.position).toBe(4n);
    expect(reads).toBe(2);
    hub.fireAll(); // a NOTIFY that says nothing of positions: read
    expect(sub.nextWaitsFor()).toBe('read');
    await sub.close();
  });

  it('reads a blocked page again when the append it waited on signals, whatever position it reports', async () => {
    const hub = new NotificationHub(async () => async () => undefined);
    let reads = 0;
    // 1 is readable; 2..5 are committed but wait on an older transaction until the third read.
    const readPage: ReadPage = async (after, limit) => {
      reads++;
      if (reads === 2) return { events: [], coveredUpTo: 1n, blocked: true };
      return readable(reads === 1 ? 1 : 5)(after, limit);
    };
    const sub = new PollingSubscription(readPage, hub, { batchSize: 10 }, never, () => undefined);
    const events = sub[Symbol.asyncIterator]();
    expect((await events.next()).value.position).toBe(1n);
    const next = events.next();
    hub.fireAll(5n); // appends reached 5 (read 2 finds them blocked)
    await settle();
    await settle();
    expect(reads).toBe(2);
    hub.fireAll(2n); // the older append, at 2, commits: the others are readable now
    expect((await next).value.position).toBe(2n);
    expect(reads).toBe(3);
    await sub.close();
  });
});
