import type { RecordedEvent } from '../eventstore/event-store.port';
import type { CallEvent } from '../calls/call.events';
import { DISPOSITIONS, Disposition } from '../calls/disposition';
import { dispositionColumn } from './campaigns.projection';
import type { Projection, Statement } from './projection';
import { readProjectionSchema } from './schema-file';
import { int, numeric, Params, position, text, timestamptz } from './sql';

const NAME = 'campaign_stats_hourly';
const VERSION = 1;
const TABLE = 'campaign_stats_hourly_v1';
/** One row per call: its bucket and the facts it contributes (projections/campaign_stats_hourly.v1.sql). */
const CALLS = 'campaign_stats_calls_v1';
const BUCKET = ['campaign_id', 'trunk', 'agent_id', 'hour'];

/** Counter column → what one call row contributes to it. */
const CONTRIBUTION: Readonly<Record<string, string>> = {
  attempts: '1',
  originated: 'originated::int',
  answered: 'answered::int',
  ended: '(disposition IS NOT NULL)::int',
  answered_ended: '(answered AND disposition IS NOT NULL)::int',
  pressed_one: 'pressed_one::int',
  talk_seconds: 'talk_seconds',
  billable_seconds: 'billable_seconds',
  ...Object.fromEntries(DISPOSITIONS.map((d) => [dispositionColumn(d), `coalesce(disposition = '${d}', false)::int`])),
};

/** Call counters per campaign x trunk x agent x hour (projections/campaign_stats_hourly.v1.sql). */
export function campaignStatsHourlyProjection(): Projection {
  return { name: NAME, version: VERSION, schemaSql: readProjectionSchema(NAME, VERSION), tables: [TABLE, CALLS], handle };
}

function handle(recorded: RecordedEvent): Statement[] {
  const event = { type: recorded.type, data: recorded.data } as CallEvent;
  const p = new Params();
  const call = p.add(text(event.data.callId));
  const pos = p.add(position(recorded.position));
  /**
   * Sets a flag of the call row that only ever goes from unset to set, and adds `deltas` (over the
   * changed row `c`) to its bucket only if this statement set it: a replay finds it set already.
   */
  const once = (set: string, unset: string, deltas: Record<string, string>): Statement => {
    const change =
      `UPDATE ${CALLS} SET ${set}, last_position = greatest(last_position, ${pos}) ` +
      `WHERE call_id = ${call} AND ${unset} RETURNING *`;
    return { sql: bump(change, deltas, pos), params: p.values };
  };
  // Asterisk can report an answer or a hang-up without the Originate response: such a call was originated too.
  const originated = () => once('originated = true', 'NOT originated', { originated: '1' });
  switch (event.type) {
    case 'CallRequested': {
      const d = event.data;
      const at = p.add(timestamptz(d.at));
      // date_trunc on the UTC wall-clock time: the bucket does not depend on the session's TimeZone.
      const hour = `date_trunc('hour', ${at} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
      const bucket = [text(d.campaignId ?? ''), text(d.trunk ?? ''), text(d.agentId ?? '')].map((v) => p.add(v));
      // A call is requested once: a second CallRequested for it (or a replay) changes nothing.
      const insert =
        `INSERT INTO ${CALLS} (call_id, campaign_id, trunk, agent_id, hour, last_position) ` +
        `VALUES (${call}, ${bucket.join(', ')}, ${hour}, ${pos}) ON CONFLICT (call_id) DO NOTHING RETURNING *`;
      return [{ sql: bump(insert, { attempts: '1' }, pos), params: p.values }];
    }
    case 'CallOriginated': {
      // The only event that can move the call to another bucket (the trunk actually used).
      const change =
        `UPDATE ${CALLS} SET originated = true, trunk = coalesce(nullif(${p.add(text(event.data.trunk))}, ''), trunk), ` +
        `last_position = ${pos} WHERE call_id = ${call} AND last_position < ${pos} RETURNING *`;
      return [{ sql: move(change, call, pos), params: p.values }];
    }
    case 'CallAnswered':
      return [originated(), once('answered = true', 'NOT answered', { answered: '1', answered_ended: '(c.disposition IS NOT NULL)::int' })];
    case 'DtmfPressed':
      return event.data.digit === '1' ? [once('pressed_one = true', 'NOT pressed_one', { pressed_one: '1' })] : [];
    case 'CallHungUp': {
      const d = event.data;
      const disposition = knownDisposition(d.disposition);
      const talk = p.add(numeric(d.talkSeconds ?? 0));
      const billable = p.add(int(d.billableSeconds ?? 0));
      return [
        originated(),
        once(
          `disposition = ${p.add(text(disposition))}, talk_seconds = ${talk}, billable_seconds = ${billable}`,
          'disposition IS NULL',
          { ...ended(disposition), talk_seconds: talk, billable_seconds: billable },
        ),
      ];
    }
    case 'CallOriginateFailed':
      return [once(`disposition = 'originate-failed'`, 'disposition IS NULL', ended('originate-failed'))];
    default:
      return [];
  }
}

const ended = (d: Disposition): Record<string, string> => ({ ended: '1', answered_ended: 'c.answered::int', [dispositionColumn(d)]: '1' });

/** WITH c AS (<call row change> RETURNING *) add `deltas` to c's bucket; nothing if c is empty. */
function bump(change: string, deltas: Record<string, string>, pos: string): string {
  const counters = Object.keys(deltas);
  return (
    `WITH c AS (${change})\n` +
    `INSERT INTO ${TABLE} AS t (${BUCKET.join(', ')}, ${counters.join(', ')}, last_position)\n` +
    `SELECT ${BUCKET.map((col) => `c.${col}`).join(', ')}, ${counters.map((col) => deltas[col]).join(', ')}, ${pos} FROM c\n` +
    `ON CONFLICT (${BUCKET.join(', ')}) DO UPDATE SET ${counters.map((col) => `${col} = t.${col} + excluded.${col}`).join(', ')}, ` +
    `last_position = greatest(t.last_position, excluded.last_position)`
  );
}

/**
 * `change` updates the call's row (position-guarded) and returns it; `old` is the same row as it
 * was before (a statement's CTEs all read the snapshot taken at its start). The buckets get
 * (new row's contribution) - (old row's contribution), summed per bucket: when the trunk changes,
 * the call leaves the old bucket and enters the new one whole. A replay changes no row, so `c` is
 * empty and nothing is added. (Reading `old` makes this ~5x costlier to plan than bump().)
 */
function move(change: string, call: string, pos: string): string {
  const counters = Object.keys(CONTRIBUTION);
  return (
    `WITH old AS (SELECT * FROM ${CALLS} WHERE call_id = ${call} AND last_position < ${pos}),\n` +
    `c AS (${change}),\n` +
    `d AS (SELECT c.*, 1 AS sign FROM c UNION ALL SELECT old.*, -1 AS sign FROM old WHERE EXISTS (SELECT 1 FROM c))\n` +
    `INSERT INTO ${TABLE} AS t (${BUCKET.join(', ')}, ${counters.join(', ')}, last_position)\n` +
    `SELECT ${BUCKET.join(', ')}, ${counters.map((col) => `sum(sign * ${CONTRIBUTION[col]})`).join(', ')}, ${pos}\n` +
    `FROM d GROUP BY ${BUCKET.join(', ')}\n` +
    `ON CONFLICT (${BUCKET.join(', ')}) DO UPDATE SET ${counters.map((col) => `${col} = t.${col} + excluded.${col}`).join(', ')}, ` +
    `last_position = greatest(t.last_position, excluded.last_position)`
  );
}

/** An unknown disposition (from a newer writer) is counted as `unknown` rather than lost. */
function knownDisposition(d: string): Disposition {
  return (DISPOSITIONS as readonly string[]).includes(d) ? (d as Disposition) : 'unknown';
}
