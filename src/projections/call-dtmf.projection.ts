import type { EventPayload } from '../eventstore/event-store.port';
import type { DtmfPressed } from '../calls/call.events';
import type { Change, Projection } from './projection';
import { readProjectionSchema } from './schema-file';
import { Writes } from './sql';

const NAME = 'call_dtmf';
const VERSION = 1;
const TABLE = 'call_dtmf_v1';

interface Press extends Change {
  op: 'press';
  callId: string;
  digit: string;
  source: string;
  at: string;
  position: bigint;
}

/** DTMF history: one row per digit pressed (projections/call_dtmf.v1.sql). */
export function callDtmfProjection(): Projection {
  const schemaSql = readProjectionSchema(NAME, VERSION);
  return {
    name: NAME,
    version: VERSION,
    schemaSql,
    tables: [TABLE],
    handle,
    plan: (changes) => ({ reads: [], fold: (_, writes) => write(writes, changes as Press[]) }),
  };
}

function handle(recorded: EventPayload): Press[] {
  if (recorded.type !== 'DtmfPressed') return [];
  const { callId, digit, source, at } = recorded.data as DtmfPressed['data'];
  return [{ op: 'press', callId, digit, source, at, position: recorded.position }];
}

/**
 * `seq` numbers a call's presses 1, 2, 3 in order. A press is recorded only when no row of its
 * call already reflects its position or a later one, so a replayed press is not numbered a second
 * time. One statement: each call's highest stored seq and position, then the batch's presses
 * after that position, numbered on from there.
 */
function write(writes: Writes, presses: readonly Press[]): void {
  const rows = presses.map((p) => ({ call_id: p.callId, digit: p.digit, source: p.source, at: p.at, last_position: p.position }));
  writes.add(
    `INSERT INTO ${TABLE} (call_id, seq, digit, source, at, last_position)\n` +
      `SELECT r.call_id, coalesce(m.seq, 0) + row_number() OVER (PARTITION BY r.call_id ORDER BY r.last_position), r.digit, r.source, r.at, r.last_position\n` +
      `FROM json_to_recordset(${writes.records(rows)}) AS r(call_id text, digit text, source text, at timestamptz, last_position bigint)\n` +
      `CROSS JOIN LATERAL (SELECT max(d.seq) AS seq, max(d.last_position) AS pos FROM ${TABLE} d WHERE d.call_id = r.call_id) m\n` +
      `WHERE r.last_position > coalesce(m.pos, 0)\n` +
      `ON CONFLICT (call_id, seq) DO NOTHING`,
  );
}
