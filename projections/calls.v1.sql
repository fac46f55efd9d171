-- Read model "calls", version 1: one row per call attempt (event stream call-<call_id>).
-- Built by src/projections/calls.projection.ts from CallRequested, CallOriginated,
-- CallOriginateFailed, CallAnswered, AmdDetected, DtmfPressed, CallHungUp, CallRetryScheduled.
-- A retry is a new call attempt with its own row (same contact, attempt + 1).
-- Names are unqualified on purpose: the runner sets search_path to the schema being built
-- (siren_rm, or a shadow schema during a live rebuild), see src/projections/schema-scope.ts.

CREATE TABLE IF NOT EXISTS calls_v1 (
  call_id           text PRIMARY KEY,
  campaign_id       text,
  contact_id        text,
  agent_id          text,
  phone             text,
  attempt           int,
  tracking_id       text,
  kind              text,
  route             text,
  trunk             text,
  caller_id         text,
  channel           text,
  unique_id         text,
  status            text NOT NULL DEFAULT 'requested',
  requested_at      timestamptz,
  originated_at     timestamptz,
  answered_at       timestamptz,
  hung_up_at        timestamptz,
  ring_seconds      numeric,
  talk_seconds      numeric,
  billable_seconds  int,
  duration_seconds  numeric,
  cause             int,
  cause_text        text,
  disposition       text,
  failure_reason    text,
  amd               text,
  digits            text NOT NULL DEFAULT '',
  retry_not_before  timestamptz,
  last_position     bigint NOT NULL
);

CREATE INDEX IF NOT EXISTS calls_v1_campaign_idx ON calls_v1 (campaign_id, requested_at);
CREATE INDEX IF NOT EXISTS calls_v1_phone_idx ON calls_v1 (phone);
CREATE INDEX IF NOT EXISTS calls_v1_agent_idx ON calls_v1 (agent_id, requested_at);

COMMENT ON TABLE calls_v1 IS 'One row per call attempt (stream call-<call_id>); a retry is a new row with attempt + 1.';
COMMENT ON COLUMN calls_v1.call_id IS 'Id of the call attempt (the event stream is call-<call_id>).';
COMMENT ON COLUMN calls_v1.campaign_id IS 'Campaign that placed the call; NULL for a call made outside a campaign.';
COMMENT ON COLUMN calls_v1.contact_id IS 'Contact of the campaign being called; NULL outside a campaign.';
COMMENT ON COLUMN calls_v1.agent_id IS 'Agent on whose behalf the call was placed.';
COMMENT ON COLUMN calls_v1.phone IS 'Number dialled, E.164 (+15551234567).';
COMMENT ON COLUMN calls_v1.attempt IS 'Attempt number at this contact: 1 for the first call, 2 for the first retry, ...';
COMMENT ON COLUMN calls_v1.tracking_id IS 'Human-readable id shown to agents and passed to Asterisk, e.g. JKD1.7.';
COMMENT ON COLUMN calls_v1.kind IS 'autodial = the PBX plays the IVR prompt; agent-first = the agent''s phone rings first, then the target.';
COMMENT ON COLUMN calls_v1.route IS 'Route (group of trunks) the call was requested on.';
COMMENT ON COLUMN calls_v1.trunk IS 'Trunk the call went out on: as requested, replaced by the trunk actually used once originated.';
COMMENT ON COLUMN calls_v1.caller_id IS 'Caller id presented to the called party.';
COMMENT ON COLUMN calls_v1.channel IS 'Asterisk channel name of the call once originated.';
COMMENT ON COLUMN calls_v1.unique_id IS 'Asterisk Uniqueid of the channel once originated (to match CDRs and logs).';
COMMENT ON COLUMN calls_v1.status IS 'Where the call is: requested, originated, answered, hung-up or originate-failed.';
COMMENT ON COLUMN calls_v1.requested_at IS 'When Siren decided to place the call (CallRequested).';
COMMENT ON COLUMN calls_v1.originated_at IS 'When Asterisk accepted the Originate and the channel started (CallOriginated).';
COMMENT ON COLUMN calls_v1.answered_at IS 'When the called party answered; NULL if never answered.';
COMMENT ON COLUMN calls_v1.hung_up_at IS 'When the call ended (CallHungUp); NULL while in progress or if it could not be originated.';
COMMENT ON COLUMN calls_v1.ring_seconds IS 'Seconds from the request until answer (or until hang-up if never answered).';
COMMENT ON COLUMN calls_v1.talk_seconds IS 'Seconds from answer until hang-up; 0 if never answered.';
COMMENT ON COLUMN calls_v1.billable_seconds IS 'Talk time rounded up to whole seconds, as carriers bill it.';
COMMENT ON COLUMN calls_v1.duration_seconds IS 'Seconds from the request until hang-up (ring_seconds + talk_seconds).';
COMMENT ON COLUMN calls_v1.cause IS 'Q.850 hang-up cause reported by Asterisk (16 = normal clearing, 17 = busy, ...).';
COMMENT ON COLUMN calls_v1.cause_text IS 'Asterisk''s text for the hang-up cause, when it gave one.';
COMMENT ON COLUMN calls_v1.disposition IS 'How the attempt ended: answered, busy, no-answer, unreachable, rejected, invalid-number, failed, congestion, carrier-failure, originate-failed, machine, cancelled, unknown. NULL while in progress.';
COMMENT ON COLUMN calls_v1.failure_reason IS 'Why the Originate failed (disposition originate-failed only).';
COMMENT ON COLUMN calls_v1.amd IS 'Answering-machine detection result: human, machine or notsure; NULL if AMD did not run.';
COMMENT ON COLUMN calls_v1.digits IS 'Every DTMF digit pressed during the call, in order (details per press in call_dtmf_v1).';
COMMENT ON COLUMN calls_v1.retry_not_before IS 'If a retry of this contact was scheduled after this attempt: not dialled before this time.';
COMMENT ON COLUMN calls_v1.last_position IS 'Global event-log position of the last event reflected in this row (replays of older events are ignored).';
