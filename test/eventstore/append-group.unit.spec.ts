import { AppendBatcher, Pending } from '../../src/eventstore/postgres/append-batcher';
import { AppendRequest, LockedStream, planGroup, prepareEvents } from '../../src/eventstore/postgres/append-plan';
import { findChainBreak } from '../../src/eventstore/hash-chain';
import { WrongExpectedRevisionError } from '../../src/eventstore/event-store.port';

const now = () => '2026-11-21T10:00:00.000Z';
const events = (...types: string[]) => prepareEvents(types.map((type) => ({ type, data: { type } })), now);
const fresh = (): LockedStream => ({ head: { revision: null, lastHash: '', lastPosition: 0n }, existingIds: [] });
/** What the database stores of a planned row: the JSON texts, read back as jsonb would give them. */
const asStored = (r: ReturnType<typeof planGroup>['rows'][number]) => ({
  revision: r.revision,
  type: r.type,
  schemaVersion: r.schema_version,
  data: JSON.parse(r.data),
  metadata: JSON.parse(r.metadata),
});

describe('planGroup: several callers in one transaction', () => {
  it('applies requests in order, each against the stream as the previous one left it', () => {
    const requests: AppendRequest[] = [
      { streamId: 'call-1', events: events('CallRequested'), expected: 'no_stream' },
      { streamId: 'call-1', events: events('CallOriginated', 'CallAnswered'), expected: 0 },
      { streamId: 'call-2', events: events('CallRequested'), expected: 'any' },
    ];
    const plan = planGroup(requests, new Map([['call-1', fresh()], ['call-2', fresh()]]));
    expect(plan.outcomes).toEqual([
      { kind: 'write', streamId: 'call-1', lastRevision: 0, lastOrd: 0 },
      { kind: 'write', streamId: 'call-1', lastRevision: 2, lastOrd: 2 },
      { kind: 'write', streamId: 'call-2', lastRevision: 0, lastOrd: 3 },
    ]);
    expect(plan.rows.map((r) => [r.stream_id, r.revision, r.ord])).toEqual([
      ['call-1', 0, 0], ['call-1', 1, 1], ['call-1', 2, 2], ['call-2', 0, 3],
    ]);
    const call1 = plan.rows.filter((r) => r.stream_id === 'call-1');
    const stored = call1.map(asStored);
    expect(findChainBreak(stored)).toBeNull();
    expect(stored[2].metadata.hash).toBe(call1[2].hash);
    expect(plan.heads).toEqual([
      { stream_id: 'call-1', revision: 2, last_hash: call1[2].hash, ord: 2 },
      { stream_id: 'call-2', revision: 0, last_hash: expect.any(String), ord: 3 },
    ]);
  });

  it('stores and hashes exactly what verification later recomputes from the stored JSON', () => {
    const odd = prepareEvents(
      [
        { type: 'A', data: { z: new Date('2026-01-01T00:00:00Z'), a: [undefined, 1] }, metadata: { actor: 'x', 7: 'seven', 12: 'twelve', zz: 1 } },
        { type: 'B', data: 'text', metadata: { occurredAt: new Date('2026-02-02T00:00:00Z') as unknown as string, prevHash: 'forged', hash: 'forged' } },
        { type: 'C', data: undefined, metadata: { causationId: 'c', pz: { b: 1, a: 2 } } },
      ],
      now,
    );
    const plan = planGroup([{ streamId: 'call-9', events: odd, expected: 'any' }], new Map([['call-9', fresh()]]));
    const stored = plan.rows.map(asStored);
    expect(findChainBreak(stored)).toBeNull();
    expect(stored[0].metadata).toEqual({ actor: 'x', 7: 'seven', 12: 'twelve', zz: 1, occurredAt: now(), prevHash: '', hash: plan.rows[0].hash });
    expect(stored[1].metadata.occurredAt).toBe('2026-02-02T00:00:00.000Z');
    expect(stored[1].metadata.prevHash).toBe(plan.rows[0].hash);
    expect(stored[2].data).toBeNull();
    expect(stored.map((e) => e.metadata.occurredAt)).toEqual([now(), '2026-02-02T00:00:00.000Z', now()]);
  });

  it('refuses a request whose expectation fails alone, and writes the others', () => {
    const requests: AppendRequest[] = [
      { streamId: 'call-1', events: events('CallRequested'), expected: 'no_stream' },
      { streamId: 'call-1', events: events('CallRequested'), expected: 'no_stream' },
      { streamId: 'call-2', events: events('CallRequested'), expected: 'no_stream' },
    ];
    const plan = planGroup(requests, new Map([['call-1', fresh()], ['call-2', fresh()]]));
    expect(plan.outcomes[0].kind).toBe('write');
    expect(plan.outcomes[1]).toEqual({ kind: 'conflict', error: expect.any(WrongExpectedRevisionError) });
    expect(plan.outcomes[2].kind).toBe('write');
    expect(plan.rows).toHaveLength(2);
  });

  it('treats a re-append of stored event ids as a successful no-op', () => {
    const stored = events('CallRequested');
    const locked = new Map([['call-1', { head: { revision: 0, lastHash: 'h0', lastPosition: 7n }, existingIds: [stored[0].id] }]]);
    const plan = planGroup([{ streamId: 'call-1', events: stored, expected: 'no_stream' }], locked);
    expect(plan.outcomes).toEqual([{ kind: 'unchanged', nextRevision: 0, position: 7n }]);
    expect(plan.rows).toHaveLength(0);
  });
});

describe('AppendBatcher', () => {
  it('groups appends that arrive while a transaction is in flight, within the event limit', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const firstFlushBlocked = new Promise<void>((r) => (release = r));
    const batcher = new AppendBatcher<{ events: number[] }, number>(
      async (group: Pending<{ events: number[] }, number>[]) => {
        groups.push(group.map((p) => p.request.events[0]));
        if (groups.length === 1) await firstFlushBlocked;
        group.forEach((p) => p.resolve(p.request.events[0]));
      },
      { concurrency: 1, maxEvents: 3 },
    );
    const results = Promise.all([1, 2, 3, 4, 5, 6].map((n) => batcher.submit({ events: [n] })));
    release();
    expect(await results).toEqual([1, 2, 3, 4, 5, 6]);
    expect(groups).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('rejects every caller of a group whose flush fails', async () => {
    const batcher = new AppendBatcher<{ events: number[] }, number>(async () => {
      throw new Error('database gone');
    }, { concurrency: 1, maxEvents: 10 });
    await expect(batcher.submit({ events: [1] })).rejects.toThrow('database gone');
  });
});
