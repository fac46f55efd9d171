import { READ_MODEL_SCHEMA, type ReadModelQueryable } from '../projections';
import { DomainError } from '../shared/domain-error';
import { FIGURE_COLUMNS, figuresOf, NO_FIGURES, num, numOrNull, type ReportFigures } from './report-figures';

const RM = READ_MODEL_SCHEMA;

/** The campaign as campaigns_v1 has it: settings, state and live counters by call state. */
export interface CampaignDetails {
  name: string | null;
  agentId: string | null;
  timeZone: string | null;
  windowStart: string | null;
  windowEnd: string | null;
  route: string | null;
  callerId: string | null;
  maxConcurrentCalls: number | null;
  maxAttempts: number | null;
  contacts: number;
  state: string;
  createdAt: string | null;
  startedAt: string | null;
  pausedAt: string | null;
  endedAt: string | null;
  cancelReason: string | null;
  calls: {
    total: number;
    dialing: number;
    talking: number;
    ended: number;
    answered: number;
    pressedOne: number;
    retriesScheduled: number;
    talkSeconds: number;
    billableSeconds: number;
  };
}

export interface DispositionShare {
  disposition: string;
  calls: number;
  /** Share of the campaign's ended attempts, 0..1 (4 decimals). */
  share: number;
}

export interface CampaignReport {
  campaignId: string;
  /** null when the read models know the campaign only from its calls (no campaign events yet). */
  campaign: CampaignDetails | null;
  /** Counters and rates from report_campaigns_v1. */
  figures: ReportFigures;
  /** Ended attempts per disposition (report_disposition_mix_v1), most frequent first. */
  dispositions: DispositionShare[];
}

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ${column}`;

/** One campaign's report from campaigns_v1 and the report views; REPORT_UNKNOWN_CAMPAIGN if neither knows it. */
export async function readCampaignReport(db: ReadModelQueryable, campaignId: string): Promise<CampaignReport> {
  const [campaign] = await db.query(
    `SELECT name, agent_id, time_zone, window_start, window_end, route, caller_id, max_concurrent_calls, max_attempts, contacts, state,
       ${['created_at', 'started_at', 'paused_at', 'ended_at'].map(iso).join(', ')}, cancel_reason,
       calls_total, calls_dialing, calls_talking, calls_ended, calls_answered, pressed_one, retries_scheduled, talk_seconds, billable_seconds
     FROM ${RM}.campaigns_v1 WHERE campaign_id = $1`,
    [campaignId],
  );
  const [figures] = await db.query(`SELECT ${FIGURE_COLUMNS} FROM ${RM}.report_campaigns_v1 WHERE campaign_id = $1`, [campaignId]);
  if (!campaign && !figures) throw new DomainError('REPORT_UNKNOWN_CAMPAIGN', `unknown campaign: ${campaignId}`, { campaignId });
  const mix = await db.query(
    `SELECT disposition, calls, share FROM ${RM}.report_disposition_mix_v1
     WHERE dimension = 'campaign' AND key = $1 ORDER BY calls DESC, disposition`,
    [campaignId],
  );
  return {
    campaignId,
    campaign: campaign ? detailsOf(campaign) : null,
    figures: figures ? figuresOf(figures) : NO_FIGURES,
    dispositions: mix.map((m) => ({ disposition: String(m.disposition), calls: num(m.calls), share: num(m.share) })),
  };
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function detailsOf(row: Record<string, unknown>): CampaignDetails {
  return {
    name: str(row.name),
    agentId: str(row.agent_id),
    timeZone: str(row.time_zone),
    windowStart: str(row.window_start),
    windowEnd: str(row.window_end),
    route: str(row.route),
    callerId: str(row.caller_id),
    maxConcurrentCalls: numOrNull(row.max_concurrent_calls),
    maxAttempts: numOrNull(row.max_attempts),
    contacts: num(row.contacts),
    state: String(row.state),
    createdAt: str(row.created_at),
    startedAt: str(row.started_at),
    pausedAt: str(row.paused_at),
    endedAt: str(row.ended_at),
    cancelReason: str(row.cancel_reason),
    calls: {
      total: num(row.calls_total),
      dialing: num(row.calls_dialing),
      talking: num(row.calls_talking),
      ended: num(row.calls_ended),
      answered: num(row.calls_answered),
      pressedOne: num(row.pressed_one),
      retriesScheduled: num(row.retries_scheduled),
      talkSeconds: num(row.talk_seconds),
      billableSeconds: num(row.billable_seconds),
    },
  };
}
