import type {
  AppendOptions,
  AppendResult,
  EventPayload,
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
  AppendRequest,
  GroupPlan,
  LockedStream,
  planGroup,
  prepareEvents,
  RequestOutcome,
  rowColumns,
  validateExpected,
  validateStreamId,
} from './append-plan';
import { AppendBatcher, Pending } from './append-batcher';
import { StreamHeadCache } from './stream-head-cache';
import { CoalescedNotifier } from './coalesced-notifier';
import { localTransactions } from './local-transactions';
import { NotificationHub } from './notification-hub';
import {
  APPEND_PLANNED,
  APPEND_SERIALIZED,
  appendGroupSql,
  HEAD_POSITION_SQL,
  LIST_STREAMS_SQL,
  lockStreamsSql,
  NOTIFY_CHANNEL,
  prefixPattern,
  readAllSql,
  READ_STREAM_BACKWARDS_SQL,
  READ_STREAM_FORWARDS_SQL,
  STREAM_REVISION_SQL,
} from './queries';
import { EventRow, parseEventPage, parsePayloadPage, toEventPayload, toRecordedEvent } from './row-mapping';
import type { ExclusiveConnection, NamedStatement, SqlDatabase } from './sql-database';
import { LogPage, PollingSubscription } from './subscription';

export interface SqlEventStoreOptions {
  /** Fallback poll of an idle subscription (a NOTIFY can be lost on reconnects). Default 500. */
  idlePollMs?: number;
  /**
   * Re-poll while committed events wait on an older open transaction: first after
   * firstBlockedRepollMs (default 1), doubling while nothing new is readable, up to
   * blockedRepollMs (default 20). See subscription.ts.
   */
  blockedRepollMs?: number;
  firstBlockedRepollMs?: number;
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
  /** Append transactions in flight at once (group commit, append-batcher.ts). Default 2 (measured best on 2 cores). */
  appendConcurrency?: number;
  /** Most events written in one append transaction. Default 1000. */
  maxEventsPerTransaction?: number;
  /**
   * Read pages of the global log as one JSON text per page instead of a row per event (see
   * readAllSql). Default: on a serialized database (PGlite), where it was measured to win (a
   * rebuild of 200k events ~20% less CPU). On PostgreSQL it was not: the Node side saves less
   * than the server spends building the text.
   */
  pageAsJson?: boolean;
  /** Called with errors nobody awaits (a failed NOTIFY, a dropped LISTEN connection). */
  onBackgroundError?: (err: unknown) => void;
}

interface WrittenGroup {
  outcomes: RequestOutcome[];
  /** Position of the group's first row; row k (its ord) is at firstPosition + k. */
  firstPosition: bigint;
  /** New head of every written stream. */
  heads: GroupPlan['heads'];
}

/** The event store over any SqlDatabase: the single SQL implementation behind both adapters. */
export class SqlEventStore implements EventStore {
  private readonly notifier: CoalescedNotifier;
  private readonly hub: NotificationHub;
  private readonly subscriptions = new Set<PollingSubscription>();
  /**
   * The page read, as a statement each PostgreSQL connection prepares once (a subscription reads a
   * page per batch: planning it every time cost more than running it). On PGlite, plain text: its
   * JSON page is one row, and PGlite's EXECUTE would inline the parameters as literals.
   */
  private readonly readAllText: string | NamedStatement;
  /** readAllText without ids and metadata (readPayloads). */
  private readonly readPayloadsText: string | NamedStatement;
  /** readAllText returns the page as one JSON text (see readAllSql) rather than a row per event. */
  private readonly pageAsJson: boolean;
  private closing: Promise<void> | null = null;
  private readonly batcher: AppendBatcher<AppendRequest, AppendResult>;
  private readonly heads = new StreamHeadCache();

  constructor(
    readonly name: string,
    private readonly db: SqlDatabase,
    private readonly options: SqlEventStoreOptions = {},
  ) {
    const onError = options.onBackgroundError ?? (() => undefined);
    this.notifier = new CoalescedNotifier((appendedUpTo) => db.notify(NOTIFY_CHANNEL, appendedUpTo), onError);
    this.hub = new NotificationHub((onNotify, onListenError) =>
      db.listen(NOTIFY_CHANNEL, onNotify, (err) => {
        onError(err);
        onListenError(err);
      }),
    );
    this.pageAsJson = options.pageAsJson ?? db.serialized;
    const gapSafe = !options.testHooks?.unsafeDisableGapSafety;
    const statement = (payloadOnly: boolean): string | NamedStatement => {
      const text = readAllSql(gapSafe, this.pageAsJson, payloadOnly);
      const name = `siren_read_${payloadOnly ? 'payloads' : 'all'}${gapSafe ? '' : '_unsafe'}${this.pageAsJson ? '_json' : ''}`;
      return db.serialized ? text : { name, text };
    };
    this.readAllText = statement(false);
    this.readPayloadsText = statement(true);
    this.batcher = new AppendBatcher((group) => this.writeGroup(group), {
      concurrency: options.appendConcurrency ?? 2,
      maxEvents: options.maxEventsPerTransaction ?? 1000,
    });
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    validateStreamId(streamId);
    validateExpected(options.expectedRevision);
    const prepared = prepareEvents(events, () => new Date().toISOString());
    return this.batcher.submit({ streamId, events: prepared, expected: options.expectedRevision });
  }

  /**
   * Writes one group of appends in one transaction: first optimistically against the stream heads
   * this process remembers (one round trip), else by locking and reading the heads (two). Every
   * request is planned on its own (planGroup); if the transaction itself fails, each request is
   * retried alone, so one caller's problem never becomes another's.
   */
  private async writeGroup(group: Pending<AppendRequest, AppendResult>[]): Promise<void> {
    try {
      await this.writeGroupTransaction(group);
    } finally {
      // Committed or rolled back, its xid no longer holds back the readable horizon: a
      // subscription of this process blocked on it re-reads now (local-transactions.ts).
      localTransactions.ended();
    }
  }

  private async writeGroupTransaction(group: Pending<AppendRequest, AppendResult>[]): Promise<void> {
    const requests = group.map((p) => p.request);
    let written = await this.writeAgainstKnownHeads(requests);
    if (!written) {
      try {
        written = await this.db.withConnection((conn) => this.groupTransaction(conn, requests));
      } catch (error) {
        if (group.length === 1) throw error;
        await Promise.all(group.map((p) => this.writeGroupTransaction([p])));
        return;
      }
    }
    const { outcomes, firstPosition } = written;
    let appendedUpTo: bigint | null = null;
    group.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.kind === 'conflict') return pending.reject(outcome.error);
      if (outcome.kind === 'unchanged') {
        return pending.resolve({ nextRevision: outcome.nextRevision, position: outcome.position });
      }
      const position = firstPosition + BigInt(outcome.lastOrd);
      if (appendedUpTo === null || position > appendedUpTo) appendedUpTo = position;
      pending.resolve({ nextRevision: outcome.lastRevision, position });
    });
    for (const head of written.heads) {
      this.heads.remember(head.stream_id, {
        revision: head.revision,
        lastHash: head.last_hash,
        lastPosition: firstPosition + BigInt(head.ord),
      });
    }
    if (appendedUpTo !== null) {
      this.hub.fireAll(appendedUpTo); // this process's subscriptions, at once
      this.notifier.poke(appendedUpTo); // other processes', through the server
    }
  }

  /** The one-round-trip path (stream-head-cache.ts); null when a remembered head was stale. */
  private async writeAgainstKnownHeads(requests: AppendRequest[]): Promise<WrittenGroup | null> {
    const streamIds = lockOrder(requests);
    const locked = new Map<string, LockedStream>(streamIds.map((id) => [id, { head: this.heads.get(id), existingIds: [] }]));
    // Only the outcomes and heads are kept past the round trip: the rows are in the parameters by
    // then, and letting them die here spares the garbage collector copying them while we wait.
    const planned = plannedStatement(planGroup(requests, locked), streamIds, this.db.serialized);
    // Refusals and no-ops must be judged on the real heads, not on what we remember.
    if (!planned) return null;
    const { outcomes, heads, statement, params } = planned;
    const beforeCommit = this.options.testHooks?.beforeCommit;
    let first: string;
    try {
      if (!beforeCommit) {
        [{ first_position: first }] = await this.db.query<{ first_position: string }>(statement, params);
      } else {
        first = await this.db.withConnection(async (conn) => {
          await conn.simpleQuery('BEGIN');
          const [row] = await conn.query<{ first_position: string }>(statement.text, params);
          await beforeCommit();
          await conn.simpleQuery('COMMIT');
          return row.first_position;
        });
      }
    } catch {
      // Mostly a unique violation: a remembered head was stale, or a caller-chosen event id is
      // already stored (a retried append). The read-first path sorts both out, and reports any
      // real failure (an outage fails there too).
      streamIds.forEach((id) => this.heads.forget(id));
      return null;
    }
    return { outcomes, firstPosition: BigInt(first), heads };
  }

  private async groupTransaction(conn: ExclusiveConnection, requests: AppendRequest[]): Promise<WrittenGroup> {
    const streamIds = lockOrder(requests);
    const callerIds: Record<string, string[]> = {};
    for (const r of requests) {
      for (const e of r.events) if (e.callerId) (callerIds[r.streamId] ??= []).push(e.id);
    }
    const [, lockedRows] = await conn.simpleQuery(lockStreamsSql(streamIds, callerIds));
    const locked = new Map<string, LockedStream>();
    for (const row of lockedRows) {
      locked.set(row.stream_id as string, {
        head: {
          revision: row.revision === null ? null : Number(row.revision),
          lastHash: (row.last_hash as string | null) ?? '',
          lastPosition: BigInt((row.last_position as string | null) ?? '0'),
        },
        existingIds: row.existing_ids as string[],
      });
    }
    const plan = planGroup(requests, locked);
    if (plan.rows.length === 0) {
      await conn.simpleQuery('ROLLBACK');
      for (const [id, l] of locked) if (l.head.revision !== null) this.heads.remember(id, l.head);
      return { outcomes: plan.outcomes, firstPosition: 0n, heads: [] };
    }
    const insert = appendGroupSql(rowColumns(plan.rows, streamIds), JSON.stringify(plan.heads), this.db.serialized);
    const beforeCommit = this.options.testHooks?.beforeCommit;
    let result: [[{ first_position: string }]];
    if (beforeCommit) {
      result = (await conn.simpleQuery(insert)) as typeof result;
      await beforeCommit();
      await conn.simpleQuery('COMMIT');
    } else {
      // Insert and COMMIT in one round trip; if the insert fails, the COMMIT is skipped.
      result = (await conn.simpleQuery(`${insert};\nCOMMIT`)) as typeof result;
    }
    return { outcomes: plan.outcomes, firstPosition: BigInt(result[0][0].first_position), heads: plan.heads };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 2 ** 31 - 1 : 0);
    const rows = await this.db.query<EventRow>(
      backwards ? READ_STREAM_BACKWARDS_SQL : READ_STREAM_FORWARDS_SQL,
      [streamId, from, options.maxCount ?? null],
    );
    const events = rows.map(toRecordedEvent);
    if (!backwards && options.maxCount === undefined && events.length > 0) {
      // Load → decide → append: the append will most likely follow this head (one round trip).
      const last = events[events.length - 1];
      this.heads.remember(streamId, { revision: last.revision, lastHash: last.metadata.hash, lastPosition: last.position });
    }
    return events;
  }

  /**
   * Gap-safe (gap-safety.ts), and read-your-writes: if events committed before the call are not
   * yet readable because an older transaction is still open, waits for them (up to
   * readAllSettleMs, then returns the safe prefix).
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readSettled(options, (after, limit, filter) => this.readPage(after, limit, filter));
  }

  /** readAll's events without their ids and metadata: a rebuild's read, about half the bytes. */
  async readPayloads(options: Pick<ReadAllOptions, 'after' | 'maxCount'> = {}): Promise<EventPayload[]> {
    return this.readSettled(options, (after, limit) => this.readPage(after, limit, undefined, true));
  }

  private async readSettled<E extends EventPayload>(
    options: ReadAllOptions,
    readPage: (after: bigint, limit: number | null, filter: AllFilter | undefined) => Promise<{ events: E[]; coveredUpTo: bigint; committedHead: bigint }>,
  ): Promise<E[]> {
    this.assertOpen();
    const after = options.after ?? 0n;
    const limit = options.maxCount ?? null;
    const deadline = Date.now() + (this.options.readAllSettleMs ?? 2000);
    let target: bigint | null = null;
    for (;;) {
      const page = await readPage(after, limit, options.filter);
      target ??= page.committedHead;
      const full = limit !== null && page.events.length >= limit;
      if (full || options.waitForCommitted === false || page.coveredUpTo >= target || Date.now() >= deadline) return page.events;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const sub = new PollingSubscription(
      (after, limit, filter) => this.readPage(after, limit, filter),
      this.hub,
      { after: options.after, filter: options.filter, batchSize: options.batchSize ?? this.options.batchSize ?? 500 },
      {
        idlePollMs: this.options.idlePollMs ?? 500,
        firstBlockedRepollMs: this.options.firstBlockedRepollMs ?? 1,
        blockedRepollMs: this.options.blockedRepollMs ?? 20,
      },
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

  private async readPage(after: bigint, limit: number | null, filter: AllFilter | undefined): Promise<LogPage & { committedHead: bigint }>;
  private async readPage(after: bigint, limit: number | null, filter: undefined, payloadOnly: true): Promise<PayloadPage>;
  private async readPage(
    after: bigint,
    limit: number | null,
    filter: AllFilter | undefined,
    payloadOnly = false,
  ): Promise<PayloadPage> {
    const types = filter?.eventTypes ? JSON.stringify(filter.eventTypes) : null;
    const prefixes = filter?.streamPrefixes ? JSON.stringify(filter.streamPrefixes.map(prefixPattern)) : null;
    const params = [after.toString(), types, prefixes, limit];
    let readable: string | null | undefined;
    let committed: string | null | undefined;
    let events: EventPayload[];
    const text = payloadOnly ? this.readPayloadsText : this.readAllText;
    if (this.pageAsJson) {
      // Always exactly one row: the heads and the page come from one statement, one snapshot.
      const [row] = await this.db.query<{ readable_head: string | null; committed_head: string | null; page: string | null }>(text, params);
      ({ readable_head: readable, committed_head: committed } = row);
      events = payloadOnly ? parsePayloadPage(row.page) : parseEventPage(row.page);
    } else {
      const rows = await this.db.query<EventRow & { readable_head: string | null; committed_head: string | null }>(text, params);
      readable = rows[0]?.readable_head;
      committed = rows[0]?.committed_head;
      const stored = rows.filter((r) => r.position !== null);
      events = payloadOnly ? stored.map(toEventPayload) : stored.map(toRecordedEvent);
    }
    const readableHead = BigInt(readable ?? '0');
    const committedHead = BigInt(committed ?? '0');
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

/** A page read by readPage: events in either shape (LogPage's are whole RecordedEvents). */
type PayloadPage = Omit<LogPage, 'events'> & { events: EventPayload[]; committedHead: bigint };

/** The one-round-trip append of a plan (writeAgainstKnownHeads); undefined unless every request writes. */
function plannedStatement(plan: GroupPlan, streamIds: string[], serialized: boolean) {
  if (plan.outcomes.some((o) => o.kind !== 'write')) return undefined;
  const heads = JSON.stringify(plan.heads);
  const columns = rowColumns(plan.rows, streamIds);
  const [statement, params] = serialized ? [APPEND_SERIALIZED, [...columns, heads]] : [APPEND_PLANNED, [...columns, heads, false]];
  return { outcomes: plan.outcomes, heads: plan.heads, statement, params };
}

/** The group's streams in the one order every writer locks them in (no deadlocks). */
function lockOrder(requests: AppendRequest[]): string[] {
  return [...new Set(requests.map((r) => r.streamId))].sort();
}
