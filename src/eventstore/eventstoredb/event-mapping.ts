/**
 * Pure mapping between the event store port and EventStoreDB's wire shapes. Nothing in here talks
 * to a server, so all of it is unit-tested without one.
 */
import { randomUUID } from 'node:crypto';
import type {
  AllFilter,
  EventMetadata,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../event-store.port';
import { eventHash } from '../hash-chain';

/** Minimal structural view of an ESDB recorded event (what the client yields as `resolved.event`). */
export interface EsdbRecordedEventLike {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  created?: Date;
  isJson?: boolean;
  data: unknown;
  metadata?: unknown;
  position?: { commit: bigint; prepare: bigint };
}

/** Minimal structural view of an ESDB resolved event. */
export interface EsdbResolvedEventLike {
  event?: EsdbRecordedEventLike;
  commitPosition?: bigint;
}

/** The JSON event we hand to `appendToStream` (same shape `jsonEvent()` produces). */
export interface EsdbJsonEventData {
  id: string;
  contentType: 'application/json';
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/** Keys this adapter adds to the stored ESDB metadata on top of the port's EventMetadata. */
export const ENVELOPE_KEYS = ['schemaVersion', '$correlationId', '$causationId'] as const;

/** ESDB reports "no position" as ulong.MaxValue (the server's -1). */
export const NO_POSITION = 2n ** 64n - 1n;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** System streams (`$stats-…`, `$settings`, `$$…` metadata streams) and system event types (`$>`, `$metadata`…). */
export function isSystemEvent(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$');
}

/** JSON round trip, so what is hashed is exactly what is stored and read back (Dates become strings, undefined keys vanish). */
export function toJsonValue(value: unknown, what: string): unknown {
  if (value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new TypeError(`${what} is not JSON-serialisable: ${(err as Error).message}`);
  }
  if (text === undefined) throw new TypeError(`${what} is not JSON-serialisable`);
  return JSON.parse(text) as unknown;
}

/** EventMetadata before the hash chain is added (Omit<> would drop the known keys of an index-signature type). */
export type UnchainedMetadata = Record<string, unknown> & { occurredAt: string };

/** A caller's event with id, schemaVersion, occurredAt filled in and data/metadata JSON-normalised; no hash chain yet. */
export interface NormalisedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  /** Port metadata without prevHash/hash. */
  metadata: UnchainedMetadata;
}

export function normaliseNewEvent(event: NewEvent, now: () => Date = () => new Date()): NormalisedEvent {
  if (typeof event.type !== 'string' || event.type.length === 0) {
    throw new TypeError('event type must be a non-empty string');
  }
  if (event.type.startsWith('$')) {
    throw new TypeError(`event type ${event.type} starts with '$', which EventStoreDB reserves for system events`);
  }
  const id = event.id ?? randomUUID();
  if (!isUuid(id)) {
    throw new TypeError(`event id ${JSON.stringify(id)} is not a uuid (EventStoreDB event ids must be uuids)`);
  }
  const schemaVersion = event.schemaVersion ?? 1;
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
    throw new TypeError(`event ${id}: schemaVersion must be a positive integer, got ${String(schemaVersion)}`);
  }
  const supplied = (toJsonValue(event.metadata ?? {}, `event ${id} metadata`) ?? {}) as Record<string, unknown>;
  if (typeof supplied !== 'object' || Array.isArray(supplied)) {
    throw new TypeError(`event ${id}: metadata must be an object`);
  }
  for (const key of ENVELOPE_KEYS) {
    if (key in supplied) {
      throw new TypeError(`event ${id}: metadata key "${key}" is reserved by the EventStoreDB adapter`);
    }
  }
  // A copied RecordedEvent may carry an old chain; the store always recomputes it.
  const { prevHash: _p, hash: _h, ...rest } = supplied;
  const occurredAt = typeof rest.occurredAt === 'string' ? rest.occurredAt : now().toISOString();
  return {
    id: id.toLowerCase(),
    type: event.type,
    schemaVersion,
    data: toJsonValue(event.data, `event ${id} data`),
    metadata: { ...rest, occurredAt },
  };
}

/** An event ready to append: hash chain filled in, at its future stream revision. */
export interface ChainedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
  revision: number;
}

/**
 * Links events into the stream's hash chain. `prevHash` is the hash of the stream's current last
 * event ('' when the stream is empty) and `lastRevision` its revision (null when the stream does not exist).
 */
export function chainEvents(events: NormalisedEvent[], prevHash: string, lastRevision: number | null): ChainedEvent[] {
  let previous = prevHash;
  let revision = lastRevision === null ? 0 : lastRevision + 1;
  return events.map((e) => {
    const withoutHash = { ...e.metadata, prevHash: previous };
    const hash = eventHash({ type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: withoutHash, revision });
    const chained: ChainedEvent = {
      id: e.id,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata: { ...withoutHash, hash },
      revision,
    };
    previous = hash;
    revision++;
    return chained;
  });
}

/** Port metadata → the JSON stored as ESDB custom metadata (adds schemaVersion and ESDB's $correlationId/$causationId). */
export function toEsdbMetadata(metadata: EventMetadata, schemaVersion: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...metadata, schemaVersion };
  if (typeof metadata.correlationId === 'string') out.$correlationId = metadata.correlationId;
  if (typeof metadata.causationId === 'string') out.$causationId = metadata.causationId;
  return out;
}

export function toEsdbEvent(event: ChainedEvent): EsdbJsonEventData {
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    data: event.data,
    metadata: toEsdbMetadata(event.metadata, event.schemaVersion),
  };
}

/** Stored ESDB metadata → port metadata and schemaVersion. Tolerates events not written by this adapter. */
export function fromEsdbMetadata(
  raw: unknown,
  fallbackOccurredAt: string,
): { metadata: EventMetadata; schemaVersion: number } {
  const obj: Record<string, unknown> =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof Uint8Array)
      ? { ...(raw as Record<string, unknown>) }
      : {};
  const schemaVersion = typeof obj.schemaVersion === 'number' && Number.isInteger(obj.schemaVersion) ? obj.schemaVersion : 1;
  const esdbCorrelation = obj.$correlationId;
  const esdbCausation = obj.$causationId;
  for (const key of ENVELOPE_KEYS) delete obj[key];
  if (obj.correlationId === undefined && typeof esdbCorrelation === 'string') obj.correlationId = esdbCorrelation;
  if (obj.causationId === undefined && typeof esdbCausation === 'string') obj.causationId = esdbCausation;
  const metadata: EventMetadata = {
    ...obj,
    occurredAt: typeof obj.occurredAt === 'string' ? obj.occurredAt : fallbackOccurredAt,
    prevHash: typeof obj.prevHash === 'string' ? obj.prevHash : '',
    hash: typeof obj.hash === 'string' ? obj.hash : '',
  };
  return { metadata, schemaVersion };
}

/**
 * The port's global position of an ESDB event: its commit position in $all. Falls back to the
 * prepare position, then to the resolved event's commit position; null when the server sent none
 * (EventStoreDB before 22.6 on stream reads).
 */
export function esdbPositionOf(resolved: EsdbResolvedEventLike): bigint | null {
  const pos = resolved.event?.position;
  if (pos && pos.commit >= 0n && pos.commit !== NO_POSITION) return pos.commit;
  if (pos && pos.prepare >= 0n && pos.prepare !== NO_POSITION) return pos.prepare;
  if (resolved.commitPosition !== undefined && resolved.commitPosition >= 0n && resolved.commitPosition !== NO_POSITION) {
    return resolved.commitPosition;
  }
  return null;
}

/** ESDB resolved event → port RecordedEvent; null for system events and unresolved links. */
export function fromEsdbResolved(resolved: EsdbResolvedEventLike): RecordedEvent | null {
  const e = resolved.event;
  if (!e) return null;
  if (isSystemEvent(e.streamId, e.type)) return null;
  const position = esdbPositionOf(resolved);
  if (position === null) {
    throw new Error(
      `EventStoreDB returned no log position for event ${e.id} in ${e.streamId}; EventStoreDB 22.6 or later is required`,
    );
  }
  const created = e.created instanceof Date && !Number.isNaN(e.created.getTime()) ? e.created.toISOString() : new Date(0).toISOString();
  const { metadata, schemaVersion } = fromEsdbMetadata(e.metadata, created);
  return {
    id: e.id,
    streamId: e.streamId,
    revision: Number(e.revision),
    position,
    type: e.type,
    schemaVersion,
    data: e.data,
    metadata,
  };
}

/** An exclusive port checkpoint → the ESDB position to start reading/subscribing from. */
export function toEsdbPosition(after: bigint): { commit: bigint; prepare: bigint } {
  if (after < 0n) throw new RangeError(`position must be >= 0, got ${after}`);
  // Every event this adapter writes is an implicitly committed prepare, whose commit and prepare positions are equal.
  return { commit: after, prepare: after };
}

/** Client-side check of the port's AllFilter (always applied, also when the server filtered). */
export function matchesFilter(event: Pick<RecordedEvent, 'streamId' | 'type'>, filter?: AllFilter): boolean {
  if (isSystemEvent(event.streamId, event.type)) return false;
  if (!filter) return true;
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) return false;
  return true;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The server-side filter for a subscription: ESDB filters on event type OR stream name, never both,
 * so this picks one (event types when given, else stream prefixes, else "no system events"); the
 * rest is checked client-side with matchesFilter. Returns the arguments for eventTypeFilter/streamNameFilter.
 */
export type ServerFilterSpec =
  | { on: 'eventType'; regex: string }
  | { on: 'streamName'; prefixes: string[] }
  | { on: 'none' };

export function serverFilterSpec(filter?: AllFilter): ServerFilterSpec {
  if (filter?.eventTypes) {
    if (filter.eventTypes.length === 0) return { on: 'eventType', regex: '(?!)' };
    return { on: 'eventType', regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` };
  }
  if (filter?.streamPrefixes) {
    const prefixes = filter.streamPrefixes.filter((p) => !p.startsWith('$'));
    if (prefixes.length > 0 && !prefixes.includes('')) return { on: 'streamName', prefixes };
  }
  // Same regex as the client's excludeSystemEvents().
  return { on: 'eventType', regex: '^[^$].*' };
}

/** Port expected revision vs the stream's actual last revision (null = no stream). */
export function expectationHolds(expected: ExpectedRevision, actual: number | null): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === null;
  return actual === expected;
}

/** ESDB's CurrentRevision (NO_STREAM | bigint) → the port's actual revision. */
export function fromEsdbCurrentRevision(current: unknown): number | null {
  if (typeof current === 'bigint') return current < 0n ? null : Number(current);
  if (typeof current === 'number') return current < 0 ? null : current;
  return null;
}

const CREDENTIALS_RE = /^([a-z+]+:\/\/)([^@/?]*)@/i;

/** One line, credentials removed: why EVENTSTORE_URL could not be parsed. */
export function connectionStringErrorMessage(connectionString: string, cause: unknown): string {
  let detail = (cause instanceof Error ? cause.message : String(cause)).split(/\r?\n/)[0]?.trim() ?? '';
  const creds = CREDENTIALS_RE.exec(connectionString.trim())?.[2];
  if (creds) {
    const [user, password] = creds.split(':');
    for (const secret of [creds, password, user]) {
      if (secret) detail = detail.split(secret).join('***');
    }
  }
  return (
    'EVENTSTORE_URL is not a valid EventStoreDB connection string ' +
    `(expected e.g. esdb://localhost:2113?tls=false): ${detail || 'empty value'}`
  );
}
