/**
 * EventStoreDB adapter.
 *
 * With EVENTSTORE_URL set (e.g. esdb://localhost:2113?tls=false) this runs the shared event store
 * contract against a real server. Without it, the contract cannot run; instead this file tests
 * everything that needs no server: the pure mapping (port event <-> ESDB event + metadata, hash
 * chain, positions, filters), connection-string handling, the subscription wrapper, and the
 * adapter's own logic (hash chain, idempotence, optimistic concurrency, paging of $all, system
 * event filtering) driven through an in-memory fake of the ESDB client that mimics the server's
 * documented behaviour (StreamNotFound on reads, WrongExpectedVersion on appends, $all reads
 * inclusive of their start position, subscriptions exclusive, system events in the log).
 */
import { PassThrough } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { StreamNotFoundError, WrongExpectedVersionError, type Filter } from '@eventstore/db-client';
import { eventStoreContract } from './event-store.contract';
import { WrongExpectedRevisionError, type RecordedEvent } from '../../src/eventstore/event-store.port';
import { eventHash, findChainBreak } from '../../src/eventstore/hash-chain';
import { openEventStoreDbStore } from '../../src/eventstore/eventstoredb';
import {
  EventStoreDbStore,
  type EsdbClientLike,
} from '../../src/eventstore/eventstoredb/eventstoredb-event-store';
import {
  NO_POSITION,
  chainEvents,
  connectionStringErrorMessage,
  esdbPositionOf,
  expectationHolds,
  fromEsdbCurrentRevision,
  fromEsdbMetadata,
  fromEsdbResolved,
  matchesFilter,
  normaliseNewEvent,
  serverFilterSpec,
  toEsdbEvent,
  toEsdbPosition,
  type EsdbRecordedEventLike,
  type EsdbResolvedEventLike,
} from '../../src/eventstore/eventstoredb/event-mapping';
import { wrapSubscription, type SubscriptionSource } from '../../src/eventstore/eventstoredb/subscription';

const EVENTSTORE_URL = process.env.EVENTSTORE_URL;

if (EVENTSTORE_URL) {
  eventStoreContract('eventstoredb', () => openEventStoreDbStore(EVENTSTORE_URL));
} else {
  // eslint-disable-next-line no-console
  console.log('EventStoreDB contract did not run: EVENTSTORE_URL is unset (server-free adapter tests run instead)');
}

// ---------------------------------------------------------------------------------------------
// In-memory fake of the ESDB client (test-only).
// ---------------------------------------------------------------------------------------------

interface FakeRecord extends EsdbRecordedEventLike {
  position: { commit: bigint; prepare: bigint };
}

class FakeEsdbClient implements EsdbClientLike {
  readonly log: FakeRecord[] = [];
  private nextPosition = 1000n;
  private readonly subscribers = new Set<{ push(r: FakeRecord): void }>();
  /** Runs once before the next append reaches the "server" (to simulate a racing writer). */
  beforeNextAppend: (() => void) | null = null;
  appendCalls = 0;
  disposed = false;

  private revisionOf(stream: string): number | null {
    let rev: number | null = null;
    for (const r of this.log) if (r.streamId === stream) rev = Number(r.revision);
    return rev;
  }

  /** Writes directly, as another client or the server itself (system events) would. */
  write(streamId: string, type: string, data: unknown = {}, metadata?: unknown): FakeRecord {
    const current = this.revisionOf(streamId);
    // Positions are byte offsets in ESDB: increasing, with gaps; commit == prepare for implicit commits.
    this.nextPosition += BigInt(100 + Math.floor(Math.random() * 50));
    const record: FakeRecord = {
      streamId,
      id: randomUUID(),
      revision: BigInt(current === null ? 0 : current + 1),
      type,
      created: new Date(),
      isJson: true,
      data: JSON.parse(JSON.stringify(data)) as unknown,
      metadata: metadata === undefined ? undefined : (JSON.parse(JSON.stringify(metadata)) as unknown),
      position: { commit: this.nextPosition, prepare: this.nextPosition },
    };
    this.log.push(record);
    for (const s of this.subscribers) s.push(record);
    return record;
  }

  readStream(
    streamName: string,
    options: { direction: 'forwards' | 'backwards'; fromRevision: 'start' | 'end' | bigint; maxCount: number | bigint },
  ): AsyncIterable<EsdbResolvedEventLike> {
    const snapshot = this.log.filter((r) => r.streamId === streamName);
    return (async function* () {
      if (snapshot.length === 0) throw new StreamNotFoundError(undefined, streamName);
      let events = options.direction === 'forwards' ? snapshot : [...snapshot].reverse();
      const from = options.fromRevision;
      if (typeof from === 'bigint') {
        events = events.filter((r) => (options.direction === 'forwards' ? r.revision >= from : r.revision <= from));
      }
      for (const r of events.slice(0, Number(options.maxCount))) yield { event: r, commitPosition: undefined };
    })();
  }

  readAll(options: {
    direction: 'forwards' | 'backwards';
    fromPosition: 'start' | 'end' | { commit: bigint; prepare: bigint };
    maxCount: number | bigint;
  }): AsyncIterable<EsdbResolvedEventLike> {
    const from = options.fromPosition;
    let events = options.direction === 'forwards' ? [...this.log] : [...this.log].reverse();
    if (typeof from === 'object') {
      // Inclusive of the start position, like the server's $all reads.
      events = events.filter((r) =>
        options.direction === 'forwards' ? r.position.commit >= from.commit : r.position.commit <= from.commit,
      );
    }
    const page = events.slice(0, Number(options.maxCount));
    return (async function* () {
      for (const r of page) yield { event: r, commitPosition: r.position.commit };
    })();
  }

  async appendToStream(
    streamName: string,
    events: Array<{ id: string; type: string; data: unknown; metadata: Record<string, unknown> }>,
    options: { expectedRevision: 'no_stream' | bigint },
  ): Promise<{ nextExpectedRevision: bigint; position?: { commit: bigint; prepare: bigint } }> {
    this.appendCalls++;
    const hook = this.beforeNextAppend;
    this.beforeNextAppend = null;
    hook?.();
    const current = this.revisionOf(streamName);
    const ok =
      options.expectedRevision === 'no_stream' ? current === null : current !== null && BigInt(current) === options.expectedRevision;
    if (!ok) {
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected: options.expectedRevision,
        current: current === null ? 'no_stream' : BigInt(current),
      });
    }
    let last: FakeRecord | undefined;
    for (const e of events) {
      last = this.write(streamName, e.type, e.data, e.metadata);
      last.id = e.id;
    }
    return { nextExpectedRevision: last!.revision, position: last!.position };
  }

  subscribeToAll(options: { fromPosition: 'start' | { commit: bigint; prepare: bigint }; filter?: Filter }): SubscriptionSource {
    const stream = new PassThrough({ objectMode: true, highWaterMark: 4 });
    const filter = options.filter;
    const passes = (r: FakeRecord): boolean => {
      if (!filter) return true;
      const subject = filter.filterOn === 'eventType' ? r.type : r.streamId;
      return 'regex' in filter ? new RegExp(filter.regex).test(subject) : filter.prefixes.some((p) => subject.startsWith(p));
    };
    const from = options.fromPosition;
    // Subscriptions start strictly after their position.
    const after = from === 'start' ? -1n : from.commit;
    const sub = { push: (r: FakeRecord) => (passes(r) && r.position.commit > after ? stream.write({ event: r, commitPosition: r.position.commit }) : undefined) };
    for (const r of this.log) sub.push(r);
    this.subscribers.add(sub);
    const subscribers = this.subscribers;
    return Object.assign(stream, {
      unsubscribe: async () => {
        subscribers.delete(sub);
        stream.end();
      },
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

const newStore = (client = new FakeEsdbClient()) => ({ client, store: new EventStoreDbStore(client, { pageSize: 3 }) });

async function take(iterable: AsyncIterable<RecordedEvent>, n: number): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  if (n === 0) return out;
  for await (const e of iterable) {
    out.push(e);
    if (out.length >= n) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

describe('eventstoredb adapter: pure mapping', () => {
  it('normalises a new event: uuid, schemaVersion 1, occurredAt, JSON data', () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    const e = normaliseNewEvent({ type: 'CallPlaced', data: { when: at, skip: undefined } }, () => at);
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.schemaVersion).toBe(1);
    expect(e.metadata.occurredAt).toBe('2024-05-01T10:00:00.000Z');
    expect(e.data).toEqual({ when: '2024-05-01T10:00:00.000Z' });
    expect(normaliseNewEvent({ type: 'X', data: undefined }).data).toBeNull();
  });

  it('rejects non-uuid ids, $ types and reserved metadata keys; drops a stale hash chain', () => {
    expect(() => normaliseNewEvent({ id: 'evt-1', type: 'X', data: {} })).toThrow(/not a uuid/);
    expect(() => normaliseNewEvent({ type: '$metadata', data: {} })).toThrow(/reserves/);
    expect(() => normaliseNewEvent({ type: 'X', data: {}, metadata: { schemaVersion: 3 } as never })).toThrow(/reserved/);
    const e = normaliseNewEvent({ type: 'X', data: {}, metadata: { prevHash: 'a', hash: 'b', actor: 'cli' } as never });
    expect(e.metadata).not.toHaveProperty('hash');
    expect(e.metadata).not.toHaveProperty('prevHash');
    expect(e.metadata.actor).toBe('cli');
  });

  it('chains hashes from the stream tail and the chain verifies', () => {
    const events = [1, 2, 3].map((n) => normaliseNewEvent({ type: 'N', data: { n } }));
    const first = chainEvents(events.slice(0, 1), '', null);
    expect(first[0].revision).toBe(0);
    expect(first[0].metadata.prevHash).toBe('');
    const rest = chainEvents(events.slice(1), first[0].metadata.hash, 0);
    expect(rest.map((e) => e.revision)).toEqual([1, 2]);
    expect(rest[0].metadata.prevHash).toBe(first[0].metadata.hash);
    expect(rest[1].metadata.prevHash).toBe(rest[0].metadata.hash);
    const { hash, ...withoutHash } = rest[1].metadata;
    expect(hash).toBe(eventHash({ type: 'N', schemaVersion: 1, data: { n: 3 }, metadata: withoutHash, revision: 2 }));
    expect(findChainBreak([...first, ...rest])).toBeNull();
  });

  it('maps to an ESDB JSON event with $correlationId/$causationId and schemaVersion in metadata, and back', () => {
    const [chained] = chainEvents(
      [normaliseNewEvent({ type: 'AgentJoined', schemaVersion: 2, data: { a: 1 }, metadata: { correlationId: 'c1', causationId: 'k1', actor: 'admin:1', extra: 5 } })],
      '',
      null,
    );
    const esdb = toEsdbEvent(chained);
    expect(esdb).toMatchObject({ id: chained.id, contentType: 'application/json', type: 'AgentJoined', data: { a: 1 } });
    expect(esdb.metadata).toMatchObject({
      correlationId: 'c1', $correlationId: 'c1', causationId: 'k1', $causationId: 'k1', actor: 'admin:1',
      schemaVersion: 2, prevHash: '', hash: chained.metadata.hash, extra: 5,
    });
    // Round trip through the wire (JSON) and the client's recorded-event shape.
    const wire = JSON.parse(JSON.stringify(esdb)) as typeof esdb;
    const recorded = fromEsdbResolved({
      event: {
        streamId: 'agent-1', id: wire.id, revision: 0n, type: wire.type, created: new Date(), isJson: true,
        data: wire.data, metadata: wire.metadata, position: { commit: 4242n, prepare: 4242n },
      },
    })!;
    expect(recorded).toEqual({
      id: chained.id, streamId: 'agent-1', revision: 0, position: 4242n, type: 'AgentJoined', schemaVersion: 2,
      data: { a: 1 }, metadata: chained.metadata,
    });
    expect(findChainBreak([recorded])).toBeNull();
  });

  it('reads events written by other tools: ESDB-only correlation ids, missing metadata, no hash', () => {
    const created = new Date('2024-01-01T00:00:00.000Z');
    const { metadata, schemaVersion } = fromEsdbMetadata({ $correlationId: 'x', $causationId: 'y' }, created.toISOString());
    expect(schemaVersion).toBe(1);
    expect(metadata).toEqual({ correlationId: 'x', causationId: 'y', occurredAt: created.toISOString(), prevHash: '', hash: '' });
    expect(fromEsdbMetadata(new Uint8Array([1, 2]), 'T').metadata).toEqual({ occurredAt: 'T', prevHash: '', hash: '' });
  });

  it('drops system events and insists on a log position', () => {
    const base = { id: randomUUID(), revision: 0n, created: new Date(), data: {}, position: { commit: 1n, prepare: 1n } };
    expect(fromEsdbResolved({ event: { ...base, streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' } })).toBeNull();
    expect(fromEsdbResolved({ event: { ...base, streamId: 'call-1', type: '$>' } })).toBeNull();
    expect(fromEsdbResolved({})).toBeNull();
    const noPos = { ...base, streamId: 'call-1', type: 'X', position: { commit: NO_POSITION, prepare: NO_POSITION } };
    expect(() => fromEsdbResolved({ event: noPos })).toThrow(/22\.6/);
    expect(esdbPositionOf({ event: { ...noPos, position: { commit: NO_POSITION, prepare: 77n } } })).toBe(77n);
    expect(esdbPositionOf({ event: { ...noPos, position: undefined }, commitPosition: 88n })).toBe(88n);
  });

  it('converts checkpoints and expectations', () => {
    expect(toEsdbPosition(0n)).toEqual({ commit: 0n, prepare: 0n });
    expect(toEsdbPosition(123n)).toEqual({ commit: 123n, prepare: 123n });
    expect(() => toEsdbPosition(-1n)).toThrow(RangeError);
    expect(expectationHolds('any', null)).toBe(true);
    expect(expectationHolds('no_stream', null)).toBe(true);
    expect(expectationHolds('no_stream', 0)).toBe(false);
    expect(expectationHolds(3, 3)).toBe(true);
    expect(expectationHolds(3, null)).toBe(false);
    expect(fromEsdbCurrentRevision('no_stream')).toBeNull();
    expect(fromEsdbCurrentRevision(7n)).toBe(7);
  });

  it('builds filters: server side on one dimension, client side on all, never system events', () => {
    expect(serverFilterSpec()).toEqual({ on: 'eventType', regex: '^[^$].*' });
    const byType = serverFilterSpec({ eventTypes: ['Call.Placed', 'A|B'], streamPrefixes: ['call-'] });
    expect(byType.on).toBe('eventType');
    const re = new RegExp((byType as { regex: string }).regex);
    expect(['Call.Placed', 'A|B'].every((t) => re.test(t))).toBe(true);
    expect(['CallXPlaced', 'A', 'Call.Placed2'].some((t) => re.test(t))).toBe(false);
    expect(serverFilterSpec({ streamPrefixes: ['campaign-', 'call-'] })).toEqual({ on: 'streamName', prefixes: ['campaign-', 'call-'] });
    const f = { eventTypes: ['A'], streamPrefixes: ['call-'] };
    expect(matchesFilter({ streamId: 'call-1', type: 'A' }, f)).toBe(true);
    expect(matchesFilter({ streamId: 'agent-1', type: 'A' }, f)).toBe(false);
    expect(matchesFilter({ streamId: 'call-1', type: 'B' }, f)).toBe(false);
    expect(matchesFilter({ streamId: '$settings', type: 'A' })).toBe(false);
    expect(matchesFilter({ streamId: 'call-1', type: 'A' }, { eventTypes: [] })).toBe(false);
  });
});

describe('eventstoredb adapter: connection string', () => {
  it('fails a malformed EVENTSTORE_URL with one line naming it, without leaking the password', async () => {
    for (const bad of ['http://localhost:2113', 'esdb://admin:s3cr3t@localhost:notaport', 'esdb://localhost:2113?tls=maybe', '']) {
      const err = await openEventStoreDbStore(bad).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err).toBeInstanceOf(Error);
      expect(err!.message).toMatch(/^EVENTSTORE_URL is not a valid EventStoreDB connection string/);
      expect(err!.message).not.toContain('\n');
      expect(err!.message).not.toContain('s3cr3t');
    }
    expect(connectionStringErrorMessage('esdb://u:pw@h', new Error('Unexpected "pw" at 9\nmore'))).not.toMatch(/pw|\n/);
  });

  it('opens a well-formed one without a server (connection is lazy) and closes it', async () => {
    const store = await openEventStoreDbStore('esdb://localhost:2113?tls=false');
    expect(store.name).toBe('eventstoredb');
    await store.close();
    await expect(store.readAll()).rejects.toThrow(/closed/);
  });
});

describe('eventstoredb adapter: behaviour against an in-memory fake client', () => {
  it('appends with a verifiable hash chain, positions and revisions', async () => {
    const { store } = newStore();
    const r1 = await store.append('call-1', [{ type: 'A', data: { n: 1 }, metadata: { correlationId: 'c' } }], { expectedRevision: 'no_stream' });
    const r2 = await store.append('call-1', [{ type: 'B', data: { n: 2 } }, { type: 'C', data: { n: 3 } }], { expectedRevision: 0 });
    expect(r1.nextRevision).toBe(0);
    expect(r2.nextRevision).toBe(2);
    const events = await store.readStream('call-1');
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
    expect(events[2].position).toBe(r2.position);
    expect(events[0].position).toBe(r1.position);
    expect(events[0].metadata.correlationId).toBe('c');
    expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
    expect(findChainBreak(events)).toBeNull();
    expect(await store.streamRevision('call-1')).toBe(2);
    expect(await store.streamRevision('call-404')).toBeNull();
    expect(await store.readStream('call-404')).toEqual([]);
  });

  it('reads streams forwards and backwards with fromRevision and maxCount', async () => {
    const { store } = newStore();
    await store.append('s-1', [0, 1, 2, 3, 4].map((n) => ({ type: 'N', data: { n } })), { expectedRevision: 'any' });
    const revs = async (o: Parameters<typeof store.readStream>[1]) => (await store.readStream('s-1', o)).map((e) => e.revision);
    expect(await revs({ fromRevision: 2 })).toEqual([2, 3, 4]);
    expect(await revs({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
    expect(await revs({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
    expect(await revs({ direction: 'backwards', fromRevision: 3, maxCount: 2 })).toEqual([3, 2]);
    expect(await revs({ maxCount: 0 })).toEqual([]);
  });

  it('enforces explicit expectations before writing and maps the server conflict', async () => {
    const { client, store } = newStore();
    await store.append('c-1', [{ type: 'A', data: {} }], { expectedRevision: 'no_stream' });
    await expect(store.append('c-1', [{ type: 'B', data: {} }], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
      name: 'WrongExpectedRevisionError', expected: 'no_stream', actual: 0,
    });
    await expect(store.append('c-2', [{ type: 'B', data: {} }], { expectedRevision: 0 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    // A writer sneaks in between our tail read and our append: the server rejects, we report the port error.
    client.beforeNextAppend = () => client.write('c-1', 'Sneaky');
    await expect(store.append('c-1', [{ type: 'B', data: {} }], { expectedRevision: 0 })).rejects.toMatchObject({
      code: 'WRONG_EXPECTED_REVISION', expected: 0, actual: 1,
    });
  });

  it("retries 'any' appends that race another writer, re-hashing on the new tail", async () => {
    const { client, store } = newStore();
    await store.append('c-1', [{ type: 'A', data: {} }], { expectedRevision: 'any' });
    client.beforeNextAppend = () => client.write('c-1', 'Other', {}, { hash: 'h-other' });
    const calls = client.appendCalls;
    const r = await store.append('c-1', [{ type: 'B', data: {} }], { expectedRevision: 'any' });
    expect(client.appendCalls - calls).toBe(2);
    expect(r.nextRevision).toBe(2);
    const [, other, mine] = await store.readStream('c-1');
    expect(other.type).toBe('Other');
    expect(mine.metadata.prevHash).toBe('h-other');
  });

  it('skips events whose id is already in the stream; all skipped is a no-op at the head', async () => {
    const { client, store } = newStore();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const first = await store.append('c-1', [{ id: a, type: 'A', data: {} }, { id: b, type: 'B', data: {} }], { expectedRevision: 'no_stream' });
    await store.append('c-1', [{ type: 'X', data: {} }], { expectedRevision: 1 });
    const calls = client.appendCalls;
    // Retry of the first call with its original expectation: a successful no-op.
    const again = await store.append('c-1', [{ id: a, type: 'A', data: {} }, { id: b, type: 'B', data: {} }], { expectedRevision: 'no_stream' });
    expect(client.appendCalls).toBe(calls);
    expect(again.nextRevision).toBe(2);
    expect(again.position).toBe(await store.headPosition());
    expect(again.position).toBeGreaterThan(first.position);
    // Partly new: only the new one is written, and duplicates inside the call collapse.
    const mixed = await store.append('c-1', [{ id: b, type: 'B', data: {} }, { id: c, type: 'C', data: {} }, { id: c, type: 'C', data: {} }], { expectedRevision: 2 });
    expect(mixed.nextRevision).toBe(3);
    const events = await store.readStream('c-1');
    expect(events.map((e) => e.type)).toEqual(['A', 'B', 'X', 'C']);
    expect(findChainBreak(events)).toBeNull();
  });

  it('readAll: strictly after the checkpoint, paged, filtered, without system events', async () => {
    const { client, store } = newStore();
    client.write('$stats-node', '$statsCollected');
    await store.append('campaign-1', [{ type: 'CampaignCreated', data: {} }], { expectedRevision: 'no_stream' });
    client.write('$$campaign-1', '$metadata');
    await store.append('call-1', [1, 2, 3, 4].map((n) => ({ type: n % 2 ? 'Odd' : 'Even', data: { n } })), { expectedRevision: 'no_stream' });
    client.write('$et-Odd', '$>');
    await store.append('call-2', [{ type: 'Odd', data: { n: 5 } }], { expectedRevision: 'no_stream' });

    const all = await store.readAll();
    expect(all.map((e) => e.streamId)).toEqual(['campaign-1', 'call-1', 'call-1', 'call-1', 'call-1', 'call-2']);
    for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);

    const after = await store.readAll({ after: all[1].position });
    expect(after.map((e) => e.position)).toEqual(all.slice(2).map((e) => e.position));
    expect((await store.readAll({ after: all[1].position, maxCount: 2 })).map((e) => e.position)).toEqual(all.slice(2, 4).map((e) => e.position));
    expect(await store.readAll({ after: all[5].position })).toEqual([]);
    expect((await store.readAll({ filter: { eventTypes: ['Odd'] } })).map((e) => (e.data as { n: number }).n)).toEqual([1, 3, 5]);
    expect((await store.readAll({ filter: { streamPrefixes: ['call-'], eventTypes: ['Even'] } })).map((e) => (e.data as { n: number }).n)).toEqual([2, 4]);
    expect((await store.readAll({ filter: { streamPrefixes: ['campaign-'] }, maxCount: 5 })).length).toBe(1);
  });

  it('headPosition and listStreams ignore system streams', async () => {
    const { client, store } = newStore();
    expect(await store.headPosition()).toBe(0n);
    expect(await store.listStreams()).toEqual([]);
    const r = await store.append('call-2', [{ type: 'A', data: {} }], { expectedRevision: 'any' });
    await store.append('campaign-1', [{ type: 'A', data: {} }], { expectedRevision: 'any' });
    const last = await store.append('call-1', [{ type: 'A', data: {} }, { type: 'B', data: {} }], { expectedRevision: 'any' });
    for (let i = 0; i < 7; i++) client.write('$stats-node', '$statsCollected');
    expect(await store.headPosition()).toBe(last.position);
    expect(r.position).toBeLessThan(last.position);
    expect(await store.listStreams()).toEqual(['call-1', 'call-2', 'campaign-1']);
    expect(await store.listStreams('call-')).toEqual(['call-1', 'call-2']);
  });

  it('subscribeToAll: catches up strictly after the checkpoint, then goes live, filtered, and close ends a pending iteration', async () => {
    const { client, store } = newStore();
    await store.append('call-1', [1, 2, 3].map((n) => ({ type: 'N', data: { n } })), { expectedRevision: 'any' });
    const history = await store.readAll();
    const sub = store.subscribeToAll({ after: history[0].position, filter: { streamPrefixes: ['call-'] }, batchSize: 2 });
    const caughtUp = await take(sub, 2);
    expect(caughtUp.map((e) => e.position)).toEqual(history.slice(1).map((e) => e.position));
    client.write('$stats-node', '$statsCollected');
    await store.append('agent-1', [{ type: 'N', data: { n: 99 } }], { expectedRevision: 'any' });
    await store.append('call-2', [{ type: 'N', data: { n: 4 } }], { expectedRevision: 'any' });
    const [live] = await take(sub, 1);
    expect(live.streamId).toBe('call-2');
    expect(live.position).toBeGreaterThan(caughtUp[1].position);
    const it = sub[Symbol.asyncIterator]();
    const pending = it.next();
    await sub.close();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });
});

describe('eventstoredb adapter: subscription wrapper', () => {
  function fakeSource() {
    const stream = new PassThrough({ objectMode: true });
    const source = Object.assign(stream, { unsubscribed: false, unsubscribe: async () => { source.unsubscribed = true; stream.end(); } });
    return source;
  }
  const ev = (commit: bigint, streamId = 'call-1', type = 'A'): EsdbResolvedEventLike => ({
    event: { streamId, type, id: randomUUID(), revision: 0n, created: new Date(), data: {}, metadata: {}, position: { commit, prepare: commit } },
  });

  it('delivers each event once, strictly after the checkpoint, even if the server replays it', async () => {
    const src = fakeSource();
    const sub = wrapSubscription(() => src, { after: 20n });
    [ev(10n), ev(20n), ev(30n), ev(30n), ev(25n), ev(40n, '$stats'), ev(50n)].forEach((e) => src.write(e));
    expect((await take(sub, 1)).map((e) => e.position)).toEqual([30n]);
    // Breaking out of a loop does not lose the subscription's place.
    expect(src.unsubscribed).toBe(false);
    expect((await take(sub, 1)).map((e) => e.position)).toEqual([50n]);
    await sub.close();
    expect(src.unsubscribed).toBe(true);
  });

  it('surfaces a dropped subscription as an error from the iteration', async () => {
    const src = fakeSource();
    const sub = wrapSubscription(() => src);
    const pending = take(sub, 1);
    await new Promise((r) => setImmediate(r));
    src.emit('error', new Error('connection lost'));
    await expect(pending).rejects.toThrow('connection lost');
  });

  it('does not open the server subscription until iterated, and close before iterating is clean', async () => {
    let opened = 0;
    const sub = wrapSubscription(() => { opened++; return fakeSource(); });
    expect(opened).toBe(0);
    await sub.close();
    expect(await take(sub, 1)).toEqual([]);
    expect(opened).toBe(0);
  });
});
