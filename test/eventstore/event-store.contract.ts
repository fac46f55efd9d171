import { randomUUID } from 'node:crypto';
import {
  EventStore,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../../src/eventstore/event-store.port';
import { findChainBreak } from '../../src/eventstore/hash-chain';

/**
 * The behaviour every EventStore adapter must have (postgres, pglite, eventstoredb). Each test
 * opens its own store and closes it, and works only on streams under a fresh random category,
 * so adapters may back all tests with one database or server.
 */
export interface ContractOptions {
  /** Handover scenario size; defaults: 8 writers, 1000 events, 50 streams. */
  handover?: Partial<HandoverOptions>;
}

export function eventStoreContract(name: string, open: () => Promise<EventStore>, opts: ContractOptions = {}): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    let cat: string;
    const stream = (id: string | number) => `${cat}-${id}`;

    beforeEach(async () => {
      store = await open();
      cat = `ct${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    });
    afterEach(async () => {
      await store.close();
    });

    it('round-trips the envelope: id, type, schemaVersion, data, metadata, revision, position', async () => {
      const id1 = randomUUID();
      const id2 = randomUUID();
      const occurredAt = '2024-03-01T09:30:00.000Z';
      const before = Date.now();
      const result = await store.append(
        stream(1),
        [
          {
            id: id1,
            type: 'CallPlaced',
            data: { phone: '+4930123', attempts: [1, 2], nested: { ok: true, n: 1.5 } },
            metadata: { correlationId: 'corr-1', causationId: 'cmd-1', actor: 'agent:7', occurredAt, extra: 'x' },
          },
          { id: id2, type: 'CallAnswered', schemaVersion: 3, data: { by: 'agent:7' } },
        ],
        { expectedRevision: 'no_stream' },
      );
      expect(result.nextRevision).toBe(1);

      const events = await store.readStream(stream(1));
      expect(events).toHaveLength(2);
      const [a, b] = events;
      expect(a).toMatchObject({
        id: id1,
        streamId: stream(1),
        revision: 0,
        type: 'CallPlaced',
        schemaVersion: 1,
        data: { phone: '+4930123', attempts: [1, 2], nested: { ok: true, n: 1.5 } },
      });
      expect(a.metadata).toMatchObject({ correlationId: 'corr-1', causationId: 'cmd-1', actor: 'agent:7', occurredAt, extra: 'x' });
      expect(b).toMatchObject({ id: id2, revision: 1, type: 'CallAnswered', schemaVersion: 3, data: { by: 'agent:7' } });
      // occurredAt defaults to "now" when the caller gives none.
      const defaulted = Date.parse(b.metadata.occurredAt);
      expect(defaulted).toBeGreaterThanOrEqual(before - 5_000);
      expect(defaulted).toBeLessThanOrEqual(Date.now() + 5_000);
      expect(typeof a.position).toBe('bigint');
      expect(b.position).toBeGreaterThan(a.position);
      expect(result.position).toBe(b.position);

      // An id is generated when none is given, and the global log carries the same envelope.
      await store.append(stream(1), [{ type: 'CallEnded', data: {} }], { expectedRevision: 1 });
      const all = await store.readAll({ filter: { streamPrefixes: [`${cat}-`] } });
      expect(all.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(all[2].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
      expect(all.slice(0, 2)).toEqual(events);
    });

    it('honours expected revisions and appends nothing on a conflict', async () => {
      const s = stream('exp');
      await expect(store.append(s, [ev('A')], { expectedRevision: 0 })).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        code: 'WRONG_EXPECTED_REVISION',
        expected: 0,
        actual: null,
      });
      expect(await store.streamRevision(s)).toBeNull();

      await store.append(s, [ev('A')], { expectedRevision: 'no_stream' });
      const noStream = await store.append(s, [ev('B')], { expectedRevision: 'no_stream' }).catch((e: unknown) => e);
      expect(noStream).toBeInstanceOf(WrongExpectedRevisionError);
      expect(noStream).toMatchObject({ streamId: s, expected: 'no_stream', actual: 0 });

      expect((await store.append(s, [ev('B'), ev('C')], { expectedRevision: 0 })).nextRevision).toBe(2);
      await expect(store.append(s, [ev('D')], { expectedRevision: 1 })).rejects.toMatchObject({ expected: 1, actual: 2 });
      await expect(store.append(s, [ev('D')], { expectedRevision: 3 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C']);

      expect((await store.append(s, [ev('D')], { expectedRevision: 'any' })).nextRevision).toBe(3);
      expect((await store.append(stream('exp-any'), [ev('A')], { expectedRevision: 'any' })).nextRevision).toBe(0);
    });

    it('lets exactly one of 10 parallel appends with the same expectation win', async () => {
      const s = stream('race');
      await store.append(s, [ev('Created')], { expectedRevision: 'no_stream' });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.append(s, [ev('Racer', { i })], { expectedRevision: 0 })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      for (const l of lost) expect(l.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['Created', 'Racer']);

      const fresh = stream('race-new');
      const creations = await Promise.allSettled(
        Array.from({ length: 10 }, () => store.append(fresh, [ev('Created')], { expectedRevision: 'no_stream' })),
      );
      expect(creations.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(await store.streamRevision(fresh)).toBe(0);
    });

    it("serializes parallel 'any' appends into one gap-free, hash-chained stream", async () => {
      const s = stream('any');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.append(s, [ev('N', { i }), ev('M', { i })], { expectedRevision: 'any' })),
      );
      expect(results.map((r) => r.nextRevision).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i + 1));
      const events = await store.readStream(s);
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(findChainBreak(events)).toBeNull();
      for (let i = 1; i < events.length; i++) expect(events[i].position).toBeGreaterThan(events[i - 1].position);
    });

    it('treats re-appending an event id already in the stream as a no-op', async () => {
      const s = stream('idem');
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      const first = await store.append(s, [ev('A', {}, a), ev('B', {}, b)], { expectedRevision: 'no_stream' });
      // A retry of the same call, original expectation included: success, nothing written.
      const retry = await store.append(s, [ev('A', {}, a), ev('B', {}, b)], { expectedRevision: 'no_stream' });
      expect(retry).toEqual(first);
      expect(await store.streamRevision(s)).toBe(1);
      // Partly new: only the new event is written; repeats within one call collapse.
      const mixed = await store.append(s, [ev('B', {}, b), ev('C', {}, c), ev('C', {}, c)], { expectedRevision: 1 });
      expect(mixed.nextRevision).toBe(2);
      const events = await store.readStream(s);
      expect(events.map((e) => e.id)).toEqual([a, b, c]);
      expect(findChainBreak(events)).toBeNull();
      expect(mixed.position).toBe(events[2].position);
    });

    it('reads a stream forwards and backwards with fromRevision and maxCount', async () => {
      const s = stream('read');
      await store.append(s, [0, 1, 2, 3, 4].map((n) => ev('N', { n })), { expectedRevision: 'no_stream' });
      const revs = async (o?: Parameters<EventStore['readStream']>[1]) => (await store.readStream(s, o)).map((e) => e.revision);
      expect(await revs()).toEqual([0, 1, 2, 3, 4]);
      expect(await revs({ fromRevision: 2 })).toEqual([2, 3, 4]);
      expect(await revs({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
      expect(await revs({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
      expect(await revs({ direction: 'backwards', fromRevision: 3, maxCount: 2 })).toEqual([3, 2]);
      expect(await revs({ fromRevision: 9 })).toEqual([]);
      expect(await store.readStream(stream('missing'))).toEqual([]);
    });

    it('reads the global log in order, strictly after a position, paged and filtered', async () => {
      await store.append(stream('x1'), [ev('Odd', { n: 1 }), ev('Even', { n: 2 })], { expectedRevision: 'no_stream' });
      await store.append(`${cat}other-1`, [ev('Odd', { n: 3 })], { expectedRevision: 'no_stream' });
      await store.append(stream('x2'), [ev('Even', { n: 4 }), ev('Odd', { n: 5 })], { expectedRevision: 'no_stream' });
      const ns = (events: RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n);

      const all = await store.readAll({ filter: { streamPrefixes: [cat] } });
      expect(ns(all)).toEqual([1, 2, 3, 4, 5]);
      for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);

      // Unfiltered reads contain the same events at the same positions, in the same order.
      const unfiltered = await store.readAll({ after: all[0].position - 1n });
      expect(unfiltered.filter((e) => e.streamId.startsWith(cat))).toEqual(all);

      const opts = (after: bigint, maxCount?: number) => ({ after, maxCount, filter: { streamPrefixes: [cat] } });
      expect(ns(await store.readAll(opts(all[1].position)))).toEqual([3, 4, 5]);
      expect(ns(await store.readAll(opts(all[1].position, 2)))).toEqual([3, 4]);
      expect(await store.readAll(opts(all[4].position))).toEqual([]);
      expect(ns(await store.readAll({ filter: { streamPrefixes: [`${cat}-`] } }))).toEqual([1, 2, 4, 5]);
      expect(ns(await store.readAll({ filter: { streamPrefixes: [`${cat}-`, `${cat}other-`], eventTypes: ['Odd'] } }))).toEqual([1, 3, 5]);
      expect(ns(await store.readAll({ filter: { streamPrefixes: [cat], eventTypes: ['Even', 'Nope'] } }))).toEqual([2, 4]);
      expect(ns(await store.readAll({ filter: { streamPrefixes: [`${cat}-x2`] }, maxCount: 1 }))).toEqual([4]);
    });

    it('reports stream revisions, the head position and stream ids', async () => {
      expect(await store.streamRevision(stream('a'))).toBeNull();
      await store.append(stream('b'), [ev('A')], { expectedRevision: 'no_stream' });
      await store.append(stream('a'), [ev('A'), ev('B'), ev('C')], { expectedRevision: 'no_stream' });
      const last = await store.append(`${cat}x-1`, [ev('A')], { expectedRevision: 'no_stream' });
      expect(await store.streamRevision(stream('a'))).toBe(2);
      expect(await store.streamRevision(stream('b'))).toBe(0);
      expect(await store.headPosition()).toBe(last.position);
      expect(await store.listStreams(`${cat}-`)).toEqual([stream('a'), stream('b')]);
      expect(await store.listStreams(cat)).toEqual([stream('a'), stream('b'), `${cat}x-1`]);
      expect(await store.listStreams(`${cat}_`)).toEqual([]);
      expect(await store.listStreams()).toEqual(expect.arrayContaining([stream('a'), stream('b'), `${cat}x-1`]));
    });

    it('chains hashes per stream so that any alteration is detected', async () => {
      const s = stream('chain');
      await store.append(s, [ev('A', { v: 1 }), ev('B', { v: 2 })], { expectedRevision: 'no_stream' });
      await store.append(s, [ev('C', { v: 3 })], { expectedRevision: 1 });
      await store.append(stream('chain2'), [ev('A', { v: 1 })], { expectedRevision: 'no_stream' });
      const events = await store.readStream(s);
      expect(events[0].metadata.prevHash).toBe('');
      expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
      expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
      expect(events.every((e) => /^[0-9a-f]{64}$/.test(e.metadata.hash))).toBe(true);
      expect(findChainBreak(events)).toBeNull();
      expect(findChainBreak(await store.readStream(stream('chain2')))).toBeNull();
      const tampered = events.map((e, i) => (i === 1 ? { ...e, data: { v: 20 } } : e));
      expect(findChainBreak(tampered)).toMatchObject({ revision: 1, reason: 'hash-mismatch' });
    });

    it('subscribes: catch-up strictly after the checkpoint, then live, filtered; close ends a pending iteration', async () => {
      await store.append(stream('s1'), [ev('A', { n: 1 }), ev('B', { n: 2 }), ev('A', { n: 3 })], { expectedRevision: 'no_stream' });
      const history = await store.readAll({ filter: { streamPrefixes: [cat] } });
      const sub = store.subscribeToAll({ after: history[0].position, filter: { streamPrefixes: [`${cat}-`] }, batchSize: 2 });
      try {
        const caughtUp = await take(sub, 2);
        expect(caughtUp.map((e) => e.position)).toEqual(history.slice(1).map((e) => e.position));
        await store.append(`${cat}other-1`, [ev('A', { n: 99 })], { expectedRevision: 'no_stream' });
        await store.append(stream('s2'), [ev('A', { n: 4 })], { expectedRevision: 'no_stream' });
        const [live] = await take(sub, 1);
        expect(live.streamId).toBe(stream('s2'));
        expect(live.position).toBeGreaterThan(caughtUp[1].position);

        const typed = store.subscribeToAll({ filter: { streamPrefixes: [cat], eventTypes: ['B'] } });
        expect((await take(typed, 1)).map((e) => (e.data as { n: number }).n)).toEqual([2]);
        await typed.close();

        const pending = sub[Symbol.asyncIterator]().next();
        await sub.close();
        await expect(pending).resolves.toMatchObject({ done: true });
      } finally {
        await sub.close();
      }
    });

    it('hands over from catch-up to live without losing, repeating or reordering events under concurrent writers', async () => {
      const report = await runHandover(store, cat, opts.handover);
      expect(report.problems).toEqual([]);
      expect(report.expected).toHaveLength(report.options.total);
      expect(report.delivered.map((e) => e.id)).toEqual(report.expected.map((e) => e.id));
      expect(report.filteredDelivered.map((e) => e.id)).toEqual(report.expected.map((e) => e.id));
    });
  });
}

export interface HandoverOptions {
  writers: number;
  total: number;
  streams: number;
  /** Events appended before the subscriber starts. */
  history: number;
  /** How long to wait for the subscriber to see everything after the writers finish. */
  settleMs: number;
}

export interface HandoverReport {
  options: HandoverOptions;
  /** The category's events as delivered to an unfiltered subscriber. */
  delivered: RecordedEvent[];
  /** ... and to a subscriber filtered on the category. */
  filteredDelivered: RecordedEvent[];
  /** The category's events as readAll returns them once all writers are done. */
  expected: RecordedEvent[];
  problems: string[];
}

/**
 * The handover scenario, exported so adapter suites can also run it with faults injected (and
 * check that it does report them). Writers append 1-3 events at a time to random streams; part
 * of the history exists before two subscribers (one unfiltered, one filtered) start from the
 * beginning, the rest arrives while they run.
 */
export async function runHandover(store: EventStore, cat: string, partial: Partial<HandoverOptions> = {}): Promise<HandoverReport> {
  const options: HandoverOptions = { writers: 8, total: 1000, streams: 50, history: 200, settleMs: 20_000, ...partial };
  const problems: string[] = [];
  let remaining = 0;
  const write = async (count: number) => {
    remaining = count;
    const writer = async (w: number) => {
      while (remaining > 0) {
        const n = Math.min(remaining, 1 + Math.floor(Math.random() * 3));
        remaining -= n;
        const s = `${cat}-${Math.floor(Math.random() * options.streams)}`;
        const events = Array.from({ length: n }, (_, i) => ev('Tick', { w, i }));
        await store.append(s, events, { expectedRevision: 'any' });
      }
    };
    await Promise.all(Array.from({ length: options.writers }, (_, w) => writer(w)));
  };

  await write(options.history);

  const consume = (filtered: boolean) => {
    const sub = store.subscribeToAll(filtered ? { filter: { streamPrefixes: [`${cat}-`] }, batchSize: 50 } : { batchSize: 50 });
    const mine: RecordedEvent[] = [];
    let last = -1n;
    let target = Infinity;
    let reached: () => void = () => undefined;
    const done = new Promise<void>((r) => (reached = r));
    const label = filtered ? 'filtered' : 'unfiltered';
    const loop = (async () => {
      for await (const e of sub) {
        if (e.position <= last) problems.push(`${label}: position ${e.position} delivered after ${last}`);
        last = e.position;
        if (!e.streamId.startsWith(`${cat}-`)) {
          if (filtered) problems.push(`${label}: event of ${e.streamId} passed the filter`);
          continue;
        }
        mine.push(e);
        if (mine.length >= target) reached();
      }
    })();
    return {
      mine,
      async finish(expected: number) {
        target = expected;
        if (mine.length >= target) reached();
        const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), options.settleMs).unref());
        if ((await Promise.race([done, timeout])) === 'timeout') {
          problems.push(`${label}: saw ${mine.length} of ${expected} events after ${options.settleMs} ms`);
        }
        // Give duplicates a moment to show up before stopping.
        await new Promise((r) => setTimeout(r, 100));
        await sub.close();
        await loop;
      },
    };
  };
  const unfiltered = consume(false);
  const filtered = consume(true);

  await write(options.total - options.history);

  const expected = await store.readAll({ filter: { streamPrefixes: [`${cat}-`] } });
  await Promise.all([unfiltered.finish(expected.length), filtered.finish(expected.length)]);
  for (const [label, got] of [['unfiltered', unfiltered.mine], ['filtered', filtered.mine]] as const) {
    const ids = new Set(got.map((e) => e.id));
    if (ids.size !== got.length) problems.push(`${label}: ${got.length - ids.size} events delivered twice`);
    const missing = expected.filter((e) => !ids.has(e.id));
    if (missing.length > 0) {
      problems.push(`${label}: ${missing.length} events never delivered, e.g. position ${missing[0].position}`);
    }
  }
  return { options, delivered: unfiltered.mine, filteredDelivered: filtered.mine, expected, problems };
}

function ev(type: string, data: Record<string, unknown> = {}, id?: string): NewEvent {
  return id ? { id, type, data } : { type, data };
}

/** Takes the next n events; the subscription stays open (breaking out does not end it). */
async function take(iterable: AsyncIterable<RecordedEvent>, n: number): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of iterable) {
    out.push(e);
    if (out.length >= n) break;
  }
  return out;
}
