import { HORIZON_CTE, readableFilter } from './gap-safety';
import { sqlArrayLiteral, sqlLiteral } from './sql-literal';
import type { NamedStatement } from './sql-database';

/** All SQL the store sends (besides the schema), in one place so both adapters share it. */

const EVENT_COLUMNS = `position::text AS position, stream_id, revision, event_id::text AS id, type,
  schema_version, data, metadata`;

/** Append transaction step 1 (one round trip): begin, lock the group's streams, read their heads. */
export function lockStreamsSql(streamIds: string[], callerIds: Record<string, string[]>): string {
  return `BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT * FROM siren_lock_streams(${sqlLiteral(sqlArrayLiteral(streamIds))}::text[], ${sqlLiteral(JSON.stringify(callerIds))}::jsonb)`;
}

/** The casts of siren_append_group's row parameters, in rowColumns order. */
const ROW_COLUMN_TYPES = ['text[]', 'int[]', 'int[]', 'uuid[]', 'text[]', 'int[]', 'text', 'text'];

/**
 * Append transaction step 2: insert through the critical section (append `; COMMIT` to finish).
 * `columns`: rowColumns(rows, streamIds). `serialized`: the database runs one transaction at a
 * time (PGlite), see siren_append_group.
 */
export function appendGroupSql(columns: string[], headsJson: string, serialized: boolean): string {
  const args = columns.map((value, i) => `${sqlLiteral(value)}::${ROW_COLUMN_TYPES[i]}`).join(', ');
  return `SELECT siren_append_group(${args}, ${sqlLiteral(headsJson)}::jsonb, ${serialized})::text AS first_position`;
}

/**
 * The one-round-trip append: rows planned against remembered heads (stream-head-cache.ts), as one
 * statement in its own transaction (siren_append_planned). It takes the same stream locks as the
 * read-first path, so the two paths never race on a stream; and it needs no head check: a stale
 * plan reuses a (stream, revision) or (stream, event id) pair that exists, the unique constraints
 * refuse it, and nothing commits.
 * Params: $1..$8 rowColumns(rows, streamIds) (stream ids sorted: lock order), $9 heads (json
 * text), $10 serialized. Parameters rather than inlined literals: the payload, tens of kilobytes
 * for a batch, goes to json as it is, with no escaping on our side or lexing on the server's.
 */
export const APPEND_PLANNED: NamedStatement = {
  name: 'siren_append_planned',
  text: `SELECT siren_append_planned(${ROW_COLUMN_TYPES.map((type, i) => `$${i + 1}::${type}`).join(', ')},
  $9::jsonb, $10::boolean)::text AS first_position`,
};

/**
 * APPEND_PLANNED for a serialized database (PGlite): nothing to lock and no critical section
 * (see siren_append_group), so the same inserts as one plain statement. Prepared once, it costs
 * PGlite's engine a good part less than the plpgsql calls. Params as APPEND_PLANNED's, without
 * $10. Row counts that disagree fail on a NOT NULL column (unnest pads the shorter arrays).
 */
export const APPEND_SERIALIZED: NamedStatement = {
  name: 'siren_append_serialized',
  text: `WITH first AS MATERIALIZED (SELECT siren_reserve_positions(cardinality($4::uuid[])) AS position),
inserted AS (
  INSERT INTO siren_events
    (position, tx, stream_id, revision, event_id, type, schema_version, data, metadata)
  SELECT f.position + r.ord - 1, pg_current_xact_id(), ($1::text[])[r.stream_of], r.revision,
         r.event_id, r.type, r.schema_version, r.data::json, r.metadata::json
    FROM first f,
         unnest($2::int[], $3::int[], $4::uuid[], $5::text[], $6::int[],
                string_to_array($7::text, E'\\n'), string_to_array($8::text, E'\\n'))
         WITH ORDINALITY AS r(stream_of, revision, event_id, type, schema_version, data, metadata, ord)),
heads AS (
  INSERT INTO siren_streams (stream_id, revision, last_hash, last_position)
  SELECT h.stream_id, h.revision, h.last_hash, f.position + h.ord
    FROM jsonb_to_recordset($9::jsonb) AS h(stream_id text, revision int, last_hash text, ord int), first f
  ON CONFLICT (stream_id) DO UPDATE
    SET revision = EXCLUDED.revision, last_hash = EXCLUDED.last_hash,
        last_position = EXCLUDED.last_position)
SELECT position::text AS first_position FROM first`,
};

/**
 * A page of the global log after $1, plus, from the SAME snapshot, the highest readable position
 * (how far this read has provably covered the log) and the highest committed position (if it is
 * higher, an older transaction is still open and the rest will become readable shortly).
 * Params: $1 after (text bigint), $2 event types (json text or null), $3 LIKE patterns (json text
 * or null), $4 limit (null = all).
 *
 * `json`: the page comes back as ONE row whose `page` column is the events as one JSON text, an
 * array of EventTuple (row-mapping.ts) in position order, or NULL when the page is empty. A
 * driver's cost is per row and per field, the server's per event: PGlite's JS protocol layer
 * parses a whole 5000-event page about three times cheaper as one text value than as rows, so
 * the serialized (PGlite) adapter reads this shape. Otherwise one row per event, with the two
 * heads repeated on each (and one row with NULL event columns when the page is empty).
 */
export function readAllSql(gapSafe: boolean, json = false, payloadOnly = false): string {
  return `WITH ${HORIZON_CTE},
meta AS MATERIALIZED (
  SELECT (SELECT e.position FROM siren_events e WHERE ${readableFilter(gapSafe, 'e')}
           ORDER BY e.position DESC LIMIT 1)::text AS readable_head,
         (SELECT max(position) FROM siren_events)::text AS committed_head),
page AS MATERIALIZED (
  SELECT e.* FROM siren_events e
   WHERE e.position > $1::text::bigint
     AND ${readableFilter(gapSafe, 'e')}
     AND ($2::text IS NULL OR e.type = ANY (ARRAY(SELECT jsonb_array_elements_text($2::text::jsonb))))
     AND ($3::text IS NULL OR e.stream_id LIKE ANY (ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb))))
   ORDER BY e.position
   LIMIT $4::int)
${pageSelect(json, payloadOnly)}`;
}

/**
 * The page's select: a row per event with EventRow's column names, or (`json`) one `page` text of
 * tuples in EventTuple order; `payloadOnly` leaves out the id and metadata (EventPayload rows,
 * PayloadTuple order). Position as text: a JSON number would lose a bigint's precision.
 */
function pageSelect(json: boolean, payloadOnly: boolean): string {
  const fields: [expr: string, column: string][] = [
    ['p.position::text', 'position'],
    ['p.stream_id', 'stream_id'],
    ['p.revision', 'revision'],
    ...(payloadOnly ? [] : [['p.event_id::text', 'id'] as [string, string]]),
    ['p.type', 'type'],
    ['p.schema_version', 'schema_version'],
    ['p.data', 'data'],
    ...(payloadOnly ? [] : [['p.metadata', 'metadata'] as [string, string]]),
  ];
  if (json) {
    return `SELECT m.readable_head, m.committed_head,
       (SELECT json_agg(json_build_array(${fields.map(([expr]) => expr).join(', ')}) ORDER BY p.position)
          FROM page p)::text AS page
  FROM meta m`;
  }
  return `SELECT m.readable_head, m.committed_head, ${fields.map(([expr, column]) => `${expr} AS ${column}`).join(', ')}
  FROM meta m LEFT JOIN page p ON true
 ORDER BY p.position`;
}

export const READ_STREAM_FORWARDS_SQL = `SELECT ${EVENT_COLUMNS} FROM siren_events
 WHERE stream_id = $1 AND revision >= $2::int ORDER BY revision LIMIT $3::int`;

export const READ_STREAM_BACKWARDS_SQL = `SELECT ${EVENT_COLUMNS} FROM siren_events
 WHERE stream_id = $1 AND revision <= $2::int ORDER BY revision DESC LIMIT $3::int`;

export const STREAM_REVISION_SQL = `SELECT revision FROM siren_streams WHERE stream_id = $1`;

export const HEAD_POSITION_SQL = `SELECT coalesce(max(position), 0)::text AS head FROM siren_events`;

export const LIST_STREAMS_SQL = `SELECT stream_id FROM siren_streams
 WHERE $1::text IS NULL OR stream_id LIKE $1::text ORDER BY stream_id COLLATE "C"`;

export const NOTIFY_CHANNEL = 'siren_events';

/** A LIKE pattern matching strings that start with `prefix` literally. */
export function prefixPattern(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
}
