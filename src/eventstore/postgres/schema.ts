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
 */
export const SCHEMA_VERSION = 1;

/** Session-level advisory lock (two-int4 keyspace, which never overlaps the bigint keyspace used
 * for per-stream locks) guarding xid + position assignment. 0x53495245 = 'SIRE'. */
export const CRITICAL_SECTION_LOCK = [0x53495245, 1] as const;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS siren_schema_version (
  version    int PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE IF NOT EXISTS siren_events_position_seq AS bigint START 1 CACHE 1;

CREATE TABLE IF NOT EXISTS siren_events (
  position       bigint PRIMARY KEY DEFAULT nextval('siren_events_position_seq'),
  tx             xid8 NOT NULL,
  stream_id      text NOT NULL,
  revision       int NOT NULL CHECK (revision >= 0),
  event_id       uuid NOT NULL,
  type           text NOT NULL,
  schema_version int NOT NULL,
  data           jsonb NOT NULL,
  metadata       jsonb NOT NULL,
  occurred_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT siren_events_stream_revision UNIQUE (stream_id, revision),
  CONSTRAINT siren_events_stream_event UNIQUE (stream_id, event_id)
);

ALTER SEQUENCE siren_events_position_seq OWNED BY siren_events.position;

CREATE TABLE IF NOT EXISTS siren_streams (
  stream_id     text PRIMARY KEY,
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
-- p_stream_ids: ["call-1", ...] (sorted); p_event_ids: {"call-1": ["<uuid>", ...], ...} (caller-chosen ids).
CREATE OR REPLACE FUNCTION siren_lock_streams_only(p_stream_ids jsonb)
RETURNS void
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_stream_id text;
BEGIN
  FOR v_stream_id IN SELECT x FROM jsonb_array_elements_text(p_stream_ids) AS x LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(v_stream_id, 0));
  END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION siren_lock_streams(p_stream_ids jsonb, p_event_ids jsonb)
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
      FROM jsonb_array_elements_text(p_stream_ids) AS x
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
-- p_heads: each written stream's new head, "ord" naming the row that is the head.
-- Returns the first position; row k of the group is at that + k.
CREATE OR REPLACE FUNCTION siren_append_group(p_rows jsonb, p_heads jsonb, p_serialized boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_locked boolean := false;
  v_count int := jsonb_array_length(p_rows);
  v_tx xid8;
  v_first bigint;
BEGIN
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
    (position, tx, stream_id, revision, event_id, type, schema_version, data, metadata, occurred_at)
  SELECT v_first + r.ord, v_tx, r.stream_id, r.revision, r.id, r.type, r.schema_version, r.data,
         r.metadata, r.occurred_at
    FROM jsonb_to_recordset(p_rows)
         AS r(ord int, stream_id text, revision int, id uuid, type text, schema_version int,
              data jsonb, metadata jsonb, occurred_at timestamptz);
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
-- p_stream_ids sorted (lock order).
CREATE OR REPLACE FUNCTION siren_append_planned(p_stream_ids jsonb, p_rows jsonb, p_heads jsonb, p_serialized boolean)
RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  IF NOT p_serialized THEN
    PERFORM siren_lock_streams_only(p_stream_ids);
  END IF;
  RETURN siren_append_group(p_rows, p_heads, p_serialized);
END
$fn$;

-- Earlier versions of the functions above (rows inserted inside the critical section).
DROP FUNCTION IF EXISTS siren_append_locked(jsonb, jsonb, jsonb, boolean);
DROP FUNCTION IF EXISTS siren_append_batch(jsonb, jsonb, boolean);
DROP FUNCTION IF EXISTS siren_insert_rows(jsonb, xid8);
DROP FUNCTION IF EXISTS siren_append_batch(jsonb, jsonb);
DROP FUNCTION IF EXISTS siren_append_known(jsonb, jsonb, jsonb);
DROP FUNCTION IF EXISTS siren_lock_stream(text, jsonb);
DROP FUNCTION IF EXISTS siren_append_rows(text, jsonb, int, text);

INSERT INTO siren_schema_version (version) VALUES (${SCHEMA_VERSION}) ON CONFLICT DO NOTHING;
`;
