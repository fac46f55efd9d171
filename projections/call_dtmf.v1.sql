-- Read model "call_dtmf", version 1: one row per key press during a call (DtmfPressed).
-- Built by src/projections/call-dtmf.projection.ts.
-- Names are unqualified on purpose: the runner sets search_path to the schema being built
-- (siren_rm, or a shadow schema during a live rebuild), see src/projections/schema-scope.ts.

CREATE TABLE IF NOT EXISTS call_dtmf_v1 (
  call_id        text NOT NULL,
  seq            int NOT NULL,
  digit          text NOT NULL,
  source         text NOT NULL,
  at             timestamptz NOT NULL,
  last_position  bigint NOT NULL,
  PRIMARY KEY (call_id, seq)
);

CREATE INDEX IF NOT EXISTS call_dtmf_v1_position_idx ON call_dtmf_v1 (call_id, last_position);

COMMENT ON TABLE call_dtmf_v1 IS 'DTMF history: one row per digit pressed during a call, in the order pressed.';
COMMENT ON COLUMN call_dtmf_v1.call_id IS 'The call attempt (calls_v1.call_id).';
COMMENT ON COLUMN call_dtmf_v1.seq IS '1 for the first digit pressed in this call, 2 for the second, ...';
COMMENT ON COLUMN call_dtmf_v1.digit IS 'The key: 0-9, *, #, A-D.';
COMMENT ON COLUMN call_dtmf_v1.source IS 'How Siren learned of it: dtmf = Asterisk DTMF event; userevent = reported by the dialplan (e.g. after Read()).';
COMMENT ON COLUMN call_dtmf_v1.at IS 'When the digit was pressed.';
COMMENT ON COLUMN call_dtmf_v1.last_position IS 'Global event-log position of the DtmfPressed event this row records (replays are ignored).';
