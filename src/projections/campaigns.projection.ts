import type { RecordedEvent } from '../eventstore/event-store.port';
import type { CallEvent } from '../calls/call.events';
import { DISPOSITIONS, Disposition } from '../calls/disposition';
import type { CampaignEvent } from '../campaigns/campaign.events';
import type { Projection, Statement } from './projection';
import { readProjectionSchema } from './schema-file';
import { int, numeric, Param, Params, position, text, timestamptz, upsert } from './sql';

const NAME = 'campaigns';
const VERSION = 1;
const TABLE = 'campaigns_v1';
/** Which campaign each call belongs to and how far it got: call events carry only the call id. */
const CALLS = 'campaign_calls_v1';

/** Campaign rows with live counters (projections/campaigns.v1.sql). */
export function campaignsProjection(): Projection {
  return { name: NAME, version: VERSION, schemaSql: readProjectionSchema(NAME, VERSION), tables: [TABLE, CALLS], handle };
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

function handle(recorded: RecordedEvent): Statement[] {
  if (recorded.streamId.startsWith('campaign-')) return campaignEvent(recorded);
  if (recorded.streamId.startsWith('call-')) return callEvent(recorded);
  return [];
}

function campaignEvent(recorded: RecordedEvent): Statement[] {
  const event = { type: recorded.type, data: recorded.data } as CampaignEvent;
  const at = recorded.position;
  const row = (set: Record<string, Param | undefined>, merge?: Record<string, string>) => [
    upsert({ table: TABLE, key: { campaign_id: text(event.data.campaignId) }, set, at, merge }),
  ];
  switch (event.type) {
    case 'CampaignCreated': {
      const d = event.data;
      return row({
        name: text(d.name),
        agent_id: text(d.agentId),
        time_zone: text(d.timeZone),
        window_start: text(d.callingWindow?.start),
        window_end: text(d.callingWindow?.end),
        route: text(d.route),
        caller_id: text(d.callerId),
        max_concurrent_calls: int(d.maxConcurrentCalls),
        max_attempts: int(d.retryPolicy?.maxAttempts),
        created_at: timestamptz(d.at),
      });
    }
    case 'ContactsImported':
      return row({ contacts: int(event.data.contacts.length) }, { contacts: 't.contacts + excluded.contacts' });
    case 'CampaignStarted':
      return row(
        { state: text('running'), started_at: timestamptz(event.data.at) },
        { started_at: 'coalesce(t.started_at, excluded.started_at)' },
      );
    case 'CampaignPaused':
      return row({ state: text('paused'), paused_at: timestamptz(event.data.at) });
    case 'CampaignResumed':
      return row({ state: text('running') });
    case 'CampaignCancelled':
      return row({ state: text('cancelled'), ended_at: timestamptz(event.data.at), cancel_reason: text(event.data.reason) });
    case 'CampaignCompleted':
      return row({ state: text('completed'), ended_at: timestamptz(event.data.at) });
    default:
      return [];
  }
}

/**
 * A call event moves the call's row in campaign_calls (guarded by position, so it happens once)
 * and, only if it did, adds its deltas to the campaign: `c` is the call row the first statement
 * returned, so a replay — which returns no row — adds nothing.
 */
function callEvent(recorded: RecordedEvent): Statement[] {
  const event = { type: recorded.type, data: recorded.data } as CallEvent;
  const at = recorded.position;
  const p = new Params();
  const call = p.add(text(event.data.callId));
  const pos = p.add(position(at));
  const step = (set: string, deltas: Record<string, string>, alsoWhen = 'true'): Statement[] => [
    bump(p, `UPDATE ${CALLS} SET ${set}last_position = ${pos} WHERE call_id = ${call} AND last_position < ${pos} AND ${alsoWhen} RETURNING *`, deltas, pos),
  ];
  switch (event.type) {
    case 'CallRequested': {
      if (!event.data.campaignId) return [];
      const insert =
        `INSERT INTO ${CALLS} AS t (call_id, campaign_id, last_position) VALUES (${call}, ${p.add(text(event.data.campaignId))}, ${pos}) ` +
        `ON CONFLICT (call_id) DO UPDATE SET campaign_id = excluded.campaign_id, last_position = excluded.last_position ` +
        `WHERE excluded.last_position > t.last_position RETURNING *`;
      return [bump(p, insert, { calls_total: '1', calls_dialing: '1' }, pos)];
    }
    case 'CallAnswered':
      return step('answered = true, ', { calls_dialing: '-1', calls_talking: '1', calls_answered: '1' }, 'NOT answered');
    case 'DtmfPressed':
      if (event.data.digit !== '1') return [];
      return step('pressed_one = true, ', { pressed_one: '1' }, 'NOT pressed_one');
    case 'CallHungUp': {
      const d = event.data;
      return step(
        'ended = true, ',
        {
          calls_dialing: 'CASE WHEN c.answered THEN 0 ELSE -1 END',
          calls_talking: 'CASE WHEN c.answered THEN -1 ELSE 0 END',
          calls_ended: '1',
          talk_seconds: p.add(numeric(d.talkSeconds)),
          billable_seconds: p.add(int(d.billableSeconds)),
          [dispositionColumnOf(d.disposition)]: '1',
        },
        'NOT ended',
      );
    }
    case 'CallOriginateFailed':
      return step(
        'ended = true, ',
        {
          calls_dialing: 'CASE WHEN c.answered THEN 0 ELSE -1 END',
          calls_talking: 'CASE WHEN c.answered THEN -1 ELSE 0 END',
          calls_ended: '1',
          disposition_originate_failed: '1',
        },
        'NOT ended',
      );
    case 'CallRetryScheduled':
      return step('', { retries_scheduled: '1' });
    default:
      return [];
  }
}

/** An unknown disposition (from a newer writer) is counted as `unknown` rather than lost. */
function dispositionColumnOf(d: string): string {
  return dispositionColumn((DISPOSITIONS as readonly string[]).includes(d) ? (d as Disposition) : 'unknown');
}

/** WITH c AS (<call row change> RETURNING *) upsert the campaign row adding `deltas`. */
function bump(p: Params, callChange: string, deltas: Record<string, string>, pos: string): Statement {
  const cols = Object.keys(deltas);
  const sql =
    `WITH c AS (${callChange})\n` +
    `INSERT INTO ${TABLE} AS t (campaign_id, ${cols.join(', ')}, last_position)\n` +
    `SELECT c.campaign_id, ${cols.map((col) => deltas[col]).join(', ')}, ${pos} FROM c\n` +
    `ON CONFLICT (campaign_id) DO UPDATE SET ${cols.map((col) => `${col} = t.${col} + excluded.${col}`).join(', ')}, ` +
    `last_position = excluded.last_position\n` +
    `WHERE excluded.last_position > t.last_position`;
  return { sql, params: p.values };
}
