import {
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  streamNameFilter,
  jsonEvent,
  type Filter,
  type JSONType,
} from '@eventstore/db-client';
import {
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port';
import {
  type EsdbJsonEventData,
  type EsdbRecordedEventLike,
  type EsdbResolvedEventLike,
  chainEvents,
  connectionStringErrorMessage,
  esdbPositionOf,
  expectationHolds,
  fromEsdbCurrentRevision,
  fromEsdbResolved,
  isSystemEvent,
  matchesFilter,
  normaliseNewEvent,
  serverFilterSpec,
  toEsdbEvent,
  toEsdbPosition,
} from './event-mapping';
import { type SubscriptionSource, wrapSubscription } from './subscription';

type EsdbPosition = { commit: bigint; prepare: bigint };

/** The part of EventStoreDBClient this adapter uses (lets tests drive the adapter with a fake). */
export interface EsdbClientLike {
  readStream(
    streamName: string,
    options: { direction: typeof FORWARDS | typeof BACKWARDS; fromRevision: typeof START | typeof END | bigint; maxCount: number | bigint },
  ): AsyncIterable<EsdbResolvedEventLike>;
  readAll(options: {
    direction: typeof FORWARDS | typeof BACKWARDS;
    fromPosition: typeof START | typeof END | EsdbPosition;
    maxCount: number | bigint;
  }): AsyncIterable<EsdbResolvedEventLike>;
  appendToStream(
    streamName: string,
    events: EsdbJsonEventData[],
    options: { expectedRevision: typeof NO_STREAM | bigint },
  ): Promise<{ nextExpectedRevision: bigint; position?: EsdbPosition }>;
  subscribeToAll(options: { fromPosition: typeof START | EsdbPosition; filter?: Filter }): SubscriptionSource;
  dispose(): Promise<void>;
}

export interface EventStoreDbStoreOptions {
  /** Attempts for an append with expectedRevision 'any' that races another writer. Default 5. */
  maxAppendAttempts?: number;
  /**
   * How many of the stream's last events are checked for already-appended ids when the caller
   * supplies ids. Default 10,000.
   */
  idempotenceWindow?: number;
  /** Events per page when scanning $all. Default 500. */
  pageSize?: number;
}

export function isWrongExpectedVersion(err: unknown): err is WrongExpectedVersionError {
  return err instanceof WrongExpectedVersionError || (err as { type?: unknown } | null)?.type === ErrorType.WRONG_EXPECTED_VERSION;
}

export function isStreamNotFound(err: unknown): boolean {
  return err instanceof StreamNotFoundError || (err as { type?: unknown } | null)?.type === ErrorType.STREAM_NOT_FOUND;
}

interface StreamTail {
  /** The stream's last event (raw), or null when the stream does not exist / is empty. */
  last: EsdbResolvedEventLike | null;
  /** Ids of the events in the checked tail window. */
  ids: Set<string>;
}

export class EventStoreDbStore implements EventStore {
  readonly name = 'eventstoredb';
  private readonly maxAppendAttempts: number;
  private readonly idempotenceWindow: number;
  private readonly pageSize: number;
  private closed = false;

  constructor(
    private readonly client: EsdbClientLike,
    options: EventStoreDbStoreOptions = {},
  ) {
    this.maxAppendAttempts = Math.max(1, options.maxAppendAttempts ?? 5);
    this.idempotenceWindow = Math.max(1, options.idempotenceWindow ?? 10_000);
    this.pageSize = Math.max(2, options.pageSize ?? 500);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    assertStreamId(streamId);
    const expected = options.expectedRevision;
    if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0)) {
      throw new RangeError(`expectedRevision must be 'any', 'no_stream' or a revision >= 0, got ${expected}`);
    }
    const normalised = events.map((e) => normaliseNewEvent(e));
    // Duplicates inside one call: keep the first.
    const seen = new Set<string>();
    const unique = normalised.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
    const callerIds = events.some((e) => e.id !== undefined);

    for (let attempt = 1; ; attempt++) {
      const tail = await this.readTail(streamId, callerIds ? this.idempotenceWindow : 1);
      const actual = tail.last?.event ? Number(tail.last.event.revision) : null;
      const fresh = unique.filter((e) => !tail.ids.has(e.id));

      if (fresh.length === 0) {
        // Empty call or every event already in the stream: a successful no-op at the stream head.
        if (unique.length === 0 && !expectationHolds(expected, actual)) {
          throw new WrongExpectedRevisionError(streamId, expected, actual);
        }
        return {
          nextRevision: actual ?? -1,
          position: tail.last ? (esdbPositionOf(tail.last) ?? 0n) : 0n,
        };
      }
      if (!expectationHolds(expected, actual)) {
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }

      const prevHash = hashOf(tail.last);
      const chained = chainEvents(fresh, prevHash, actual);
      try {
        const result = await this.client.appendToStream(streamId, chained.map(toEsdbEvent), {
          expectedRevision: actual === null ? NO_STREAM : BigInt(actual),
        });
        const nextRevision = Number(result.nextExpectedRevision);
        const position = result.position?.commit ?? (await this.streamHeadPosition(streamId));
        return { nextRevision, position };
      } catch (err) {
        if (!isWrongExpectedVersion(err)) throw err;
        if (expected === 'any' && attempt < this.maxAppendAttempts) {
          await sleep(Math.floor(Math.random() * 10 * attempt));
          continue;
        }
        throw new WrongExpectedRevisionError(streamId, expected, fromEsdbCurrentRevision(err.actualVersion));
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    if (options.fromRevision !== undefined && (!Number.isInteger(options.fromRevision) || options.fromRevision < 0)) {
      throw new RangeError(`fromRevision must be an integer >= 0, got ${options.fromRevision}`);
    }
    const fromRevision =
      options.fromRevision !== undefined ? BigInt(options.fromRevision) : direction === FORWARDS ? START : END;
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction,
        fromRevision,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      })) {
        const e = fromEsdbResolved(resolved);
        if (e) out.push(e);
      }
    } catch (err) {
      if (isStreamNotFound(err)) return [];
      throw err;
    }
    return out;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    const out: RecordedEvent[] = [];
    if (max <= 0) return out;
    let last = options.after ?? -1n;
    let from: typeof START | EsdbPosition = options.after === undefined ? START : toEsdbPosition(options.after);
    for (;;) {
      let count = 0;
      let progressed = false;
      for await (const resolved of this.client.readAll({ direction: FORWARDS, fromPosition: from, maxCount: this.pageSize })) {
        count++;
        const raw: EsdbRecordedEventLike | undefined = resolved.event;
        const position = esdbPositionOf(resolved);
        if (!raw || position === null) continue;
        // Reading $all from a position includes the event at it: enforce "strictly after".
        if (position <= last) continue;
        last = position;
        progressed = true;
        from = raw.position ?? toEsdbPosition(position);
        if (isSystemEvent(raw.streamId, raw.type)) continue;
        const e = fromEsdbResolved(resolved);
        if (e && matchesFilter(e, options.filter)) {
          out.push(e);
          if (out.length >= max) return out;
        }
      }
      if (count < this.pageSize || !progressed) return out;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const spec = serverFilterSpec(options.filter);
    const filter: Filter | undefined =
      spec.on === 'eventType'
        ? eventTypeFilter({ regex: spec.regex })
        : spec.on === 'streamName'
          ? streamNameFilter({ prefixes: spec.prefixes })
          : undefined;
    const fromPosition = options.after === undefined ? START : toEsdbPosition(options.after);
    return wrapSubscription(() => this.client.subscribeToAll({ fromPosition, filter }), options);
  }

  async streamRevision(streamId: string): Promise<number | null> {
    this.assertOpen();
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last ? last.revision : null;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    let from: typeof END | EsdbPosition = END;
    let skipAtOrAbove: bigint | null = null;
    for (;;) {
      let count = 0;
      let progressed = false;
      for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: this.pageSize })) {
        count++;
        const raw: EsdbRecordedEventLike | undefined = resolved.event;
        const position = esdbPositionOf(resolved);
        if (!raw || position === null) continue;
        if (skipAtOrAbove !== null && position >= skipAtOrAbove) continue;
        skipAtOrAbove = position;
        progressed = true;
        from = raw.position ?? toEsdbPosition(position);
        if (!isSystemEvent(raw.streamId, raw.type)) return position;
      }
      if (count < this.pageSize || !progressed) return 0n;
    }
  }

  async listStreams(prefix?: string): Promise<string[]> {
    this.assertOpen();
    const streams = new Set<string>();
    let last = -1n;
    let from: typeof START | EsdbPosition = START;
    for (;;) {
      let count = 0;
      let progressed = false;
      for await (const resolved of this.client.readAll({ direction: FORWARDS, fromPosition: from, maxCount: this.pageSize })) {
        count++;
        const raw: EsdbRecordedEventLike | undefined = resolved.event;
        const position = esdbPositionOf(resolved);
        if (!raw || position === null || position <= last) continue;
        last = position;
        progressed = true;
        from = raw.position ?? toEsdbPosition(position);
        if (isSystemEvent(raw.streamId, raw.type)) continue;
        if (prefix === undefined || raw.streamId.startsWith(prefix)) streams.add(raw.streamId);
      }
      if (count < this.pageSize || !progressed) break;
    }
    return [...streams].sort();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.dispose();
  }

  /** The stream's last event and the ids of its last `window` events. */
  private async readTail(streamId: string, window: number): Promise<StreamTail> {
    const ids = new Set<string>();
    let last: EsdbResolvedEventLike | null = null;
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: window,
      })) {
        if (!resolved.event) continue;
        if (last === null) last = resolved;
        ids.add(resolved.event.id.toLowerCase());
      }
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      return { last: null, ids };
    }
    return { last, ids };
  }

  private async streamHeadPosition(streamId: string): Promise<bigint> {
    const tail = await this.readTail(streamId, 1);
    return tail.last ? (esdbPositionOf(tail.last) ?? 0n) : 0n;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('EventStoreDB event store is closed');
  }
}

function hashOf(last: EsdbResolvedEventLike | null): string {
  const meta = last?.event?.metadata;
  if (meta && typeof meta === 'object' && !(meta instanceof Uint8Array) && !Array.isArray(meta)) {
    const hash = (meta as Record<string, unknown>).hash;
    if (typeof hash === 'string') return hash;
  }
  return '';
}

function assertStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('stream id must be a non-empty string');
  if (streamId.startsWith('$')) {
    throw new TypeError(`stream id ${streamId} starts with '$', which EventStoreDB reserves for system streams`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Parses the connection string (no network yet); throws one line naming EVENTSTORE_URL when it is malformed. */
export function createEsdbClient(connectionString: string): EventStoreDBClient {
  if (typeof connectionString !== 'string' || connectionString.trim() === '') {
    throw new Error(connectionStringErrorMessage(String(connectionString ?? ''), new Error('empty value')));
  }
  try {
    return EventStoreDBClient.connectionString(connectionString);
  } catch (err) {
    throw new Error(connectionStringErrorMessage(connectionString, err));
  }
}

/** Narrows the real client to EsdbClientLike (its append is typed for JSONType data; ours is already JSON-normalised). */
export function fromEventStoreDbClient(client: EventStoreDBClient): EsdbClientLike {
  return {
    readStream: (streamName, options) => client.readStream(streamName, options),
    readAll: (options) => client.readAll(options),
    appendToStream: (streamName, events, options) =>
      client.appendToStream(
        streamName,
        events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data as JSONType, metadata: e.metadata })),
        options,
      ),
    subscribeToAll: (options) => client.subscribeToAll(options),
    dispose: () => client.dispose(),
  };
}

export async function openEventStoreDbStore(
  connectionString: string,
  options: EventStoreDbStoreOptions = {},
): Promise<EventStore> {
  const client = createEsdbClient(connectionString);
  return new EventStoreDbStore(fromEventStoreDbClient(client), options);
}
