/**
 * The event store's tables and functions. Applied idempotently on every open (CREATE ... IF NOT
 * EXISTS / CREATE OR REPLACE), so a fresh database and an existing one take the same path; the
 * version table records what was applied, so a future incompatible change can migrate instead of
 * guessing from the catalog.
 *
 * Why the pieces look the way they do (the gap-safety argument is in gap-safety.ts):
 * - `position` comes from a sequence with CACHE 1, drawn (a range per append) only inside the
 *   critical section. A per-session cache would hand out ranges ahead of time, so positions would
 *   no longer follow the order in which the critical section assigned them.
 * - `tx` is the top-level xid8 of the appending transaction; readers filter on it.
 * - `siren_streams` keeps one row per stream (head revision, last hash, last position) so the
 *   append path reads the head with one primary-key lookup and listStreams does not scan events.
 * - Stream ids compare bytewise (COLLATE "C"): they are identifiers, not words to sort for people,
 *   and every append inserts into two (stream_id, …) indexes, where a locale-aware comparison costs
 *   several times a memcmp. It also lets those indexes serve `stream_id LIKE 'prefix%'`.
 * - No column repeats the payload: when the event happened is metadata.occurredAt (version 2
 *   dropped the occurred_at column that copied it; nothing read it, and each append paid for it).
 * - The append functions take the rows as parallel arrays, with data and metadata as their JSON
 *   texts joined by newlines (siren_append_group): each payload is parsed once, by json_in,
 *   where a JSON document of rows would first be parsed whole and each payload again.
 * - data and metadata are json, not jsonb (version 3): the store writes them and reads them back
 *   whole and never looks inside them in SQL, so jsonb's binary form was pure cost -- built on
 *   every append (jsonb_in) and turned back into text on every read (jsonb_out), which measured
 *   about a quarter of the server's work for a catching-up reader. json keeps the exact text that
 *   was hashed. Analysts who want jsonb operators on the log cast (data::jsonb); the read models
 *   are what they are meant to query.
 */
export const SCHEMA_VERSION = 3;

/** Session-level advisory lock (two-int4 keyspace, which never overlaps the bigint keyspace used
 * for per-stream locks) guarding xid + position assignment. 0x53495245 = 'SIRE'. */
export const CRITICAL_SECTION_LOCK = [0x53495245, 1] as const;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS siren_schema_version (
  version    int PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- Refuse a database that newer code has already moved on, before anything below could put this
-- version's functions back over the newer ones.
DO $newer$
BEGIN
  IF (SELECT max(version) FROM siren_schema_version) > ${SCHEMA_VERSION} THEN
    RAISE EXCEPTION 'event store schema version % is newer than this code supports (${SCHEMA_VERSION})',
      (SELECT max(version) FROM siren_schema_version) USING ERRCODE = '55000';
  END IF;
END
$newer$;

CREATE SEQUENCE IF NOT EXISTS siren_events_position_seq AS bigint START 1 CACHE 1;

CREATE TABLE IF NOT EXISTS siren_events (
  position       bigint PRIMARY KEY DEFAULT nextval('siren_events_position_seq'),
  tx             xid8 NOT NULL,
  stream_id      text COLLATE "C" NOT NULL,
  revision       int NOT NULL CHECK (revision >= 0),
  event_id       uuid NOT NULL,
  type           text NOT NULL,
  schema_version int NOT NULL,
  data           json NOT NULL,
  metadata       json NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT siren_events_stream_revision UNIQUE (stream_id, revision),
  CONSTRAINT siren_events_stream_event UNIQUE (stream_id, event_id)
);

ALTER SEQUENCE siren_events_position_seq OWNED BY siren_events.position;

-- Version 1 and 2 databases stored data and metadata as jsonb. Rewrites the table once (it holds
-- an ACCESS EXCLUSIVE lock meanwhile: appends and reads wait), keeping every event; each hash is
-- over the canonical text of the parsed payload, so the chain verifies the same afterwards.
-- Looked up first so that opening an up-to-date database takes no lock.
DO $json$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute
              WHERE attrelid = 'siren_events'::regclass AND attname IN ('data', 'metadata')
                AND atttypid = 'jsonb'::regtype AND NOT attisdropped) THEN
    ALTER TABLE siren_events ALTER COLUMN data TYPE json USING data::json,
                             ALTER COLUMN metadata TYPE json USING metadata::json;
  END IF;
END
$json$;

-- Version 1 databases: occurred_at only copied metadata.occurredAt, and appends no longer write
-- it. Looked up first so that opening an up-to-date database takes no ACCESS EXCLUSIVE lock.
DO $migrate$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute
              WHERE attrelid = 'siren_events'::regclass AND attname = 'occurred_at' AND NOT attisdropped) THEN
    ALTER TABLE siren_events DROP COLUMN occurred_at;
  END IF;
END
$migrate$;

CREATE TABLE IF NOT EXISTS siren_streams (
  stream_id     text COLLATE "C" PRIMARY KEY,
  revision      int NOT NULL,
  last_hash     text NOT NULL,
  last_position bigint NOT NULL
);

-- Step 1 of an append group (after BEGIN): lock every stream the group writes, in the order given
-- -- writers always pass stream ids sorted, so two groups touching overlapping streams take their
-- locks in the same order and cannot deadlock -- then read each stream's
-- head and which of the incoming event ids it already has (idempotent re-append). The locks are
-- held until COMMIT: appends to one stream are serialized, appends to different streams are not.
-- VOLATILE plpgsql runs each statement with a fresh snapshot, so the head read after the locks
-- sees whatever the previous lock holder committed.
-- p_stream_ids: {call-1, ...} (sorted); p_event_ids: {"call-1": ["<uuid>", ...], ...} (caller-chosen ids).
CREATE OR REPLACE FUNCTION siren_lock_streams_only(p_stream_ids text[])
RETURNS void
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_stream_id text;
BEGIN
  FOREACH v_stream_id IN ARRAY p_stream_ids LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(v_stream_id, 0));
  END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION siren_lock_streams(p_stream_ids text[], p_event_ids jsonb)
RETURNS TABLE (stream_id text, revision int, last_hash text, last_position text, existing_ids jsonb)
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  PERFORM siren_lock_streams_only(p_stream_ids);
  RETURN QUERY
    SELECT x, s.revision, s.last_hash, s.last_position::text,
           (SELECT coalesce(jsonb_agg(e.event_id::text), '[]'::jsonb)
              FROM siren_events e
             WHERE e.stream_id = x
               AND e.event_id IN (SELECT y::uuid FROM jsonb_array_elements_text(coalesce(p_event_ids -> x, '[]')) AS y))
      FROM unnest(p_stream_ids) AS x
      LEFT JOIN siren_streams s ON s.stream_id = x;
END
$fn$;

-- Reserves p_count consecutive positions and returns the first. Only ever called inside the
-- critical section (or on a serialized database), so the range follows every range reserved
-- before it. nextval then setval rather than p_count nextvals: one step whatever the batch size.
CREATE OR REPLACE FUNCTION siren_reserve_positions(p_count int)
RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_first bigint := nextval('siren_events_position_seq');
BEGIN
  IF p_count > 1 THEN
    PERFORM setval('siren_events_position_seq', v_first + p_count - 1);
  END IF;
  RETURN v_first;
END
$fn$;

-- Step 2 of an append group: the critical section (see gap-safety.ts for why it exists). Takes
-- the session-level lock, assigns the transaction's xid and reserves the rows' positions, releases
-- the lock -- all within this one call, so the lock is never held across a network round trip or
-- COMMIT. The EXCEPTION block releases the lock on any error and re-raises, so it cannot leak.
-- The rows are inserted after the lock is released, each at (first reserved position + its
-- "ord", its order in the group): concurrent appenders insert in parallel, and each stream's
-- revisions still get increasing positions.
-- p_serialized: the database runs one transaction at a time (PGlite, one connection), so no
-- other transaction can interleave and the critical section has nothing to order; skipping it
-- (and its subtransaction) makes the embedded store's appends about half again as fast.
-- The rows come as parallel arrays in group order, element i (from 1) being the row of ord i - 1
-- (ords count from 0, as in p_heads): p_stream_of indexes p_stream_ids (sorted, the lock order),
-- and p_data / p_metadata are the rows' JSON texts joined by newlines. The split is exact
-- because JSON text as the store writes it (JSON.stringify) never holds a raw newline: control
-- characters inside strings are escaped, and there is no whitespace between tokens. So each
-- payload is checked once, by json_in, with nothing to unescape first.
-- Counts that disagree are refused before anything is reserved.
-- p_heads: each written stream's new head, "ord" naming the row that is the head.
-- Returns the first position; row k (from 0) of the group is at that + k.
CREATE OR REPLACE FUNCTION siren_append_group(
  p_stream_ids text[], p_stream_of int[], p_revisions int[], p_event_ids uuid[], p_types text[],
  p_schema_versions int[], p_data text, p_metadata text, p_heads jsonb, p_serialized boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_locked boolean := false;
  v_count int := cardinality(p_event_ids);
  v_data text[] := string_to_array(p_data, E'\\n');
  v_metadata text[] := string_to_array(p_metadata, E'\\n');
  v_tx xid8;
  v_first bigint;
BEGIN
  IF cardinality(v_data) IS DISTINCT FROM v_count OR cardinality(v_metadata) IS DISTINCT FROM v_count
     OR cardinality(p_stream_of) IS DISTINCT FROM v_count OR cardinality(p_revisions) IS DISTINCT FROM v_count
     OR cardinality(p_types) IS DISTINCT FROM v_count OR cardinality(p_schema_versions) IS DISTINCT FROM v_count THEN
    RAISE EXCEPTION 'siren_append_group: % event ids but % data and % metadata texts (or other counts differ)',
      v_count, cardinality(v_data), cardinality(v_metadata) USING ERRCODE = '22023';
  END IF;
  IF p_serialized THEN
    v_tx := pg_current_xact_id();
    v_first := siren_reserve_positions(v_count);
  ELSE
    -- Any earlier write in this transaction would have assigned its xid outside the critical
    -- section, silently breaking "xid order == position order". Refuse instead.
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'siren_append_group must be the first write of its transaction'
        USING ERRCODE = '55000';
    END IF;
    BEGIN
      PERFORM pg_advisory_lock(${CRITICAL_SECTION_LOCK[0]}, ${CRITICAL_SECTION_LOCK[1]});
      v_locked := true;
      v_tx := pg_current_xact_id();
      v_first := siren_reserve_positions(v_count);
      PERFORM pg_advisory_unlock(${CRITICAL_SECTION_LOCK[0]}, ${CRITICAL_SECTION_LOCK[1]});
      v_locked := false;
    EXCEPTION WHEN OTHERS THEN
      -- plpgsql variables survive the subtransaction rollback, so v_locked tells the truth.
      IF v_locked THEN
        PERFORM pg_advisory_unlock(${CRITICAL_SECTION_LOCK[0]}, ${CRITICAL_SECTION_LOCK[1]});
      END IF;
      RAISE;
    END;
  END IF;
  -- Outside the critical section: the xid and the positions are assigned, ordering is settled.
  INSERT INTO siren_events
    (position, tx, stream_id, revision, event_id, type, schema_version, data, metadata)
  SELECT v_first + r.ord - 1, v_tx, p_stream_ids[r.stream_of], r.revision, r.event_id, r.type,
         r.schema_version, r.data::json, r.metadata::json
    FROM unnest(p_stream_of, p_revisions, p_event_ids, p_types, p_schema_versions, v_data, v_metadata)
         WITH ORDINALITY AS r(stream_of, revision, event_id, type, schema_version, data, metadata, ord);
  INSERT INTO siren_streams (stream_id, revision, last_hash, last_position)
  SELECT h.stream_id, h.revision, h.last_hash, v_first + h.ord
    FROM jsonb_to_recordset(p_heads) AS h(stream_id text, revision int, last_hash text, ord int)
  ON CONFLICT (stream_id) DO UPDATE
    SET revision = EXCLUDED.revision, last_hash = EXCLUDED.last_hash,
        last_position = EXCLUDED.last_position;
  RETURN v_first;
END
$fn$;

-- The one-round-trip append as ONE statement (its own implicit transaction): lock the streams
-- (skipped on a serialized database, where nothing can contend), then siren_append_group. One
-- statement instead of BEGIN/SELECT/COMMIT matters most to PGlite, which pays per statement.
-- p_stream_ids sorted (lock order); the other parameters as siren_append_group's.
CREATE OR REPLACE FUNCTION siren_append_planned(
  p_stream_ids text[], p_stream_of int[], p_revisions int[], p_event_ids uuid[], p_types text[],
  p_schema_versions int[], p_data text, p_metadata text, p_heads jsonb, p_serialized boolean)
RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  IF NOT p_serialized THEN
    PERFORM siren_lock_streams_only(p_stream_ids);
  END IF;
  RETURN siren_append_group(p_stream_ids, p_stream_of, p_revisions, p_event_ids, p_types,
                            p_schema_versions, p_data, p_metadata, p_heads, p_serialized);
END
$fn$;

-- Earlier versions of the functions above (version 1: rows as one JSON document; before that,
-- rows inserted inside the critical section).
DROP FUNCTION IF EXISTS siren_append_planned(jsonb, jsonb, jsonb, boolean);
DROP FUNCTION IF EXISTS siren_append_group(jsonb, jsonb, boolean);
DROP FUNCTION IF EXISTS siren_lock_streams(jsonb, jsonb);
DROP FUNCTION IF EXISTS siren_lock_streams_only(jsonb);
DROP FUNCTION IF EXISTS siren_append_locked(jsonb, jsonb, jsonb, boolean);
DROP FUNCTION IF EXISTS siren_append_batch(jsonb, jsonb, boolean);
DROP FUNCTION IF EXISTS siren_insert_rows(jsonb, xid8);
DROP FUNCTION IF EXISTS siren_append_batch(jsonb, jsonb);
DROP FUNCTION IF EXISTS siren_append_known(jsonb, jsonb, jsonb);
DROP FUNCTION IF EXISTS siren_lock_stream(text, jsonb);
DROP FUNCTION IF EXISTS siren_append_rows(text, jsonb, int, text);

INSERT INTO siren_schema_version (version) VALUES (${SCHEMA_VERSION}) ON CONFLICT DO NOTHING;
`;
