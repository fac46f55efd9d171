import type { EventMetadata, RecordedEvent } from '../event-store.port';

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
  return {
    id: row.id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: BigInt(row.position),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: row.data,
    metadata: row.metadata,
  };
}
