import type { EventPayload } from '../eventstore/event-store.port';
import type { CallEvent } from '../calls/call.events';
import type { Change, Projection } from './projection';
import { readProjectionSchema } from './schema-file';
import { byKeys, Column, columnsOf, putRows, Writes } from './sql';
import type { Read, WritePlan } from './write-plan';

const NAME = 'autodial_responses';
const VERSION = 1;
const TABLE = 'autodial_responses_v1';
/** Auto-dial calls as requested: DtmfPressed carries only the call id. */
const CALLS = 'autodial_calls_v1';

interface CallInfo {
  call_id: string;
  campaign_id: string | null;
  agent_id: string | null;
  phone: string | null;
  tracking_id: string | null;
}

type Step =
  | (Change & { op: 'request'; call: CallInfo; position: bigint })
  | (Change & { op: 'press'; callId: string; digit: string; at: string; position: bigint });

/** One row per auto-dial call with a key pressed (projections/autodial_responses.v1.sql). */
export function autodialResponsesProjection(): Projection {
  const schemaSql = readProjectionSchema(NAME, VERSION);
  const callColumns = columnsOf(schemaSql, CALLS);
  return {
    name: NAME,
    version: VERSION,
    schemaSql,
    tables: [TABLE, CALLS],
    handle,
    plan: (changes) => plan(callColumns, changes as Step[]),
  };
}

function handle(recorded: EventPayload): Step[] {
  const event = { type: recorded.type, data: recorded.data } as CallEvent;
  switch (event.type) {
    case 'CallRequested': {
      if (event.data.kind !== 'autodial') return [];
      const d = event.data;
      const call = { call_id: d.callId, campaign_id: d.campaignId ?? null, agent_id: d.agentId ?? null, phone: d.phone ?? null, tracking_id: d.trackingId ?? null };
      return [{ op: 'request', call, position: recorded.position }];
    }
    case 'DtmfPressed':
      return [{ op: 'press', callId: event.data.callId, digit: event.data.digit, at: event.data.at, position: recorded.position }];
    default:
      return [];
  }
}

interface Response {
  call_id: string;
  campaign_id: string | null;
  agent_id: string | null;
  phone: string | null;
  tracking_id: string | null;
  digits: string;
  first_digit: string;
  pressed_one: boolean;
  at: string;
  pressed_one_at: string | null;
  last_digit_at: string;
  last_position: bigint;
}

/**
 * A call is requested once: its first CallRequested is kept (a replayed or repeated one changes
 * nothing). A press counts only for a call already known as auto-dial (no row: not an auto-dial
 * call, no response) and only if the response row does not reflect its position yet; a batch's
 * presses of one call are folded into one row change (digits appended, pressed 1 sticky, times).
 */
function plan(callColumns: Record<string, Column>, steps: readonly Step[]): WritePlan {
  const pressed = [...new Set(steps.flatMap((s) => (s.op === 'press' ? [s.callId] : [])))];
  // The pressed calls as requested, and how far their response rows are (NULL: none yet).
  const reads: Read[] = pressed.length === 0 ? [] : [{
    sql:
      `SELECT k.k AS pressed, c.call_id IS NOT NULL AS requested, c.call_id, c.campaign_id, c.agent_id, c.phone, c.tracking_id,\n` +
      `r.last_position::text AS responded\n` +
      `FROM ${byKeys('$1', CALLS, 'call_id', 'c', 'call_id, campaign_id, agent_id, phone, tracking_id', 'LEFT')}\n` +
      `LEFT JOIN LATERAL (SELECT last_position FROM ${TABLE} WHERE ${TABLE}.call_id = k.k LIMIT 1) r ON true`,
    params: [pressed],
  }];
  return { reads, fold: (found, writes) => fold(writes, callColumns, steps, (found[0] ?? []) as unknown as PressedRow[]) };
}

/** A row of plan()'s read: a pressed call as requested (if it was), and its response row's position. */
type PressedRow = CallInfo & { pressed: string; requested: boolean; responded: string | null };

function fold(writes: Writes, callColumns: Record<string, Column>, steps: readonly Step[], rows: readonly PressedRow[]): void {
  const known = new Map<string, CallInfo>();
  const responsesAt = new Map<string, bigint>();
  for (const { pressed: id, requested, responded, ...call } of rows) {
    if (requested) known.set(id, call);
    if (responded !== null) responsesAt.set(id, BigInt(responded));
  }
  const requested: (CallInfo & { last_position: bigint })[] = [];
  const responses = new Map<string, Response>();
  for (const s of steps) {
    if (s.op === 'request') {
      if (known.has(s.call.call_id)) continue;
      known.set(s.call.call_id, s.call);
      requested.push({ ...s.call, last_position: s.position });
      continue;
    }
    const call = known.get(s.callId);
    const seen = responsesAt.get(s.callId);
    if (!call || (seen !== undefined && s.position <= seen)) continue;
    const digit = String(s.digit);
    const one = digit === '1';
    const r = responses.get(s.callId);
    if (!r) {
      const { call_id, campaign_id, agent_id, phone, tracking_id } = call;
      responses.set(s.callId, {
        call_id, campaign_id, agent_id, phone, tracking_id,
        digits: digit, first_digit: digit, pressed_one: one, at: s.at, pressed_one_at: one ? s.at : null, last_digit_at: s.at, last_position: s.position,
      });
    } else {
      r.digits += digit;
      r.pressed_one ||= one;
      r.pressed_one_at ??= one ? s.at : null;
      r.last_digit_at = s.at;
      r.last_position = s.position;
    }
  }
  putRows(writes, CALLS, callColumns, ['call_id'], requested, 'nothing');
  if (responses.size > 0) {
    // New rows are inserted whole; a stored row takes the batch's presses on top of its own.
    writes.add(
      `INSERT INTO ${TABLE} AS t (call_id, campaign_id, agent_id, phone, tracking_id, digits, first_digit, pressed_one, at, pressed_one_at, last_digit_at, last_position)\n` +
        `SELECT call_id, campaign_id, agent_id, phone, tracking_id, digits, first_digit, pressed_one, at, pressed_one_at, last_digit_at, last_position\n` +
        `FROM json_to_recordset(${writes.records([...responses.values()])}) AS r(call_id text, campaign_id text, agent_id text, phone text, tracking_id text, digits text, ` +
        `first_digit text, pressed_one boolean, at timestamptz, pressed_one_at timestamptz, last_digit_at timestamptz, last_position bigint)\n` +
        `ON CONFLICT (call_id) DO UPDATE SET digits = t.digits || excluded.digits, pressed_one = t.pressed_one OR excluded.pressed_one, ` +
        `pressed_one_at = coalesce(t.pressed_one_at, excluded.pressed_one_at), last_digit_at = excluded.last_digit_at, ` +
        `last_position = excluded.last_position\n` +
        `WHERE excluded.last_position > t.last_position`,
    );
  }
}
