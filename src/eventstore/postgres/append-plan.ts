import { canonicalJsonOf, canonicalMembersOf, eventHashOfCanonical, quotedKey } from '../hash-chain';
import { ExpectedRevision, NewEvent, WrongExpectedRevisionError } from '../event-store.port';
import { newEventId } from '../event-id';
import { sqlArrayLiteral } from './sql-literal';

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
  /** The data as canonical JSON text (canonicalJsonOf): hashed and stored as it is. */
  data: string;
  /**
   * The canonical metadata text (without hash) around its prevHash member, which only chaining
   * knows: `{${metadataBefore}"prevHash":"…"${metadataAfter}}`.
   */
  metadataBefore: string;
  metadataAfter: string;
}

/** One siren_events row, its JSON payloads already serialized (see rowColumns). */
export interface RowToInsert {
  /** Order in the group, from 0: the row goes at the group's first reserved position + ord. */
  ord: number;
  stream_id: string;
  revision: number;
  id: string;
  type: string;
  schema_version: number;
  /** JSON text. */
  data: string;
  /** JSON text: the caller's metadata plus occurredAt, prevHash and hash. */
  metadata: string;
  hash: string;
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
 * Fills defaults (id, schemaVersion, occurredAt) and normalizes data/metadata to what a JSON round
 * trip makes of them: the hash is computed here but verified later on what the store gives back, so
 * it must be computed on exactly that shape (Dates become strings, undefined keys vanish, ...).
 * The data is serialized here once, to the canonical text that is both hashed and stored.
 */
export function prepareEvents(events: NewEvent[], now: () => string): PreparedEvent[] {
  let stamp: string | undefined;
  return events.map((e) => {
    if (!e || typeof e.type !== 'string' || e.type.length === 0) {
      throw new TypeError('every event needs a non-empty type');
    }
    let id: string;
    if (e.id === undefined) id = newEventId();
    else if (typeof e.id === 'string' && UUID.test(e.id)) id = e.id.toLowerCase();
    else throw new TypeError(`event id ${JSON.stringify(e.id)} is not a uuid`);
    const schemaVersion = e.schemaVersion ?? 1;
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
      throw new TypeError(`invalid schemaVersion ${String(e.schemaVersion)} for ${e.type}`);
    }
    const members = canonicalMembersOf({ ...(e.metadata ?? {}) }).filter(([k]) => k !== 'prevHash' && k !== 'hash');
    const given = members.find(([k]) => k === 'occurredAt');
    let occurredAt: unknown;
    if (given) {
      occurredAt = JSON.parse(given[1]);
      if (typeof occurredAt !== 'string' || Number.isNaN(Date.parse(occurredAt))) {
        throw new TypeError(`occurredAt ${given[1]} is not an ISO-8601 time`);
      }
    } else {
      occurredAt = stamp ??= now();
      members.splice(memberIndex(members, 'occurredAt'), 0, ['occurredAt', JSON.stringify(occurredAt)]);
    }
    const split = memberIndex(members, 'prevHash');
    let metadataBefore = '';
    let metadataAfter = '';
    for (let i = 0; i < members.length; i++) {
      const member = `${quotedKey(members[i][0])}:${members[i][1]}`;
      if (i < split) metadataBefore += `${member},`;
      else metadataAfter += `,${member}`;
    }
    return {
      id,
      callerId: e.id !== undefined,
      type: e.type,
      schemaVersion,
      data: e.data === undefined ? 'null' : flat(canonicalJsonOf(e.data)),
      metadataBefore: flat(metadataBefore),
      metadataAfter: flat(metadataAfter),
    };
  });
}

/**
 * The same string, stored as one piece. Text built by concatenation is a tree of string pieces,
 * and a prepared event waits (queued, then in flight) long enough to outlive a young-generation
 * collection or two, which copies every piece it holds; reading a character makes V8 flatten the
 * tree into one string in place, so the collector copies one object instead of dozens.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

/**
 * Where a (non-integer) key goes among canonical members: integer-like keys come first, as in
 * any JavaScript object, then the others in sorted order (see canonicalJson).
 */
function memberIndex(members: [string, string][], key: string): number {
  const index = members.findIndex(([k]) => !isArrayIndex(k) && k > key);
  return index === -1 ? members.length : index;
}

function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return false; // the usual key: no need for the regex
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
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

/**
 * Chains the new events onto the stream head: revision, prevHash and hash for each; rows are
 * numbered from `firstOrd` (their order in the group).
 */
export function chainRows(head: StreamHead, events: PreparedEvent[], streamId: string, firstOrd = 0): RowToInsert[] {
  let prevHash = head.lastHash;
  let revision = head.revision === null ? 0 : head.revision + 1;
  let ord = firstOrd;
  return events.map((e) => {
    const metadata = `{${e.metadataBefore}"prevHash":${JSON.stringify(prevHash)}${e.metadataAfter}}`;
    const hash = eventHashOfCanonical(e.data, metadata, revision, e.schemaVersion, e.type);
    prevHash = hash;
    return {
      ord: ord++,
      stream_id: streamId,
      revision: revision++,
      id: e.id,
      type: e.type,
      schema_version: e.schemaVersion,
      data: e.data,
      // The hash is over the canonical form, not this text's key order: append it instead of serializing again.
      metadata: `${metadata.slice(0, -1)},"hash":"${hash}"}`,
      hash,
    };
  });
}

/**
 * The rows as the parallel-array parameters of siren_append_group / siren_append_planned (see
 * schema.ts), in this order: stream ids (the group's streams in lock order), then per row its
 * stream's 1-based index there, revision, event id, type, schema version, and the data and
 * metadata JSON texts joined by newlines. Those texts come from JSON.stringify-based writers
 * (canonicalJsonOf, prepareEvents, chainRows), which never emit a raw newline; if one ever did,
 * the counts would disagree and the function refuses the whole group.
 */
export function rowColumns(rows: RowToInsert[], streamIds: string[]): string[] {
  const index = new Map(streamIds.map((id, i) => [id, i + 1]));
  const streamOf: number[] = [];
  const revisions: number[] = [];
  const types: string[] = [];
  const schemaVersions: number[] = [];
  let eventIds = '';
  let data = '';
  let metadata = '';
  for (const r of rows) {
    const stream = index.get(r.stream_id);
    if (stream === undefined) throw new Error(`stream ${r.stream_id} is not in the group`);
    streamOf.push(stream);
    revisions.push(r.revision);
    types.push(r.type);
    schemaVersions.push(r.schema_version);
    const sep = eventIds ? ',' : '';
    // Ids are validated, lower-case uuids (prepareEvents): nothing in them needs quoting.
    eventIds += sep + r.id;
    data += (sep && '\n') + r.data;
    metadata += (sep && '\n') + r.metadata;
  }
  return [
    sqlArrayLiteral(streamIds),
    sqlArrayLiteral(streamOf),
    sqlArrayLiteral(revisions),
    `{${eventIds}}`,
    sqlArrayLiteral(types),
    sqlArrayLiteral(schemaVersions),
    data,
    metadata,
  ];
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
  /** lastOrd: the group order of the request's last row (whose position the caller gets). */
  | { kind: 'write'; streamId: string; lastRevision: number; lastOrd: number }
  | { kind: 'unchanged'; nextRevision: number; position: bigint }
  | { kind: 'conflict'; error: WrongExpectedRevisionError };

export interface GroupPlan {
  outcomes: RequestOutcome[];
  /** Rows for siren_append_group, in group order (ord = index). */
  rows: RowToInsert[];
  /** Each written stream's new head, for siren_streams; ord: the row that is the head. */
  heads: { stream_id: string; revision: number; last_hash: string; ord: number }[];
}

/**
 * Plans one transaction for several callers' appends. Requests are applied in queue order, each
 * against the stream as the requests before it left it, so a group means exactly what the same
 * appends one after another would; a request whose expectation fails is refused alone and the
 * others still go in.
 */
export function planGroup(requests: AppendRequest[], locked: Map<string, LockedStream>): GroupPlan {
  const state = new Map<string, { head: StreamHead; ids: Set<string>; headOrd: number }>();
  for (const [streamId, l] of locked) state.set(streamId, { head: { ...l.head }, ids: new Set(l.existingIds), headOrd: -1 });
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
    const rows = chainRows(stream.head, fresh, request.streamId, plan.rows.length);
    const last = rows[rows.length - 1];
    for (const row of rows) plan.rows.push(row);
    for (const e of fresh) stream.ids.add(e.id);
    stream.head = { revision: last.revision, lastHash: last.hash, lastPosition: stream.head.lastPosition };
    stream.headOrd = last.ord;
    written.add(request.streamId);
    plan.outcomes.push({ kind: 'write', streamId: request.streamId, lastRevision: last.revision, lastOrd: last.ord });
  }
  for (const streamId of written) {
    const { head, headOrd } = state.get(streamId)!;
    plan.heads.push({ stream_id: streamId, revision: head.revision!, last_hash: head.lastHash, ord: headOrd });
  }
  return plan;
}
