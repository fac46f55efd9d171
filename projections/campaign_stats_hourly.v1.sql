-- Read model "campaign_stats_hourly", version 1: call counters per campaign x trunk x agent x hour,
-- the base of the report views (projections/reports.v1.sql). Built by
-- src/projections/campaign-stats-hourly.projection.ts from the call events (CallRequested,
-- CallOriginated, CallOriginateFailed, CallAnswered, DtmfPressed, CallHungUp).
-- campaign_stats_calls_v1 is its working table: one row per call holding its bucket and every fact
-- it contributes, so a call counts exactly once. A fact (originated, answered, pressed 1, ended) is
-- a flag set once, and its counters move only in the statement that sets it; a replay finds it set.
-- CallOriginated (the trunk actually used) moves the call to another bucket whole: it subtracts the
-- call's old contribution from the old bucket and adds the new one, guarded by last_position.
-- Names are unqualified on purpose: the runner sets search_path to the schema being built
-- (siren_rm, or a shadow schema during a live rebuild), see src/projections/schema-scope.ts.

CREATE TABLE IF NOT EXISTS campaign_stats_hourly_v1 (
  campaign_id       text NOT NULL,
  trunk             text NOT NULL,
  agent_id          text NOT NULL,
  hour              timestamptz NOT NULL,
  attempts          int NOT NULL DEFAULT 0,
  originated        int NOT NULL DEFAULT 0,
  answered          int NOT NULL DEFAULT 0,
  ended             int NOT NULL DEFAULT 0,
  answered_ended    int NOT NULL DEFAULT 0,
  pressed_one       int NOT NULL DEFAULT 0,
  talk_seconds      numeric NOT NULL DEFAULT 0,
  billable_seconds  bigint NOT NULL DEFAULT 0,
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
  last_position     bigint NOT NULL,
  PRIMARY KEY (campaign_id, trunk, agent_id, hour)
);

CREATE TABLE IF NOT EXISTS campaign_stats_calls_v1 (
  call_id           text PRIMARY KEY,
  campaign_id       text NOT NULL,
  trunk             text NOT NULL,
  agent_id          text NOT NULL,
  hour              timestamptz NOT NULL,
  originated        boolean NOT NULL DEFAULT false,
  answered          boolean NOT NULL DEFAULT false,
  pressed_one       boolean NOT NULL DEFAULT false,
  disposition       text,
  talk_seconds      numeric NOT NULL DEFAULT 0,
  billable_seconds  int NOT NULL DEFAULT 0,
  last_position     bigint NOT NULL
);

CREATE INDEX IF NOT EXISTS campaign_stats_hourly_v1_hour_idx ON campaign_stats_hourly_v1 (hour);

COMMENT ON TABLE campaign_stats_hourly_v1 IS 'Call counters per campaign x trunk x agent x hour in which the call was requested (UTC); sum rows for any coarser view. Rates are in the report_*_v1 views.';
COMMENT ON COLUMN campaign_stats_hourly_v1.campaign_id IS 'Campaign that placed the calls; empty string for calls made outside a campaign.';
COMMENT ON COLUMN campaign_stats_hourly_v1.trunk IS 'Trunk the calls went out on (the one actually used once originated); empty string while unknown.';
COMMENT ON COLUMN campaign_stats_hourly_v1.agent_id IS 'Agent on whose behalf the calls were placed.';
COMMENT ON COLUMN campaign_stats_hourly_v1.hour IS 'Start of the UTC hour in which the calls were requested (CallRequested.at truncated to the hour).';
COMMENT ON COLUMN campaign_stats_hourly_v1.attempts IS 'Call attempts requested (retries included, each its own attempt).';
COMMENT ON COLUMN campaign_stats_hourly_v1.originated IS 'Attempts that reached the network: Asterisk reported a channel (CallOriginated, CallAnswered or CallHungUp recorded). Attempts whose Originate failed (originate-failed) or still awaiting it are not counted.';
COMMENT ON COLUMN campaign_stats_hourly_v1.answered IS 'Attempts the far end picked up (CallAnswered), by a person or a machine.';
COMMENT ON COLUMN campaign_stats_hourly_v1.ended IS 'Attempts that ended (hung up or Originate failed): the sum of the disposition_* columns.';
COMMENT ON COLUMN campaign_stats_hourly_v1.answered_ended IS 'Answered attempts that have ended: the calls talk_seconds covers (ACD = talk_seconds / answered_ended).';
COMMENT ON COLUMN campaign_stats_hourly_v1.pressed_one IS 'Attempts in which the called party pressed 1 at least once.';
COMMENT ON COLUMN campaign_stats_hourly_v1.talk_seconds IS 'Sum of talk time (answer to hang-up) of the ended attempts, in seconds.';
COMMENT ON COLUMN campaign_stats_hourly_v1.billable_seconds IS 'Sum of billable seconds (talk time rounded up per call) of the ended attempts.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_answered IS 'Ended attempts with disposition answered.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_busy IS 'Ended attempts with disposition busy.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_no_answer IS 'Ended attempts with disposition no-answer.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_unreachable IS 'Ended attempts with disposition unreachable.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_rejected IS 'Ended attempts with disposition rejected.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_invalid_number IS 'Ended attempts with disposition invalid-number.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_failed IS 'Ended attempts with disposition failed.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_congestion IS 'Ended attempts with disposition congestion.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_carrier_failure IS 'Ended attempts with disposition carrier-failure.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_originate_failed IS 'Ended attempts with disposition originate-failed.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_machine IS 'Ended attempts with disposition machine.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_cancelled IS 'Ended attempts with disposition cancelled.';
COMMENT ON COLUMN campaign_stats_hourly_v1.disposition_unknown IS 'Ended attempts with disposition unknown.';
COMMENT ON COLUMN campaign_stats_hourly_v1.last_position IS 'Global event-log position of the last event that changed this row.';

COMMENT ON TABLE campaign_stats_calls_v1 IS 'Working table of campaign_stats_hourly: one row per call with its bucket and what it contributes to it, so replays never count twice.';
COMMENT ON COLUMN campaign_stats_calls_v1.call_id IS 'The call attempt (calls_v1.call_id).';
COMMENT ON COLUMN campaign_stats_calls_v1.campaign_id IS 'Bucket: campaign of the call; empty string outside a campaign.';
COMMENT ON COLUMN campaign_stats_calls_v1.trunk IS 'Bucket: trunk as requested, replaced by the trunk actually used once originated; empty string while unknown.';
COMMENT ON COLUMN campaign_stats_calls_v1.agent_id IS 'Bucket: agent of the call.';
COMMENT ON COLUMN campaign_stats_calls_v1.hour IS 'Bucket: start of the UTC hour the call was requested in.';
COMMENT ON COLUMN campaign_stats_calls_v1.originated IS 'The call reached the network (counted in originated).';
COMMENT ON COLUMN campaign_stats_calls_v1.answered IS 'The call was answered (counted in answered).';
COMMENT ON COLUMN campaign_stats_calls_v1.pressed_one IS 'A 1 was pressed in this call (counted in pressed_one).';
COMMENT ON COLUMN campaign_stats_calls_v1.disposition IS 'How the call ended (counted in ended and disposition_*); NULL while in progress.';
COMMENT ON COLUMN campaign_stats_calls_v1.talk_seconds IS 'Talk seconds of the call once ended (counted in talk_seconds).';
COMMENT ON COLUMN campaign_stats_calls_v1.billable_seconds IS 'Billable seconds of the call once ended (counted in billable_seconds).';
COMMENT ON COLUMN campaign_stats_calls_v1.last_position IS 'Global event-log position of the last event reflected in this row.';
