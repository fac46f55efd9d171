import type { EventStore, RecordedEvent } from '../../src/eventstore/event-store.port';
import { NotificationHub } from '../../src/eventstore/postgres/notification-hub';
import { LogPage, PollingSubscription, ReadPage } from '../../src/eventstore/postgres/subscription';
import { openPgliteReadModelDatabase, ProjectionRunner, ReadModelDatabase } from '../../src/projections';
import type { Projection } from '../../src/projections/projection';
import { noUpcast } from '../../src/shared/upcasters';

/**
 * How the runner cuts batches from a live subscription: it takes what is buffered, and waits for
 * a read of the log already under way (once per batch), never for new appends; and while it
 * applies a batch it leaves no read pending, so what is appended meanwhile comes in one read.
 */

const event = (position: number): RecordedEvent =>
  ({ position: BigInt(position), streamId: `call-${position}`, revision: 0, id: `e${position}`, type: 'ProbeSeen', schemaVersion: 1, data: {}, metadata: {} }) as unknown as RecordedEvent;

const page = (after: bigint, positions: number[]): LogPage => {
  const events = positions.map(event).filter((e) => e.position > after);
  return { events, coveredUpTo: events.length > 0 ? events[events.length - 1].position : after, blocked: false };
};

/** One row per event applied; its write is how the test sees which batch an event was in. */
const probe: Projection = {
  name: 'probe',
  version: 1,
  schemaSql: 'CREATE TABLE IF NOT EXISTS probe_seen (position bigint PRIMARY KEY);',
  tables: ['probe_seen'],
  handle: (e) => [{ sql: 'INSERT INTO probe_seen (position) VALUES ($1::bigint)', params: [e.position.toString()] }],
};

/** `db`, recording the positions each committed transaction wrote to probe_seen. */
function recordingBatches(db: ReadModelDatabase, batches: string[][]): ReadModelDatabase {
  return {
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    transaction: async (fn, settings, opening) => {
      const batch: string[] = [];
      const value = await db.transaction((tx, opened) =>
        fn({
          query: (sql, params) => {
            if (sql.startsWith('INSERT INTO probe_seen')) batch.push(String(params?.[0]));
            return tx.query(sql, params);
          },
          exec: (sql) => tx.exec(sql),
        }, opened),
        settings,
        opening,
      );
      if (batch.length > 0) batches.push(batch);
      return value;
    },
  };
}

/** A hub whose NOTIFYs the test sends: notify(position) as an append's, notify() as a blind one. */
function fakeNotifications(): { hub: NotificationHub; notify: (appendedUpTo?: bigint) => void } {
  let onNotify: (appendedUpTo?: bigint) => void = () => undefined;
  const hub = new NotificationHub(async (listener) => {
    onNotify = listener;
    return async () => undefined;
  });
  return { hub, notify: (appendedUpTo) => onNotify(appendedUpTo) };
}

/** A store whose subscriptions read `readPage` and never poll by themselves. */
function fakeStore(readPage: ReadPage, hub: NotificationHub): { store: EventStore; subscriptions: PollingSubscription[] } {
  const idle = { idlePollMs: 60_000, firstBlockedRepollMs: 60_000, blockedRepollMs: 60_000 };
  const subscriptions: PollingSubscription[] = [];
  const store = {
    subscribeToAll: (options: { after?: bigint; batchSize?: number }) => {
      const subscription = new PollingSubscription(readPage, hub, { after: options.after, batchSize: options.batchSize ?? 100 }, idle, () => undefined);
      subscriptions.push(subscription);
      return subscription;
    },
  } as unknown as EventStore;
  return { store, subscriptions };
}

describe('ProjectionRunner batches', () => {
  it('waits for the read under way when it closes a batch: events a round trip away join it', async () => {
    const { hub, notify } = fakeNotifications();
    let reads = 0;
    const readPage: ReadPage = async (after) => {
      reads++;
      if (reads === 1) {
        notify(); // calls 2 and 3 are appended while this read runs
        return page(after, [1]);
      }
      if (reads === 2) {
        await new Promise((resolve) => setTimeout(resolve, 20)); // a round trip, longer than the buffered check
        return page(after, [1, 2, 3]);
      }
      return page(after, []);
    };
    const { store, subscriptions } = fakeStore(readPage, hub);
    const batches: string[][] = [];
    const db = await openPgliteReadModelDatabase();
    const runner = new ProjectionRunner({ store, db: recordingBatches(db, batches), projections: [probe], upcast: noUpcast });
    try {
      await runner.start();
      await runner.waitFor(3n, 20_000);
      expect(batches).toEqual([['1', '2', '3']]);
      expect(reads).toBe(2); // and no read for new appends: the third would only come on a NOTIFY
    } finally {
      await runner.stop();
      await Promise.all(subscriptions.map((s) => s.close()));
      await db.close();
    }
  });

  it('reads nothing while it applies a batch; what was appended meanwhile comes in one read after the commit', async () => {
    const { hub, notify } = fakeNotifications();
    const log = [1];
    let reads = 0;
    const readPage: ReadPage = async (after) => {
      reads++;
      return page(after, [...log]);
    };
    const { store, subscriptions } = fakeStore(readPage, hub);
    const batches: string[][] = [];
    const db = await openPgliteReadModelDatabase();
    // The first batch (a runner's batch is the transaction with an opening) waits for `release`.
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let applying = (): void => undefined;
    const firstBatchApplying = new Promise<void>((resolve) => (applying = resolve));
    const recording = recordingBatches(db, batches);
    const gated: ReadModelDatabase = {
      ...recording,
      transaction: async (fn, settings, opening) => {
        if (opening && batches.length === 0) {
          applying();
          await released;
        }
        return recording.transaction(fn, settings, opening);
      },
    };
    const runner = new ProjectionRunner({ store, db: gated, projections: [probe], upcast: noUpcast });
    try {
      await runner.start();
      await firstBatchApplying;
      expect(reads).toBe(1);
      for (const position of [2, 3, 4]) {
        log.push(position);
        notify(BigInt(position)); // as an append's NOTIFY says: the log now reaches this position
        await new Promise((resolve) => setImmediate(resolve));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(reads).toBe(1); // the busy runner made no next() that would read for it
      release();
      await runner.waitFor(4n, 20_000);
      expect(batches).toEqual([['1'], ['2', '3', '4']]);
      expect(reads).toBe(2);
      notify(4n); // a NOTIFY for what the last read already had: nothing to read
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(reads).toBe(2);
    } finally {
      await runner.stop();
      await Promise.all(subscriptions.map((s) => s.close()));
      await db.close();
    }
  });
});
