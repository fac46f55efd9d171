import type { RecordedEvent } from '../eventstore/event-store.port';
import type { CallEvent } from '../calls/call.events';
import type { Projection, Statement } from './projection';
import { readProjectionSchema } from './schema-file';
import { Params, position, text, timestamptz } from './sql';

const NAME = 'autodial_responses';
const VERSION = 1;
const TABLE = 'autodial_responses_v1';
/** Auto-dial calls as requested: DtmfPressed carries only the call id. */
const CALLS = 'autodial_calls_v1';

/** One row per auto-dial call with a key pressed (projections/autodial_responses.v1.sql). */
export function autodialResponsesProjection(): Projection {
  return { name: NAME, version: VERSION, schemaSql: readProjectionSchema(NAME, VERSION), tables: [TABLE, CALLS], handle };
}

function handle(recorded: RecordedEvent): Statement[] {
  const event = { type: recorded.type, data: recorded.data } as CallEvent;
  const p = new Params();
  const pos = p.add(position(recorded.position));
  switch (event.type) {
    case 'CallRequested': {
      if (event.data.kind !== 'autodial') return [];
      const d = event.data;
      const values = [text(d.callId), text(d.campaignId), text(d.agentId), text(d.phone), text(d.trackingId)].map((v) => p.add(v));
      // A call is requested once; a replayed (or repeated) request changes nothing.
      const sql =
        `INSERT INTO ${CALLS} (call_id, campaign_id, agent_id, phone, tracking_id, last_position)\n` +
        `VALUES (${values.join(', ')}, ${pos}) ON CONFLICT (call_id) DO NOTHING`;
      return [{ sql, params: p.values }];
    }
    case 'DtmfPressed': {
      const call = p.add(text(event.data.callId));
      const digit = p.add(text(event.data.digit));
      const at = p.add(timestamptz(event.data.at));
      // No row in the working table: not an auto-dial call, so no response row.
      const sql =
        `INSERT INTO ${TABLE} AS t (call_id, campaign_id, agent_id, phone, tracking_id, digits, first_digit, pressed_one, at, pressed_one_at, last_digit_at, last_position)\n` +
        `SELECT call_id, campaign_id, agent_id, phone, tracking_id, ${digit}, ${digit}, ${digit} = '1', ${at}, CASE WHEN ${digit} = '1' THEN ${at} END, ${at}, ${pos}\n` +
        `FROM ${CALLS} WHERE call_id = ${call}\n` +
        `ON CONFLICT (call_id) DO UPDATE SET digits = t.digits || excluded.digits, pressed_one = t.pressed_one OR excluded.pressed_one, ` +
        `pressed_one_at = coalesce(t.pressed_one_at, excluded.pressed_one_at), last_digit_at = excluded.last_digit_at, ` +
        `last_position = excluded.last_position\n` +
        `WHERE excluded.last_position > t.last_position`;
      return [{ sql, params: p.values }];
    }
    default:
      return [];
  }
}
