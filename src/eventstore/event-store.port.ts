/**
 * The event store port (capability M1). Every adapter (PostgreSQL via `pg`, embedded PGlite,
 * EventStoreDB) implements exactly this contract, and one contract suite
 * (test/eventstore/event-store.contract.ts) proves it for each.
 *
 * Streams are named `{category}-{id}`: `campaign-<id>`, `call-<id>`, `agent-<id>`.
 * Stream revisions start at 0. Global positions are opaque but strictly increasing in global
 * order; a subscriber that checkpoints the last position it handled resumes without loss or
 * duplicates.
 */

/** What the writer expects the stream to be before this append (optimistic concurrency). */
export type ExpectedRevision =
  | 'any'
  | 'no_stream'
  /** The stream must exist and its last event must have exactly this revision. */
  | number;

export interface EventMetadata {
  /** The id of the request/command chain this event belongs to. */
  correlationId?: string;
  /** The id of the event or command that directly caused this one. */
  causationId?: string;
  /** Who caused it: `agent:<id>`, `admin:<id>`, `system:saga`, `cli`, ... */
  actor?: string;
  /** When the fact happened (ISO-8601); supplied by the caller, defaulted by the store. */
  occurredAt: string;
  /** Hash chain (M3): hash of the previous event in this stream ('' for the first event). */
  prevHash: string;
  /** Hash chain (M3): this event's hash, see hash-chain.ts. */
  hash: string;
  /** Anything else the caller wants to keep with the event. */
  [key: string]: unknown;
}

/** Metadata the caller may supply; the store fills occurredAt (if absent) and the hash chain. */
export type NewEventMetadata = Partial<Omit<EventMetadata, 'prevHash' | 'hash'>>;

export interface NewEvent<T = unknown> {
  /** Event id (uuid). Re-appending an event whose id is already in the stream is a no-op. */
  id?: string;
  type: string;
  /** Version of the event's data shape; upcasters lift old versions. Defaults to 1. */
  schemaVersion?: number;
  data: T;
  metadata?: NewEventMetadata;
}

export interface RecordedEvent<T = unknown> {
  id: string;
  streamId: string;
  /** 0-based position of the event within its stream. */
  revision: number;
  /** Position in the global log. */
  position: bigint;
  type: string;
  schemaVersion: number;
  data: T;
  metadata: EventMetadata;
}

/**
 * What a read model reads of an event: everything but its id and metadata (who, when, the hash
 * chain), which no projection folds. A rebuild reads the log in this shape (readPayloads).
 */
export type EventPayload<T = unknown> = Omit<RecordedEvent<T>, 'id' | 'metadata'>;

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  nextRevision: number;
  /** Global position of the last event of this append (or of the stream head for a no-op). */
  position: bigint;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Forwards: defaults to 0. Backwards: defaults to the stream's end. */
  fromRevision?: number;
  maxCount?: number;
}

export interface AllFilter {
  /** Only events of these types. */
  eventTypes?: string[];
  /** Only events whose stream id starts with one of these prefixes, e.g. `campaign-`. */
  streamPrefixes?: string[];
}

export interface ReadAllOptions {
  /** Exclusive: read events strictly after this position. Omit to read from the start. */
  after?: bigint;
  maxCount?: number;
  filter?: AllFilter;
  /**
   * Default true: wait (bounded) for events committed before the call that an older, still open
   * transaction keeps unreadable, so a caller reads its own and others' writes. false: return the
   * readable, gap-free prefix at once — for a caller inside a write transaction of its own on the
   * same server (a read-model swap), which holds that horizon back itself and would only wait.
   */
  waitForCommitted?: boolean;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: deliver events strictly after this position. Omit for the start. */
  after?: bigint;
  filter?: AllFilter;
  /** Events fetched per read during catch-up. */
  batchSize?: number;
}

/**
 * A catch-up subscription to the global log: it first reads history after the checkpoint, then
 * hands over to live delivery. Each event is delivered exactly once, in global order.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** Stops delivery; a pending iteration ends. */
  close(): Promise<void>;
}

export interface EventStore {
  /** Human name of the adapter, e.g. `postgres`, `pglite`, `eventstoredb`. */
  readonly name: string;

  /**
   * Appends events atomically. Throws WrongExpectedRevisionError if the stream is not at the
   * expected revision. Events whose id is already in the stream are skipped; if all are, the call
   * is a successful no-op.
   */
  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * readAll without each event's id and metadata, for a bulk read that only folds payloads (a
   * rebuild): the metadata is nearly half of a stored event, to send and to parse. Optional: a
   * store without it is read with readAll.
   */
  readPayloads?(options?: Pick<ReadAllOptions, 'after' | 'maxCount'>): Promise<EventPayload[]>;

  subscribeToAll(options?: SubscribeOptions): Subscription;

  /** Revision of the stream's last event, or null if the stream does not exist. */
  streamRevision(streamId: string): Promise<number | null>;

  /** Position of the last event in the global log (0n when empty). */
  headPosition(): Promise<bigint>;

  /** Ids of all streams, optionally only those starting with a prefix (for audit verify). */
  listStreams(prefix?: string): Promise<string[]>;

  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | null,
  ) {
    super(
      `stream ${streamId}: expected revision ${String(expected)}, actual ${actual === null ? 'no stream' : actual}`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}
