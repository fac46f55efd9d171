import type { RecordedEvent } from '../eventstore/event-store.port';
import type { DtmfPressed } from '../calls/call.events';
import type { Projection, Statement } from './projection';
import { readProjectionSchema } from './schema-file';
import { Params, position, text, timestamptz } from './sql';

const NAME = 'call_dtmf';
const VERSION = 1;
const TABLE = 'call_dtmf_v1';

/** DTMF history: one row per digit pressed (projections/call_dtmf.v1.sql). */
export function callDtmfProjection(): Projection {
  return { name: NAME, version: VERSION, schemaSql: readProjectionSchema(NAME, VERSION), tables: [TABLE], handle };
}

/**
 * `seq` numbers a call's presses 1, 2, 3 in order. The row is keyed by (call_id, seq) and carries
 * its event's position; the insert only happens when no row of this call already reflects this
 * position or a later one, so a replayed press is not numbered a second time.
 */
function handle(recorded: RecordedEvent): Statement[] {
  if (recorded.type !== 'DtmfPressed') return [];
  const { callId, digit, source, at } = (recorded.data as DtmfPressed['data']);
  const p = new Params();
  const call = p.add(text(callId));
  const pos = p.add(position(recorded.position));
  const sql =
    `INSERT INTO ${TABLE} (call_id, seq, digit, source, at, last_position)\n` +
    `SELECT ${call}, coalesce(max(seq), 0) + 1, ${p.add(text(digit))}, ${p.add(text(source))}, ${p.add(timestamptz(at))}, ${pos}\n` +
    `FROM ${TABLE} WHERE call_id = ${call}\n` +
    `HAVING coalesce(max(last_position), 0) < ${pos}\n` +
    `ON CONFLICT (call_id, seq) DO NOTHING`;
  return [{ sql, params: p.values }];
}
