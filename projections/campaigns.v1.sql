-- Read model "campaigns", version 1: one row per campaign with live counters, updated from campaign
-- events (CampaignCreated ... CampaignCompleted) and from its calls' events (CallRequested,
-- CallAnswered, DtmfPressed, CallHungUp, CallOriginateFailed, CallRetryScheduled).
-- Built by src/projections/campaigns.projection.ts. campaign_calls_v1 is its working table: which
-- campaign each call belongs to and how far the call got, so every call event counts exactly once.
-- Names are unqualified on purpose: the runner sets search_path to the schema being built
-- (siren_rm, or a shadow schema during a live rebuild), see src/projections/schema-scope.ts.

CREATE TABLE IF NOT EXISTS campaigns_v1 (
  campaign_id           text PRIMARY KEY,
  name                  text,
  agent_id              text,
  time_zone             text,
  window_start          text,
  window_end            text,
  route                 text,
  caller_id             text,
  max_concurrent_calls  int,
  max_attempts          int,
  state                 text NOT NULL DEFAULT 'created',
  created_at            timestamptz,
  started_at            timestamptz,
  paused_at             timestamptz,
  ended_at              timestamptz,
  cancel_reason         text,
  contacts              int NOT NULL DEFAULT 0,
  calls_total           int NOT NULL DEFAULT 0,
  calls_dialing         int NOT NULL DEFAULT 0,
  calls_talking         int NOT NULL DEFAULT 0,
  calls_ended           int NOT NULL DEFAULT 0,
  calls_answered        int NOT NULL DEFAULT 0,
  pressed_one           int NOT NULL DEFAULT 0,
  retries_scheduled     int NOT NULL DEFAULT 0,
  talk_seconds          numeric NOT NULL DEFAULT 0,
  billable_seconds      bigint NOT NULL DEFAULT 0,
  disposition_answered          int NOT NULL DEFAULT 0,
  disposition_busy              int NOT NULL DEFAULT 0,
  disposition_no_answer         int NOT NULL DEFAULT 0,
  disposition_unreachable       int NOT NULL DEFAULT 0,
  disposition_rejected          int NOT NULL DEFAULT 0,
  disposition_invalid_number    int NOT NULL DEFAULT 0,
  disposition_failed            int NOT NULL DEFAULT 0,
  disposition_congestion        int NOT NULL DEFAULT 0,
  disposition_carrier_failure   int NOT NULL DEFAULT 0,
  disposition_originate_failed  int NOT NULL DEFAULT 0,
  disposition_machine           int NOT NULL DEFAULT 0,
  disposition_cancelled         int NOT NULL DEFAULT 0,
  disposition_unknown           int NOT NULL DEFAULT 0,
  last_position         bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS campaign_calls_v1 (
  call_id        text PRIMARY KEY,
  campaign_id    text NOT NULL,
  answered       boolean NOT NULL DEFAULT false,
  pressed_one    boolean NOT NULL DEFAULT false,
  ended          boolean NOT NULL DEFAULT false,
  last_position  bigint NOT NULL
);

COMMENT ON TABLE campaigns_v1 IS 'One row per campaign: its settings, its state and live counters of its calls.';
COMMENT ON COLUMN campaigns_v1.campaign_id IS 'Id of the campaign (the event stream is campaign-<campaign_id>).';
COMMENT ON COLUMN campaigns_v1.name IS 'Name given at creation.';
COMMENT ON COLUMN campaigns_v1.agent_id IS 'Agent who owns the campaign; its calls are placed on this agent''s behalf.';
COMMENT ON COLUMN campaigns_v1.time_zone IS 'IANA time zone the calling window is in, e.g. America/New_York.';
COMMENT ON COLUMN campaigns_v1.window_start IS 'Local time of day (HH:MM) from which the campaign may dial.';
COMMENT ON COLUMN campaigns_v1.window_end IS 'Local time of day (HH:MM) until which the campaign may dial.';
COMMENT ON COLUMN campaigns_v1.route IS 'Route (group of trunks) its calls go out on.';
COMMENT ON COLUMN campaigns_v1.caller_id IS 'Caller id presented on its calls, if set.';
COMMENT ON COLUMN campaigns_v1.max_concurrent_calls IS 'Most calls the campaign may have in progress at once.';
COMMENT ON COLUMN campaigns_v1.max_attempts IS 'Most attempts per contact under its retry policy.';
COMMENT ON COLUMN campaigns_v1.state IS 'created, running, paused, cancelled or completed.';
COMMENT ON COLUMN campaigns_v1.created_at IS 'When the campaign was created.';
COMMENT ON COLUMN campaigns_v1.started_at IS 'When it was first started; NULL if never started.';
COMMENT ON COLUMN campaigns_v1.paused_at IS 'When it was last paused; NULL if never paused.';
COMMENT ON COLUMN campaigns_v1.ended_at IS 'When it was cancelled or completed; NULL while it can still dial.';
COMMENT ON COLUMN campaigns_v1.cancel_reason IS 'Why it was cancelled (state cancelled only).';
COMMENT ON COLUMN campaigns_v1.contacts IS 'Contacts imported into the campaign (numbers to call).';
COMMENT ON COLUMN campaigns_v1.calls_total IS 'Call attempts placed so far (retries included).';
COMMENT ON COLUMN campaigns_v1.calls_dialing IS 'Live: attempts placed and not yet answered or ended (ringing).';
COMMENT ON COLUMN campaigns_v1.calls_talking IS 'Live: attempts answered and not yet hung up.';
COMMENT ON COLUMN campaigns_v1.calls_ended IS 'Attempts that ended (hung up or could not be originated). calls_total = calls_dialing + calls_talking + calls_ended.';
COMMENT ON COLUMN campaigns_v1.calls_answered IS 'Attempts that were answered (by a person or a machine).';
COMMENT ON COLUMN campaigns_v1.pressed_one IS 'Attempts in which the called party pressed 1 at least once.';
COMMENT ON COLUMN campaigns_v1.retries_scheduled IS 'Retries scheduled after an unsuccessful attempt.';
COMMENT ON COLUMN campaigns_v1.talk_seconds IS 'Sum of talk time of its ended calls, in seconds.';
COMMENT ON COLUMN campaigns_v1.billable_seconds IS 'Sum of billable seconds (talk time rounded up per call) of its ended calls.';
COMMENT ON COLUMN campaigns_v1.disposition_answered IS 'Ended attempts with disposition answered.';
COMMENT ON COLUMN campaigns_v1.disposition_busy IS 'Ended attempts with disposition busy.';
COMMENT ON COLUMN campaigns_v1.disposition_no_answer IS 'Ended attempts with disposition no-answer.';
COMMENT ON COLUMN campaigns_v1.disposition_unreachable IS 'Ended attempts with disposition unreachable.';
COMMENT ON COLUMN campaigns_v1.disposition_rejected IS 'Ended attempts with disposition rejected.';
COMMENT ON COLUMN campaigns_v1.disposition_invalid_number IS 'Ended attempts with disposition invalid-number.';
COMMENT ON COLUMN campaigns_v1.disposition_failed IS 'Ended attempts with disposition failed.';
COMMENT ON COLUMN campaigns_v1.disposition_congestion IS 'Ended attempts with disposition congestion.';
COMMENT ON COLUMN campaigns_v1.disposition_carrier_failure IS 'Ended attempts with disposition carrier-failure.';
COMMENT ON COLUMN campaigns_v1.disposition_originate_failed IS 'Ended attempts with disposition originate-failed.';
COMMENT ON COLUMN campaigns_v1.disposition_machine IS 'Ended attempts with disposition machine.';
COMMENT ON COLUMN campaigns_v1.disposition_cancelled IS 'Ended attempts with disposition cancelled.';
COMMENT ON COLUMN campaigns_v1.disposition_unknown IS 'Ended attempts with disposition unknown.';
COMMENT ON COLUMN campaigns_v1.last_position IS 'Global event-log position of the last event reflected in this row (replays of older events are ignored).';

COMMENT ON TABLE campaign_calls_v1 IS 'Working table of the campaigns read model: which campaign a call belongs to and how far it got.';
COMMENT ON COLUMN campaign_calls_v1.call_id IS 'The call attempt (calls_v1.call_id).';
COMMENT ON COLUMN campaign_calls_v1.campaign_id IS 'The campaign it was placed for.';
COMMENT ON COLUMN campaign_calls_v1.answered IS 'The call was answered (counted in calls_answered).';
COMMENT ON COLUMN campaign_calls_v1.pressed_one IS 'A 1 was pressed in this call (counted in pressed_one).';
COMMENT ON COLUMN campaign_calls_v1.ended IS 'The call ended (counted in calls_ended and its disposition).';
COMMENT ON COLUMN campaign_calls_v1.last_position IS 'Global event-log position of the last event reflected in this row.';
