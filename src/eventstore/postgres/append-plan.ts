import { randomUUID } from 'node:crypto';
import { eventHash } from '../hash-chain';
import {
  EventMetadata,
  ExpectedRevision,
  NewEvent,
  WrongExpectedRevisionError,
} from '../event-store.port';

/**
 * The database-free half of an append: validating input, deciding what is new, checking the
 * expectation and building the hash-chained rows. Kept pure so the rules are in one place and
 * the SQL side only moves bytes.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the stream looks like under the stream lock. */
export interface StreamHead {
  /** null: the stream does not exist. */
  revision: number | null;
  lastHash: string;
  lastPosition: bigint;
}

export interface PreparedEvent {
  id: string;
  /** The caller chose the id (so it may already be in the stream); generated ids cannot be. */
  callerId: boolean;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Omit<EventMetadata, 'prevHash' | 'hash'>;
}

export interface RowToInsert {
  revision: number;
  id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  occurred_at: string;
}

export function validateStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.includes('\0')) {
    throw new TypeError(`invalid stream id ${JSON.stringify(streamId)}`);
  }
}

export function validateExpected(expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no_stream') return;
  if (typeof expected !== 'number' || !Number.isInteger(expected) || expected < 0) {
    throw new TypeError(`invalid expectedRevision ${String(expected)}`);
  }
}

/**
 * Fills defaults (id, schemaVersion, occurredAt) and normalizes data/metadata through a JSON round
 * trip: the hash is computed here but verified later on what jsonb gives back, so it must be
 * computed on exactly that shape (Dates become strings, undefined keys vanish, ...).
 */
export function prepareEvents(events: NewEvent[], now: () => string): PreparedEvent[] {
  return events.map((e) => {
    if (!e || typeof e.type !== 'string' || e.type.length === 0) {
      throw new TypeError('every event needs a non-empty type');
    }
    const id = e.id ?? randomUUID();
    if (!UUID.test(id)) throw new TypeError(`event id ${JSON.stringify(id)} is not a uuid`);
    const schemaVersion = e.schemaVersion ?? 1;
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
      throw new TypeError(`invalid schemaVersion ${String(e.schemaVersion)} for ${e.type}`);
    }
    const metadata = jsonRoundTrip({ ...(e.metadata ?? {}) }) as Record<string, unknown>;
    delete metadata.prevHash;
    delete metadata.hash;
    if (metadata.occurredAt === undefined) metadata.occurredAt = now();
    if (typeof metadata.occurredAt !== 'string' || Number.isNaN(Date.parse(metadata.occurredAt))) {
      throw new TypeError(`occurredAt ${JSON.stringify(metadata.occurredAt)} is not an ISO-8601 time`);
    }
    return {
      id: id.toLowerCase(),
      callerId: e.id !== undefined,
      type: e.type,
      schemaVersion,
      data: e.data === undefined ? null : jsonRoundTrip(e.data),
      metadata: metadata as PreparedEvent['metadata'],
    };
  });
}

function jsonRoundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** Drops events already in the stream and repeats of an id within the batch (first one wins). */
export function newEventsOnly(events: PreparedEvent[], existingIds: Iterable<string>): PreparedEvent[] {
  const seen = new Set<string>(Array.from(existingIds, (id) => id.toLowerCase()));
  return events.filter((e) => {
    if (seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });
}

/** Returns the conflict to throw, or null when the stream is where the writer expects it. */
export function expectationConflict(
  streamId: string,
  expected: ExpectedRevision,
  actual: number | null,
): WrongExpectedRevisionError | null {
  if (expected === 'any') return null;
  if (expected === 'no_stream') {
    return actual === null ? null : new WrongExpectedRevisionError(streamId, expected, actual);
  }
  return actual === expected ? null : new WrongExpectedRevisionError(streamId, expected, actual);
}

/** Chains the new events onto the stream head: revision, prevHash and hash for each. */
export function chainRows(head: StreamHead, events: PreparedEvent[]): RowToInsert[] {
  let prevHash = head.lastHash;
  let revision = head.revision === null ? 0 : head.revision + 1;
  return events.map((e) => {
    const metadata = { ...e.metadata, prevHash } as EventMetadata;
    metadata.hash = eventHash({
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata,
      revision,
    });
    prevHash = metadata.hash;
    return {
      revision: revision++,
      id: e.id,
      type: e.type,
      schema_version: e.schemaVersion,
      data: e.data,
      metadata,
      occurred_at: metadata.occurredAt,
    };
  });
}

/** One caller's append waiting in a group (see append-batcher.ts). */
export interface AppendRequest {
  streamId: string;
  events: PreparedEvent[];
  expected: ExpectedRevision;
}

/** What the group transaction read under the stream locks, per stream. */
export interface LockedStream {
  head: StreamHead;
  /** Caller-chosen event ids the stream already holds. */
  existingIds: string[];
}

export type RequestOutcome =
  | { kind: 'write'; streamId: string; lastRevision: number }
  | { kind: 'unchanged'; nextRevision: number; position: bigint }
  | { kind: 'conflict'; error: WrongExpectedRevisionError };

export interface GroupPlan {
  outcomes: RequestOutcome[];
  /** Rows for siren_append_batch, in group order. */
  rows: (RowToInsert & { ord: number; stream_id: string })[];
  /** Each written stream's new head, for siren_streams. */
  heads: { stream_id: string; revision: number; last_hash: string }[];
}

/**
 * Plans one transaction for several callers' appends. Requests are applied in queue order, each
 * against the stream as the requests before it left it, so a group means exactly what the same
 * appends one after another would; a request whose expectation fails is refused alone and the
 * others still go in.
 */
export function planGroup(requests: AppendRequest[], locked: Map<string, LockedStream>): GroupPlan {
  const state = new Map<string, { head: StreamHead; ids: Set<string> }>();
  for (const [streamId, l] of locked) state.set(streamId, { head: { ...l.head }, ids: new Set(l.existingIds) });
  const plan: GroupPlan = { outcomes: [], rows: [], heads: [] };
  const written = new Set<string>();
  for (const request of requests) {
    const stream = state.get(request.streamId);
    if (!stream) throw new Error(`stream ${request.streamId} was not locked`);
    const fresh = newEventsOnly(request.events, stream.ids);
    const unchanged = { kind: 'unchanged' as const, nextRevision: stream.head.revision ?? -1, position: stream.head.lastPosition };
    if (fresh.length === 0 && request.events.length > 0) {
      // Every event is already in the stream: a retried append. Success, whatever was expected.
      plan.outcomes.push(unchanged);
      continue;
    }
    const conflict = expectationConflict(request.streamId, request.expected, stream.head.revision);
    if (conflict) {
      plan.outcomes.push({ kind: 'conflict', error: conflict });
      continue;
    }
    if (fresh.length === 0) {
      plan.outcomes.push(unchanged);
      continue;
    }
    const rows = chainRows(stream.head, fresh);
    const last = rows[rows.length - 1];
    for (const row of rows) plan.rows.push({ ...row, ord: plan.rows.length, stream_id: request.streamId });
    for (const e of fresh) stream.ids.add(e.id);
    stream.head = { revision: last.revision, lastHash: last.metadata.hash, lastPosition: stream.head.lastPosition };
    written.add(request.streamId);
    plan.outcomes.push({ kind: 'write', streamId: request.streamId, lastRevision: last.revision });
  }
  for (const streamId of written) {
    const head = state.get(streamId)!.head;
    plan.heads.push({ stream_id: streamId, revision: head.revision!, last_hash: head.lastHash });
  }
  return plan;
}
