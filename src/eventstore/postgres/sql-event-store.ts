import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  AllFilter,
} from '../event-store.port';
import {
  chainRows,
  expectationConflict,
  newEventsOnly,
  prepareEvents,
  StreamHead,
  validateExpected,
  validateStreamId,
} from './append-plan';
import { CoalescedNotifier } from './coalesced-notifier';
import { NotificationHub } from './notification-hub';
import {
  appendRowsSql,
  HEAD_POSITION_SQL,
  LIST_STREAMS_SQL,
  lockStreamSql,
  NOTIFY_CHANNEL,
  prefixPattern,
  readAllSql,
  READ_STREAM_BACKWARDS_SQL,
  READ_STREAM_FORWARDS_SQL,
  STREAM_REVISION_SQL,
} from './queries';
import { EventRow, toRecordedEvent } from './row-mapping';
import type { SqlDatabase } from './sql-database';
import { LogPage, PollingSubscription } from './subscription';

export interface SqlEventStoreOptions {
  /** Fallback poll of an idle subscription (a NOTIFY can be lost on reconnects). Default 500. */
  idlePollMs?: number;
  /** Re-poll while committed events wait on an older open transaction. Default 20. */
  blockedRepollMs?: number;
  /** readAll waits up to this long for events committed before the call to become readable. Default 2000. */
  readAllSettleMs?: number;
  /** Default subscription page size. Default 500. */
  batchSize?: number;
  /**
   * TEST ONLY. Hooks to prove the contract suite catches global-order gaps; never set them in
   * production. `unsafeDisableGapSafety` drops the readers' xmin filter (gap-safety.ts);
   * `beforeCommit` runs between inserting an append's rows (positions taken) and its COMMIT.
   */
  testHooks?: { unsafeDisableGapSafety?: boolean; beforeCommit?: () => Promise<void> };
  /** Called with errors nobody awaits (a failed NOTIFY, a dropped LISTEN connection). */
  onBackgroundError?: (err: unknown) => void;
}

type AppendOutcome = { ok: AppendResult; appended: boolean } | { conflict: Error };

/** The event store over any SqlDatabase: the single SQL implementation behind both adapters. */
export class SqlEventStore implements EventStore {
  private readonly notifier: CoalescedNotifier;
  private readonly hub: NotificationHub;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly readAllText: string;
  private closing: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly db: SqlDatabase,
    private readonly options: SqlEventStoreOptions = {},
  ) {
    const onError = options.onBackgroundError ?? (() => undefined);
    this.notifier = new CoalescedNotifier(() => db.notify(NOTIFY_CHANNEL), onError);
    this.hub = new NotificationHub((onNotify, onListenError) =>
      db.listen(NOTIFY_CHANNEL, onNotify, (err) => {
        onError(err);
        onListenError(err);
      }),
    );
    this.readAllText = readAllSql(!options.testHooks?.unsafeDisableGapSafety);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    validateStreamId(streamId);
    validateExpected(options.expectedRevision);
    const prepared = prepareEvents(events, () => new Date().toISOString());
    const beforeCommit = this.options.testHooks?.beforeCommit;

    const outcome = await this.db.withConnection<AppendOutcome>(async (conn) => {
      const [, [row]] = await conn.simpleQuery(lockStreamSql(streamId, prepared.filter((e) => e.callerId).map((e) => e.id)));
      const head: StreamHead = {
        revision: row.revision === null ? null : Number(row.revision),
        lastHash: (row.last_hash as string | null) ?? '',
        lastPosition: BigInt((row.last_position as string | null) ?? '0'),
      };
      const fresh = newEventsOnly(prepared, row.existing_ids as string[]);
      const unchanged = { nextRevision: head.revision ?? -1, position: head.lastPosition };
      if (fresh.length === 0 && prepared.length > 0) {
        // Every event is already in the stream: a retried append. Success, whatever was expected.
        await conn.simpleQuery('ROLLBACK');
        return { ok: unchanged, appended: false };
      }
      const conflict = expectationConflict(streamId, options.expectedRevision, head.revision);
      if (conflict || fresh.length === 0) {
        await conn.simpleQuery('ROLLBACK');
        return conflict ? { conflict } : { ok: unchanged, appended: false };
      }
      const rows = chainRows(head, fresh);
      const last = rows[rows.length - 1];
      const insert = appendRowsSql(streamId, JSON.stringify(rows), last.revision, last.metadata.hash);
      let lastPosition: string;
      if (beforeCommit) {
        [[{ last_position: lastPosition }]] = (await conn.simpleQuery(insert)) as [[{ last_position: string }]];
        await beforeCommit();
        await conn.simpleQuery('COMMIT');
      } else {
        // Insert and COMMIT in one round trip; if the insert fails, the COMMIT is skipped.
        [[{ last_position: lastPosition }]] = (await conn.simpleQuery(`${insert};\nCOMMIT`)) as [[{ last_position: string }]];
      }
      return { ok: { nextRevision: last.revision, position: BigInt(lastPosition) }, appended: true };
    });

    if ('conflict' in outcome) throw outcome.conflict;
    if (outcome.appended) this.notifier.poke();
    return outcome.ok;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 2 ** 31 - 1 : 0);
    const rows = await this.db.query<EventRow>(
      backwards ? READ_STREAM_BACKWARDS_SQL : READ_STREAM_FORWARDS_SQL,
      [streamId, from, options.maxCount ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  /**
   * Gap-safe (gap-safety.ts), and read-your-writes: if events committed before the call are not
   * yet readable because an older transaction is still open, waits for them (up to
   * readAllSettleMs, then returns the safe prefix).
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = options.after ?? 0n;
    const limit = options.maxCount ?? null;
    const deadline = Date.now() + (this.options.readAllSettleMs ?? 2000);
    let target: bigint | null = null;
    for (;;) {
      const page = await this.readPage(after, limit, options.filter);
      target ??= page.committedHead;
      const full = limit !== null && page.events.length >= limit;
      if (full || page.coveredUpTo >= target || Date.now() >= deadline) return page.events;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const sub = new PollingSubscription(
      (after, limit, filter) => this.readPage(after, limit, filter),
      this.hub,
      { after: options.after, filter: options.filter, batchSize: options.batchSize ?? this.options.batchSize ?? 500 },
      { idlePollMs: this.options.idlePollMs ?? 500, blockedRepollMs: this.options.blockedRepollMs ?? 20 },
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(sub);
    return sub;
  }

  async streamRevision(streamId: string): Promise<number | null> {
    this.assertOpen();
    const [row] = await this.db.query<{ revision: number }>(STREAM_REVISION_SQL, [streamId]);
    return row ? Number(row.revision) : null;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const [row] = await this.db.query<{ head: string }>(HEAD_POSITION_SQL, []);
    return BigInt(row.head);
  }

  async listStreams(prefix?: string): Promise<string[]> {
    this.assertOpen();
    const rows = await this.db.query<{ stream_id: string }>(
      LIST_STREAMS_SQL,
      [prefix === undefined ? null : prefixPattern(prefix)]
    );
    return rows.map((r) => r.stream_id);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.close()));
      await this.hub.close();
      await this.notifier.close();
      await this.db.close();
    })();
    return this.closing;
  }

  private async readPage(
    after: bigint,
    limit: number | null,
    filter: AllFilter | undefined,
  ): Promise<LogPage & { committedHead: bigint }> {
    const types = filter?.eventTypes ? JSON.stringify(filter.eventTypes) : null;
    const prefixes = filter?.streamPrefixes ? JSON.stringify(filter.streamPrefixes.map(prefixPattern)) : null;
    const rows = await this.db.query<EventRow & { readable_head: string | null; committed_head: string | null }>(
      this.readAllText,
      [after.toString(), types, prefixes, limit],
    );
    const first = rows[0];
    const readableHead = BigInt(first?.readable_head ?? '0');
    const committedHead = BigInt(first?.committed_head ?? '0');
    const events = rows.filter((r) => r.position !== null).map(toRecordedEvent);
    return {
      events,
      coveredUpTo: readableHead > after ? readableHead : after,
      blocked: committedHead > readableHead,
      committedHead,
    };
  }

  private assertOpen(): void {
    if (this.closing) throw new Error(`event store ${this.name} is closed`);
  }
}
