import { Client } from 'pg';
import type { EventStore } from '../../../src/eventstore/event-store.port';
import { openPostgresEventStore } from '../../../src/eventstore/postgres';
import { allProjections, openPostgresReadModelDatabase, ReadModelDatabase } from '../../../src/projections';
import { rebuildProjection, SwapWait } from '../../../src/projections/rebuild';
import { swapPatiently } from '../../../src/projections/rebuild/patient-swap';
import { createTestDatabase, TestDatabase } from '../../support/postgres-test-db';
import { appendScenario } from '../scenario';
import { liveModels } from './fixtures';

/**
 * A swap needs the live tables to itself for a moment; an analyst's long query holds them. The
 * swap must not wait on it unboundedly -- every reader that comes after would queue behind the
 * swap's lock request -- but give up the lock after its timeout, let readers through, and try
 * again. PostgreSQL only: PGlite has one connection, so nothing there can hold a table meanwhile.
 */
const DATABASE_URL = process.env.DATABASE_URL;

describe('swapPatiently (no server)', () => {
  /** A database whose first `failures` transactions fail like a lock_timeout; records each one's settings. */
  const flaky = (failures: number, error: object = { code: '55P03', message: 'canceling statement due to lock timeout' }) => {
    const ran: string[] = [];
    let left = failures;
    const db = {
      query: async () => [],
      exec: async () => undefined,
      close: async () => undefined,
      transaction: async <T>(fn: (tx: { query: () => Promise<never[]>; exec: () => Promise<void> }) => Promise<T>, settings = ''): Promise<T> => {
        ran.push(settings);
        const value = await fn({ query: async () => [], exec: async () => undefined });
        if (left-- > 0) throw Object.assign(new Error('lock timeout'), error);
        return value;
      },
    } as unknown as ReadModelDatabase;
    return { db, ran };
  };

  it('sets the lock timeout in each attempt and retries only lock timeouts', async () => {
    const { db, ran } = flaky(2);
    let rolledBack = 0;
    const waits: number[] = [];
    const value = await swapPatiently(db, 'calls', async () => 'swapped', { lockTimeoutMs: 75, pauseMs: () => 1, onWait: (w) => waits.push(w.attempt) }, () => rolledBack++);
    expect(value).toBe('swapped');
    expect(ran).toEqual(['SET LOCAL lock_timeout = 75', 'SET LOCAL lock_timeout = 75', 'SET LOCAL lock_timeout = 75']);
    expect(waits).toEqual([1, 2]);
    expect(rolledBack).toBe(2);

    const other = flaky(1, { code: '40P01', message: 'deadlock detected' });
    await expect(swapPatiently(other.db, 'calls', async () => 'swapped', { pauseMs: () => 1 })).rejects.toMatchObject({ code: '40P01' });
    expect(other.ran).toHaveLength(1);
  });
});

if (DATABASE_URL) describe('swap waits for a long query on the live tables, boundedly (postgres)', () => {
  let database: TestDatabase;
  let store: EventStore;
  let db: ReadModelDatabase;
  let blocker: Client;
  const calls = allProjections().find((p) => p.name === 'calls')!;

  beforeEach(async () => {
    database = await createTestDatabase(DATABASE_URL!, 'siren_patient_swap');
    store = await openPostgresEventStore(database.url, { idlePollMs: 50 });
    db = await openPostgresReadModelDatabase(database.url);
    await appendScenario(store);
    await rebuildProjection({ store, db, projection: calls, projections: allProjections() });
    blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    // An analyst's report that has not finished: its transaction holds the table it read.
    await blocker.query(`BEGIN; SELECT count(*) FROM siren_rm.${calls.tables[0]}`);
  });
  afterEach(async () => {
    await blocker.end();
    await db.close();
    await store.close();
    await database.drop();
  });

  const reader = async (): Promise<number> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(`SELECT count(*)::int AS n FROM siren_rm.${calls.tables[0]}`)).rows[0].n;
    } finally {
      await client.end();
    }
  };

  it('lets readers through between attempts and swaps once the long query ends', async () => {
    const before = await liveModels(db);
    const waits: SwapWait[] = [];
    let firstWait!: () => void;
    const waited = new Promise<void>((resolve) => (firstWait = resolve));
    const rebuild = rebuildProjection({
      store, db, projection: calls, projections: allProjections(),
      swap: { lockTimeoutMs: 100, pauseMs: () => 50, onWait: (w) => (waits.push(w), firstWait()) },
    });
    await waited;
    // Issued while the swap keeps trying: it must finish although the long query still holds the table.
    const read = reader();
    const outcome = await Promise.race([read.then((n) => `read ${n}`), new Promise((r) => setTimeout(() => r('reader still waiting'), 5000))]);
    expect(outcome).toBe(`read ${before[calls.tables[0]].length}`);

    await blocker.query('COMMIT');
    const result = await rebuild;
    expect(result.projection).toBe('calls');
    expect(waits[0]).toMatchObject({ projection: 'calls', attempt: 1, attempts: 30, lockTimeoutMs: 100 });
    expect(await liveModels(db)).toEqual(before);
  });

  it('gives up with a clear error after its attempts, leaving the live model as it was', async () => {
    const before = await liveModels(db);
    const waits: SwapWait[] = [];
    await expect(
      rebuildProjection({
        store, db, projection: calls, projections: allProjections(),
        swap: { lockTimeoutMs: 50, attempts: 3, pauseMs: () => 10, onWait: (w) => waits.push(w) },
      }),
    ).rejects.toThrow(/swap of calls gave up after 3 attempts: each waited 50 ms/);
    expect(waits.map((w) => w.attempt)).toEqual([1, 2]);
    await blocker.query('COMMIT');
    expect(await liveModels(db)).toEqual(before);
  });
});
