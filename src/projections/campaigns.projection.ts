import type { EventPayload } from '../eventstore/event-store.port';
import type { CallEvent } from '../calls/call.events';
import { DISPOSITIONS, Disposition } from '../calls/disposition';
import type { CampaignEvent } from '../campaigns/campaign.events';
import type { Change, Projection } from './projection';
import { readProjectionSchema } from './schema-file';
import { byKeys, Column, columnsOf, foldRows, replaceRows, RowChange, RowTable, rowTable, Value, Writes } from './sql';
import type { WritePlan } from './write-plan';

const NAME = 'campaigns';
const VERSION = 1;
const TABLE = 'campaigns_v1';
/** Which campaign each call belongs to and how far it got: call events carry only the call id. */
const CALLS = 'campaign_calls_v1';

/** Campaign rows with live counters (projections/campaigns.v1.sql). */
export function campaignsProjection(): Projection {
  const schemaSql = readProjectionSchema(NAME, VERSION);
  const merge = Object.fromEntries(COUNTER_COLUMNS.map((c) => [c, 'add' as const]));
  const campaigns = rowTable(schemaSql, TABLE, 'campaign_id', { ...merge, started_at: 'first' });
  const calls = columnsOf(schemaSql, CALLS);
  return {
    name: NAME,
    version: VERSION,
    schemaSql,
    tables: [TABLE, CALLS],
    handle,
    plan: (changes) => plan(campaigns, calls, changes as Step[]),
  };
}

export const dispositionColumn = (d: Disposition): string => `disposition_${d.replace(/-/g, '_')}`;

export const COUNTER_COLUMNS = [
  'contacts',
  'calls_total',
  'calls_dialing',
  'calls_talking',
  'calls_ended',
  'calls_answered',
  'pressed_one',
  'retries_scheduled',
  'talk_seconds',
  'billable_seconds',
  ...DISPOSITIONS.map(dispositionColumn),
] as const;

type CampaignChange = Change & RowChange & { op: 'campaign' };
type CallStep = Change & {
  op: 'call';
  type: 'requested' | 'answered' | 'pressed-one' | 'ended' | 'retry';
  callId: string;
  position: bigint;
  /** requested: the campaign; ended: the counters it adds besides calls_ended. */
  campaignId?: string;
  ended?: Record<string, Value>;
};
type Step = CampaignChange | CallStep;

function handle(recorded: EventPayload): Step[] {
  if (recorded.streamId.startsWith('campaign-')) return campaignEvent(recorded);
  if (recorded.streamId.startsWith('call-')) return callEvent(recorded);
  return [];
}

function campaignEvent(recorded: EventPayload): CampaignChange[] {
  const event = { type: recorded.type, data: recorded.data } as CampaignEvent;
  const row = (set: Record<string, Value>): CampaignChange[] => [{ op: 'campaign', key: event.data.campaignId, at: recorded.position, set }];
  switch (event.type) {
    case 'CampaignCreated': {
      const d = event.data;
      return row({
        name: d.name,
        agent_id: d.agentId,
        time_zone: d.timeZone,
        window_start: d.callingWindow?.start,
        window_end: d.callingWindow?.end,
        route: d.route,
        caller_id: d.callerId,
        max_concurrent_calls: d.maxConcurrentCalls,
        max_attempts: d.retryPolicy?.maxAttempts,
        created_at: d.at,
      });
    }
    case 'ContactsImported':
      return row({ contacts: event.data.contacts.length });
    case 'CampaignStarted':
      // started_at keeps the first start (merge 'first').
      return row({ state: 'running', started_at: event.data.at });
    case 'CampaignPaused':
      return row({ state: 'paused', paused_at: event.data.at });
    case 'CampaignResumed':
      return row({ state: 'running' });
    case 'CampaignCancelled':
      return row({ state: 'cancelled', ended_at: event.data.at, cancel_reason: event.data.reason });
    case 'CampaignCompleted':
      return row({ state: 'completed', ended_at: event.data.at });
    default:
      return [];
  }
}

function callEvent(recorded: EventPayload): CallStep[] {
  const event = { type: recorded.type, data: recorded.data } as CallEvent;
  const step = (type: CallStep['type'], extra: Partial<CallStep> = {}): CallStep[] => [
    { op: 'call', type, callId: event.data.callId, position: recorded.position, ...extra },
  ];
  switch (event.type) {
    case 'CallRequested':
      return event.data.campaignId ? step('requested', { campaignId: event.data.campaignId }) : [];
    case 'CallAnswered':
      return step('answered');
    case 'DtmfPressed':
      return event.data.digit === '1' ? step('pressed-one') : [];
    case 'CallHungUp': {
      const d = event.data;
      return step('ended', {
        ended: { talk_seconds: d.talkSeconds, billable_seconds: d.billableSeconds, [dispositionColumnOf(d.disposition)]: 1 },
      });
    }
    case 'CallOriginateFailed':
      return step('ended', { ended: { disposition_originate_failed: 1 } });
    case 'CallRetryScheduled':
      return step('retry');
    default:
      return [];
  }
}

/** An unknown disposition (from a newer writer) is counted as `unknown` rather than lost. */
function dispositionColumnOf(d: string): string {
  return dispositionColumn((DISPOSITIONS as readonly string[]).includes(d) ? (d as Disposition) : 'unknown');
}

interface CallRow {
  call_id: string;
  campaign_id: string;
  answered: boolean;
  pressed_one: boolean;
  ended: boolean;
  last_position: bigint;
}

/**
 * A call event moves the call's row in campaign_calls (guarded by position, and each fact —
 * answered, pressed 1, ended — by its flag, so it happens once) and, only if it did, adds its
 * deltas to the call's campaign row, at the event's position. The calls' rows are read first and
 * moved in memory in event order; then the campaign rows get every change of the batch (their own
 * events and the counter deltas) through foldRows, and the changed call rows are written back.
 */
function plan(campaigns: RowTable, callColumns: Record<string, Column>, steps: readonly Step[]): WritePlan {
  const callIds = [...new Set(steps.flatMap((s) => (s.op === 'call' ? [s.callId] : [])))];
  const campaignIds = [...new Set(steps.flatMap((s) => (s.op === 'campaign' ? [s.key] : s.campaignId !== undefined ? [s.campaignId] : [])))];
  // One read: the calls' rows, and the positions of every campaign row the batch may change
  // (its own events, calls requested for it, and the campaigns of the stored calls).
  const read = {
    sql:
      `WITH c AS (SELECT c.* FROM ${byKeys('$1', CALLS, 'call_id', 'c', 'call_id, campaign_id, answered, pressed_one, ended, last_position')})\n` +
      `SELECT 'call' AS kind, call_id AS id, campaign_id, answered, pressed_one, ended, last_position::text AS last_position FROM c\n` +
      `UNION ALL SELECT 'campaign', campaign_id, NULL, NULL, NULL, NULL, last_position::text FROM ${TABLE}\n` +
      `WHERE campaign_id = ANY($2::text[]) OR campaign_id IN (SELECT campaign_id FROM c)`,
    params: [callIds, campaignIds],
  };
  return { reads: [read], fold: ([found], writes) => fold(writes, campaigns, callColumns, steps, found as unknown as StoredRow[]) };
}

/** A row of plan()'s read: a call's working row, or a campaign row's position. */
interface StoredRow {
  kind: 'call' | 'campaign';
  id: string;
  campaign_id: string;
  answered: boolean;
  pressed_one: boolean;
  ended: boolean;
  last_position: string;
}

function fold(writes: Writes, campaigns: RowTable, callColumns: Record<string, Column>, steps: readonly Step[], stored: readonly StoredRow[]): void {
  const calls = new Map<string, CallRow>();
  const campaignsAt = new Map<string, bigint>();
  for (const r of stored) {
    if (r.kind === 'campaign') campaignsAt.set(r.id, BigInt(r.last_position));
    else calls.set(r.id, { call_id: r.id, campaign_id: r.campaign_id, answered: r.answered, pressed_one: r.pressed_one, ended: r.ended, last_position: BigInt(r.last_position) });
  }
  const storedCalls = new Set(calls.keys());
  const changed = new Set<string>();
  const rowChanges: RowChange[] = [];
  for (const s of steps) {
    if (s.op === 'campaign') {
      rowChanges.push(s);
      continue;
    }
    const call = calls.get(s.callId);
    const bump = (campaignId: string, deltas: Record<string, Value>) => {
      changed.add(s.callId);
      rowChanges.push({ key: campaignId, at: s.position, set: deltas });
    };
    if (s.type === 'requested') {
      if (!call) {
        calls.set(s.callId, { call_id: s.callId, campaign_id: s.campaignId!, answered: false, pressed_one: false, ended: false, last_position: s.position });
      } else if (call.last_position < s.position) {
        call.campaign_id = s.campaignId!;
        call.last_position = s.position;
      } else continue;
      bump(s.campaignId!, { calls_total: 1, calls_dialing: 1 });
      continue;
    }
    if (!call || call.last_position >= s.position) continue;
    if (s.type === 'answered' && !call.answered) {
      call.answered = true;
      bump(call.campaign_id, { calls_dialing: -1, calls_talking: 1, calls_answered: 1 });
    } else if (s.type === 'pressed-one' && !call.pressed_one) {
      call.pressed_one = true;
      bump(call.campaign_id, { pressed_one: 1 });
    } else if (s.type === 'ended' && !call.ended) {
      call.ended = true;
      bump(call.campaign_id, {
        calls_dialing: call.answered ? 0 : -1,
        calls_talking: call.answered ? -1 : 0,
        calls_ended: 1,
        ...s.ended,
      });
    } else if (s.type === 'retry') {
      bump(call.campaign_id, { retries_scheduled: 1 });
    } else continue;
    call.last_position = s.position;
  }
  foldRows(writes, campaigns, campaignsAt, rowChanges);
  replaceRows(writes, CALLS, callColumns, 'call_id', [...changed].map((id) => calls.get(id)!), (row) => storedCalls.has((row as CallRow).call_id));
}
