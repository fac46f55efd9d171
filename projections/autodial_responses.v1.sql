-- Read model "autodial_responses", version 1: one row per auto-dial call in which the called party
-- pressed at least one key (the IVR's answer: 1 = interested). Built by
-- src/projections/autodial-responses.projection.ts from CallRequested (kind autodial) and
-- DtmfPressed. autodial_calls_v1 is its working table: DtmfPressed carries only the call id, so
-- the call's campaign, agent, number and tracking id are kept from its CallRequested.
-- Names are unqualified on purpose: the runner sets search_path to the schema being built
-- (siren_rm, or a shadow schema during a live rebuild), see src/projections/schema-scope.ts.

CREATE TABLE IF NOT EXISTS autodial_responses_v1 (
  call_id         text PRIMARY KEY,
  campaign_id     text,
  agent_id        text,
  phone           text,
  tracking_id     text,
  digits          text NOT NULL,
  first_digit     text NOT NULL,
  pressed_one     boolean NOT NULL,
  at              timestamptz NOT NULL,
  pressed_one_at  timestamptz,
  last_digit_at   timestamptz NOT NULL,
  last_position   bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS autodial_calls_v1 (
  call_id        text PRIMARY KEY,
  campaign_id    text,
  agent_id       text,
  phone          text,
  tracking_id    text,
  last_position  bigint NOT NULL
);

CREATE INDEX IF NOT EXISTS autodial_responses_v1_campaign_idx ON autodial_responses_v1 (campaign_id, at);
CREATE INDEX IF NOT EXISTS autodial_responses_v1_agent_idx ON autodial_responses_v1 (agent_id, at);

COMMENT ON TABLE autodial_responses_v1 IS 'One row per auto-dial call in which the called party pressed at least one key; pressed_one marks the leads.';
COMMENT ON COLUMN autodial_responses_v1.call_id IS 'The call attempt (calls_v1.call_id).';
COMMENT ON COLUMN autodial_responses_v1.campaign_id IS 'Campaign that placed the call; NULL for an auto-dial call outside a campaign.';
COMMENT ON COLUMN autodial_responses_v1.agent_id IS 'Agent on whose behalf the call was placed (who gets the "pressed 1" alert).';
COMMENT ON COLUMN autodial_responses_v1.phone IS 'Number dialled, E.164.';
COMMENT ON COLUMN autodial_responses_v1.tracking_id IS 'Human-readable id of the call shown to agents, e.g. JKD1.7.';
COMMENT ON COLUMN autodial_responses_v1.digits IS 'Every key pressed during the call, in order.';
COMMENT ON COLUMN autodial_responses_v1.first_digit IS 'The first key pressed: the answer to the IVR prompt.';
COMMENT ON COLUMN autodial_responses_v1.pressed_one IS 'The called party pressed 1 at least once (an interested lead).';
COMMENT ON COLUMN autodial_responses_v1.at IS 'When the first key was pressed.';
COMMENT ON COLUMN autodial_responses_v1.pressed_one_at IS 'When 1 was first pressed; NULL if it never was.';
COMMENT ON COLUMN autodial_responses_v1.last_digit_at IS 'When the last key so far was pressed.';
COMMENT ON COLUMN autodial_responses_v1.last_position IS 'Global event-log position of the last DtmfPressed reflected in this row (replays are ignored).';

COMMENT ON TABLE autodial_calls_v1 IS 'Working table of the autodial_responses read model: every auto-dial call requested, with what its response row needs.';
COMMENT ON COLUMN autodial_calls_v1.call_id IS 'The call attempt (calls_v1.call_id).';
COMMENT ON COLUMN autodial_calls_v1.campaign_id IS 'Campaign that placed the call; NULL outside a campaign.';
COMMENT ON COLUMN autodial_calls_v1.agent_id IS 'Agent on whose behalf the call was placed.';
COMMENT ON COLUMN autodial_calls_v1.phone IS 'Number dialled, E.164.';
COMMENT ON COLUMN autodial_calls_v1.tracking_id IS 'Human-readable id of the call.';
COMMENT ON COLUMN autodial_calls_v1.last_position IS 'Global event-log position of the CallRequested this row records.';
