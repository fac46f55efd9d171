-- Report views, version 1 (capability M14): answer rate, ASR, ACD, pressed-1 rate and disposition mix
-- per campaign, trunk, agent and hour. Plain views over campaign_stats_hourly_v1 (the
-- per campaign x trunk x agent x hour counters, projections/campaign_stats_hourly.v1.sql), which
-- must exist first: src/projections/reports.projection.ts is registered after it and only runs
-- this file. Every rate is computed from summed counters, never averaged from finer rates.
--
-- Definitions (counters as in campaign_stats_hourly_v1):
--   answer rate      = answered / attempts: share of requested attempts the far end picked up.
--   ASR              = answered / originated (answer-seizure ratio, ITU-T E.411): share of the
--                      attempts that reached the network (Asterisk reported a channel for them)
--                      that were answered; attempts whose Originate failed are left out.
--   ACD              = talk_seconds / answered_ended: average talk time, in seconds, of answered
--                      attempts that have ended (calls still talking have no talk time yet).
--   pressed-1 rate   = pressed_one / answered.
--   disposition mix  = ended attempts per disposition, and their share of all ended attempts.
-- A rate whose denominator is 0 is NULL. Answered includes answering machines (disposition machine).
-- Names are unqualified on purpose: the runner sets search_path to the schema being built
-- (siren_rm, or a shadow schema during a live rebuild), see src/projections/schema-scope.ts.

CREATE OR REPLACE VIEW report_campaigns_v1 AS
SELECT campaign_id, attempts, originated, answered, ended, answered_ended, pressed_one, talk_seconds, billable_seconds,
  round(answered::numeric / nullif(attempts, 0), 4) AS answer_rate,
  round(answered::numeric / nullif(originated, 0), 4) AS asr,
  round(talk_seconds / nullif(answered_ended, 0), 2) AS acd_seconds,
  round(pressed_one::numeric / nullif(answered, 0), 4) AS pressed_one_rate
FROM (SELECT campaign_id, sum(attempts)::bigint AS attempts,
        sum(originated)::bigint AS originated,
        sum(answered)::bigint AS answered,
        sum(ended)::bigint AS ended,
        sum(answered_ended)::bigint AS answered_ended,
        sum(pressed_one)::bigint AS pressed_one,
        sum(talk_seconds)::numeric AS talk_seconds,
        sum(billable_seconds)::bigint AS billable_seconds
      FROM campaign_stats_hourly_v1 GROUP BY campaign_id) s;
COMMENT ON VIEW report_campaigns_v1 IS 'Answer rate, ASR, ACD and pressed-1 rate per campaign, all hours (definitions at the top of projections/reports.v1.sql).';
COMMENT ON COLUMN report_campaigns_v1.campaign_id IS 'Campaign; empty string for calls made outside a campaign.';
COMMENT ON COLUMN report_campaigns_v1.attempts IS 'Call attempts requested (retries included).';
COMMENT ON COLUMN report_campaigns_v1.originated IS 'Attempts that reached the network (Asterisk reported a channel); Originate failures excluded.';
COMMENT ON COLUMN report_campaigns_v1.answered IS 'Attempts the far end picked up, by a person or a machine.';
COMMENT ON COLUMN report_campaigns_v1.ended IS 'Attempts that have ended (hung up or Originate failed).';
COMMENT ON COLUMN report_campaigns_v1.answered_ended IS 'Answered attempts that have ended (denominator of ACD).';
COMMENT ON COLUMN report_campaigns_v1.pressed_one IS 'Attempts in which the called party pressed 1.';
COMMENT ON COLUMN report_campaigns_v1.talk_seconds IS 'Total talk time of ended attempts, seconds.';
COMMENT ON COLUMN report_campaigns_v1.billable_seconds IS 'Total billable seconds (talk rounded up per call) of ended attempts.';
COMMENT ON COLUMN report_campaigns_v1.answer_rate IS 'Answer rate: answered / attempts (0..1, 4 decimals); NULL without attempts.';
COMMENT ON COLUMN report_campaigns_v1.asr IS 'ASR, answer-seizure ratio: answered / originated, i.e. answered share of the attempts that reached the network (0..1, 4 decimals); NULL if none did.';
COMMENT ON COLUMN report_campaigns_v1.acd_seconds IS 'ACD, average call duration: talk_seconds / answered_ended, seconds (2 decimals); NULL if no answered call has ended.';
COMMENT ON COLUMN report_campaigns_v1.pressed_one_rate IS 'Pressed-1 rate: pressed_one / answered (0..1, 4 decimals); NULL without answered calls.';

CREATE OR REPLACE VIEW report_trunks_v1 AS
SELECT trunk, attempts, originated, answered, ended, answered_ended, pressed_one, talk_seconds, billable_seconds,
  round(answered::numeric / nullif(attempts, 0), 4) AS answer_rate,
  round(answered::numeric / nullif(originated, 0), 4) AS asr,
  round(talk_seconds / nullif(answered_ended, 0), 2) AS acd_seconds,
  round(pressed_one::numeric / nullif(answered, 0), 4) AS pressed_one_rate
FROM (SELECT trunk, sum(attempts)::bigint AS attempts,
        sum(originated)::bigint AS originated,
        sum(answered)::bigint AS answered,
        sum(ended)::bigint AS ended,
        sum(answered_ended)::bigint AS answered_ended,
        sum(pressed_one)::bigint AS pressed_one,
        sum(talk_seconds)::numeric AS talk_seconds,
        sum(billable_seconds)::bigint AS billable_seconds
      FROM campaign_stats_hourly_v1 GROUP BY trunk) s;
COMMENT ON VIEW report_trunks_v1 IS 'Answer rate, ASR, ACD and pressed-1 rate per trunk, all campaigns and hours (definitions at the top of projections/reports.v1.sql).';
COMMENT ON COLUMN report_trunks_v1.trunk IS 'Trunk the calls went out on; empty string while unknown.';
COMMENT ON COLUMN report_trunks_v1.attempts IS 'Call attempts requested (retries included).';
COMMENT ON COLUMN report_trunks_v1.originated IS 'Attempts that reached the network (Asterisk reported a channel); Originate failures excluded.';
COMMENT ON COLUMN report_trunks_v1.answered IS 'Attempts the far end picked up, by a person or a machine.';
COMMENT ON COLUMN report_trunks_v1.ended IS 'Attempts that have ended (hung up or Originate failed).';
COMMENT ON COLUMN report_trunks_v1.answered_ended IS 'Answered attempts that have ended (denominator of ACD).';
COMMENT ON COLUMN report_trunks_v1.pressed_one IS 'Attempts in which the called party pressed 1.';
COMMENT ON COLUMN report_trunks_v1.talk_seconds IS 'Total talk time of ended attempts, seconds.';
COMMENT ON COLUMN report_trunks_v1.billable_seconds IS 'Total billable seconds (talk rounded up per call) of ended attempts.';
COMMENT ON COLUMN report_trunks_v1.answer_rate IS 'Answer rate: answered / attempts (0..1, 4 decimals); NULL without attempts.';
COMMENT ON COLUMN report_trunks_v1.asr IS 'ASR, answer-seizure ratio: answered / originated, i.e. answered share of the attempts that reached the network (0..1, 4 decimals); NULL if none did.';
COMMENT ON COLUMN report_trunks_v1.acd_seconds IS 'ACD, average call duration: talk_seconds / answered_ended, seconds (2 decimals); NULL if no answered call has ended.';
COMMENT ON COLUMN report_trunks_v1.pressed_one_rate IS 'Pressed-1 rate: pressed_one / answered (0..1, 4 decimals); NULL without answered calls.';

CREATE OR REPLACE VIEW report_agents_v1 AS
SELECT agent_id, attempts, originated, answered, ended, answered_ended, pressed_one, talk_seconds, billable_seconds,
  round(answered::numeric / nullif(attempts, 0), 4) AS answer_rate,
  round(answered::numeric / nullif(originated, 0), 4) AS asr,
  round(talk_seconds / nullif(answered_ended, 0), 2) AS acd_seconds,
  round(pressed_one::numeric / nullif(answered, 0), 4) AS pressed_one_rate
FROM (SELECT agent_id, sum(attempts)::bigint AS attempts,
        sum(originated)::bigint AS originated,
        sum(answered)::bigint AS answered,
        sum(ended)::bigint AS ended,
        sum(answered_ended)::bigint AS answered_ended,
        sum(pressed_one)::bigint AS pressed_one,
        sum(talk_seconds)::numeric AS talk_seconds,
        sum(billable_seconds)::bigint AS billable_seconds
      FROM campaign_stats_hourly_v1 GROUP BY agent_id) s;
COMMENT ON VIEW report_agents_v1 IS 'Answer rate, ASR, ACD and pressed-1 rate per agent, all campaigns and hours (definitions at the top of projections/reports.v1.sql).';
COMMENT ON COLUMN report_agents_v1.agent_id IS 'Agent on whose behalf the calls were placed.';
COMMENT ON COLUMN report_agents_v1.attempts IS 'Call attempts requested (retries included).';
COMMENT ON COLUMN report_agents_v1.originated IS 'Attempts that reached the network (Asterisk reported a channel); Originate failures excluded.';
COMMENT ON COLUMN report_agents_v1.answered IS 'Attempts the far end picked up, by a person or a machine.';
COMMENT ON COLUMN report_agents_v1.ended IS 'Attempts that have ended (hung up or Originate failed).';
COMMENT ON COLUMN report_agents_v1.answered_ended IS 'Answered attempts that have ended (denominator of ACD).';
COMMENT ON COLUMN report_agents_v1.pressed_one IS 'Attempts in which the called party pressed 1.';
COMMENT ON COLUMN report_agents_v1.talk_seconds IS 'Total talk time of ended attempts, seconds.';
COMMENT ON COLUMN report_agents_v1.billable_seconds IS 'Total billable seconds (talk rounded up per call) of ended attempts.';
COMMENT ON COLUMN report_agents_v1.answer_rate IS 'Answer rate: answered / attempts (0..1, 4 decimals); NULL without attempts.';
COMMENT ON COLUMN report_agents_v1.asr IS 'ASR, answer-seizure ratio: answered / originated, i.e. answered share of the attempts that reached the network (0..1, 4 decimals); NULL if none did.';
COMMENT ON COLUMN report_agents_v1.acd_seconds IS 'ACD, average call duration: talk_seconds / answered_ended, seconds (2 decimals); NULL if no answered call has ended.';
COMMENT ON COLUMN report_agents_v1.pressed_one_rate IS 'Pressed-1 rate: pressed_one / answered (0..1, 4 decimals); NULL without answered calls.';

CREATE OR REPLACE VIEW report_hours_v1 AS
SELECT hour, attempts, originated, answered, ended, answered_ended, pressed_one, talk_seconds, billable_seconds,
  round(answered::numeric / nullif(attempts, 0), 4) AS answer_rate,
  round(answered::numeric / nullif(originated, 0), 4) AS asr,
  round(talk_seconds / nullif(answered_ended, 0), 2) AS acd_seconds,
  round(pressed_one::numeric / nullif(answered, 0), 4) AS pressed_one_rate
FROM (SELECT hour, sum(attempts)::bigint AS attempts,
        sum(originated)::bigint AS originated,
        sum(answered)::bigint AS answered,
        sum(ended)::bigint AS ended,
        sum(answered_ended)::bigint AS answered_ended,
        sum(pressed_one)::bigint AS pressed_one,
        sum(talk_seconds)::numeric AS talk_seconds,
        sum(billable_seconds)::bigint AS billable_seconds
      FROM campaign_stats_hourly_v1 GROUP BY hour) s;
COMMENT ON VIEW report_hours_v1 IS 'Answer rate, ASR, ACD and pressed-1 rate per UTC hour, all campaigns (definitions at the top of projections/reports.v1.sql).';
COMMENT ON COLUMN report_hours_v1.hour IS 'Start of the UTC hour in which the calls were requested.';
COMMENT ON COLUMN report_hours_v1.attempts IS 'Call attempts requested (retries included).';
COMMENT ON COLUMN report_hours_v1.originated IS 'Attempts that reached the network (Asterisk reported a channel); Originate failures excluded.';
COMMENT ON COLUMN report_hours_v1.answered IS 'Attempts the far end picked up, by a person or a machine.';
COMMENT ON COLUMN report_hours_v1.ended IS 'Attempts that have ended (hung up or Originate failed).';
COMMENT ON COLUMN report_hours_v1.answered_ended IS 'Answered attempts that have ended (denominator of ACD).';
COMMENT ON COLUMN report_hours_v1.pressed_one IS 'Attempts in which the called party pressed 1.';
COMMENT ON COLUMN report_hours_v1.talk_seconds IS 'Total talk time of ended attempts, seconds.';
COMMENT ON COLUMN report_hours_v1.billable_seconds IS 'Total billable seconds (talk rounded up per call) of ended attempts.';
COMMENT ON COLUMN report_hours_v1.answer_rate IS 'Answer rate: answered / attempts (0..1, 4 decimals); NULL without attempts.';
COMMENT ON COLUMN report_hours_v1.asr IS 'ASR, answer-seizure ratio: answered / originated, i.e. answered share of the attempts that reached the network (0..1, 4 decimals); NULL if none did.';
COMMENT ON COLUMN report_hours_v1.acd_seconds IS 'ACD, average call duration: talk_seconds / answered_ended, seconds (2 decimals); NULL if no answered call has ended.';
COMMENT ON COLUMN report_hours_v1.pressed_one_rate IS 'Pressed-1 rate: pressed_one / answered (0..1, 4 decimals); NULL without answered calls.';

CREATE OR REPLACE VIEW report_campaign_hours_v1 AS
SELECT campaign_id, hour, attempts, originated, answered, ended, answered_ended, pressed_one, talk_seconds, billable_seconds,
  round(answered::numeric / nullif(attempts, 0), 4) AS answer_rate,
  round(answered::numeric / nullif(originated, 0), 4) AS asr,
  round(talk_seconds / nullif(answered_ended, 0), 2) AS acd_seconds,
  round(pressed_one::numeric / nullif(answered, 0), 4) AS pressed_one_rate
FROM (SELECT campaign_id, hour, sum(attempts)::bigint AS attempts,
        sum(originated)::bigint AS originated,
        sum(answered)::bigint AS answered,
        sum(ended)::bigint AS ended,
        sum(answered_ended)::bigint AS answered_ended,
        sum(pressed_one)::bigint AS pressed_one,
        sum(talk_seconds)::numeric AS talk_seconds,
        sum(billable_seconds)::bigint AS billable_seconds
      FROM campaign_stats_hourly_v1 GROUP BY campaign_id, hour) s;
COMMENT ON VIEW report_campaign_hours_v1 IS 'Answer rate, ASR, ACD and pressed-1 rate per campaign and UTC hour (definitions at the top of projections/reports.v1.sql).';
COMMENT ON COLUMN report_campaign_hours_v1.campaign_id IS 'Campaign; empty string for calls made outside a campaign.';
COMMENT ON COLUMN report_campaign_hours_v1.hour IS 'Start of the UTC hour in which the calls were requested.';
COMMENT ON COLUMN report_campaign_hours_v1.attempts IS 'Call attempts requested (retries included).';
COMMENT ON COLUMN report_campaign_hours_v1.originated IS 'Attempts that reached the network (Asterisk reported a channel); Originate failures excluded.';
COMMENT ON COLUMN report_campaign_hours_v1.answered IS 'Attempts the far end picked up, by a person or a machine.';
COMMENT ON COLUMN report_campaign_hours_v1.ended IS 'Attempts that have ended (hung up or Originate failed).';
COMMENT ON COLUMN report_campaign_hours_v1.answered_ended IS 'Answered attempts that have ended (denominator of ACD).';
COMMENT ON COLUMN report_campaign_hours_v1.pressed_one IS 'Attempts in which the called party pressed 1.';
COMMENT ON COLUMN report_campaign_hours_v1.talk_seconds IS 'Total talk time of ended attempts, seconds.';
COMMENT ON COLUMN report_campaign_hours_v1.billable_seconds IS 'Total billable seconds (talk rounded up per call) of ended attempts.';
COMMENT ON COLUMN report_campaign_hours_v1.answer_rate IS 'Answer rate: answered / attempts (0..1, 4 decimals); NULL without attempts.';
COMMENT ON COLUMN report_campaign_hours_v1.asr IS 'ASR, answer-seizure ratio: answered / originated, i.e. answered share of the attempts that reached the network (0..1, 4 decimals); NULL if none did.';
COMMENT ON COLUMN report_campaign_hours_v1.acd_seconds IS 'ACD, average call duration: talk_seconds / answered_ended, seconds (2 decimals); NULL if no answered call has ended.';
COMMENT ON COLUMN report_campaign_hours_v1.pressed_one_rate IS 'Pressed-1 rate: pressed_one / answered (0..1, 4 decimals); NULL without answered calls.';

CREATE OR REPLACE VIEW report_disposition_mix_v1 AS
SELECT dimension, key, disposition, calls, round(calls::numeric / sum(calls) OVER (PARTITION BY dimension, key), 4) AS share
FROM (SELECT k.dimension, k.key, d.disposition, sum(d.calls)::bigint AS calls
      FROM campaign_stats_hourly_v1 s
      CROSS JOIN LATERAL (VALUES ('campaign', s.campaign_id), ('trunk', s.trunk), ('agent', s.agent_id),
        ('hour', to_char(s.hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24":00:00Z"'))) AS k (dimension, key)
      CROSS JOIN LATERAL (VALUES ('answered', s.disposition_answered), ('busy', s.disposition_busy), ('no-answer', s.disposition_no_answer), ('unreachable', s.disposition_unreachable), ('rejected', s.disposition_rejected), ('invalid-number', s.disposition_invalid_number), ('failed', s.disposition_failed), ('congestion', s.disposition_congestion), ('carrier-failure', s.disposition_carrier_failure), ('originate-failed', s.disposition_originate_failed), ('machine', s.disposition_machine), ('cancelled', s.disposition_cancelled), ('unknown', s.disposition_unknown)) AS d (disposition, calls)
      GROUP BY k.dimension, k.key, d.disposition) m
WHERE calls > 0;
COMMENT ON VIEW report_disposition_mix_v1 IS 'Disposition mix: ended attempts per disposition, per campaign, trunk, agent or UTC hour; dispositions with no calls are left out.';
COMMENT ON COLUMN report_disposition_mix_v1.dimension IS 'What key is: campaign, trunk, agent or hour.';
COMMENT ON COLUMN report_disposition_mix_v1.key IS 'The campaign id, trunk, agent id (empty string = none/unknown), or the UTC hour as YYYY-MM-DDTHH:00:00Z.';
COMMENT ON COLUMN report_disposition_mix_v1.disposition IS 'How the attempts ended: answered, busy, no-answer, unreachable, rejected, invalid-number, failed, congestion, carrier-failure, originate-failed, machine, cancelled or unknown.';
COMMENT ON COLUMN report_disposition_mix_v1.calls IS 'Ended attempts with this disposition.';
COMMENT ON COLUMN report_disposition_mix_v1.share IS 'calls / all ended attempts of this key (0..1, 4 decimals; the shares of a key add up to 1 up to rounding).';
