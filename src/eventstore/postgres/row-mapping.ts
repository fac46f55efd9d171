import type { EventMetadata, EventPayload, RecordedEvent } from '../event-store.port';

/** A siren_events row as the queries in queries.ts return it (bigints cast to text in SQL, so
 * pg and PGlite, which parse int8 differently, hand back the same shape). */
export interface EventRow {
  position: string;
  stream_id: string;
  revision: number;
  id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return { id: row.id, ...toEventPayload(row), metadata: row.metadata };
}

/**
 * One event of a page read as JSON (readAllSql's `json` shape): the fields in this order, built by
 * json_build_array. Position is text (exact for any bigint); the uuid arrives as its text; data
 * and metadata are the stored JSON values themselves (json or jsonb, rendered by the server).
 */
export type EventTuple = [
  position: string,
  streamId: string,
  revision: number,
  id: string,
  type: string,
  schemaVersion: number,
  data: unknown,
  metadata: EventMetadata,
];

/** A page's JSON text (NULL for an empty page) → the same RecordedEvents toRecordedEvent makes of rows. */
export function parseEventPage(page: string | null): RecordedEvent[] {
  return parseTuples(page, (t: EventTuple) => ({
    id: t[3],
    streamId: t[1],
    revision: t[2],
    position: BigInt(t[0]),
    type: t[4],
    schemaVersion: t[5],
    data: t[6],
    metadata: t[7],
  }));
}

/** One event of a page of payloads read as JSON (readAllSql's `payloadOnly` json shape). */
export type PayloadTuple = [position: string, streamId: string, revision: number, type: string, schemaVersion: number, data: unknown];

/** A page of payloads' JSON text (NULL for an empty page) → EventPayloads. */
export function parsePayloadPage(page: string | null): EventPayload[] {
  return parseTuples(page, (t: PayloadTuple) => ({ streamId: t[1], revision: t[2], position: BigInt(t[0]), type: t[3], schemaVersion: t[4], data: t[5] }));
}

function parseTuples<T, E>(page: string | null, toEvent: (tuple: T) => E): E[] {
  if (page === null) return [];
  const tuples = JSON.parse(page) as T[];
  const events = new Array<E>(tuples.length);
  for (let i = 0; i < tuples.length; i++) events[i] = toEvent(tuples[i]);
  return events;
}

/** A row of a page of payloads (readAllSql's `payloadOnly` rows shape) → EventPayload. */
export function toEventPayload(row: Omit<EventRow, 'id' | 'metadata'>): EventPayload {
  return {
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: BigInt(row.position),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: row.data,
  };
}
