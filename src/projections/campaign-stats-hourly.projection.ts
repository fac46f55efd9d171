import type { RecordedEvent } from '../eventstore/event-store.port';
import type { CallEvent } from '../calls/call.events';
import { DISPOSITIONS, Disposition } from '../calls/disposition';
import { dispositionColumn } from './campaigns.projection';
import type { Change, Projection } from './projection';
import type { ReadModelQueryable } from './read-model-database';
import { readProjectionSchema } from './schema-file';
import { Column, columnsOf, jsonValue, putRows, Writes } from './sql';

const NAME = 'campaign_stats_hourly';
const VERSION = 1;
const TABLE = 'campaign_stats_hourly_v1';
/** One row per call: its bucket and the facts it contributes (projections/campaign_stats_hourly.v1.sql). */
const CALLS = 'campaign_stats_calls_v1';
const BUCKET = ['campaign_id', 'trunk', 'agent_id', 'hour'];

/** Integer counters of a bucket; talk_seconds (numeric) is summed by PostgreSQL. */
const COUNTERS = [
  'attempts', 'originated', 'answered', 'ended', 'answered_ended', 'pressed_one', 'billable_seconds',
  ...DISPOSITIONS.map(dispositionColumn),
];

/** Call counters per campaign x trunk x agent x hour (projections/campaign_stats_hourly.v1.sql). */
export function campaignStatsHourlyProjection(): Projection {
  const schemaSql = readProjectionSchema(NAME, VERSION);
  const callColumns = columnsOf(schemaSql, CALLS);
  return {
    name: NAME,
    version: VERSION,
    schemaSql,
    tables: [TABLE, CALLS],
    handle,
    write: (tx, changes) => write(tx, callColumns, changes as Step[]),
  };
}

type Step = Change & { callId: string; position: bigint } & (
  | { op: 'requested'; campaignId: string; trunk: string; agentId: string; at: string }
  | { op: 'originated'; trunk: string | null | undefined }
  | { op: 'answered' }
  | { op: 'pressed-one' }
  | { op: 'hung-up'; disposition: Disposition; talkSeconds: number; billableSeconds: number }
  | { op: 'originate-failed' }
);

function handle(recorded: RecordedEvent): Step[] {
  const event = { type: recorded.type, data: recorded.data } as CallEvent;
  const base = { callId: event.data.callId, position: recorded.position };
  switch (event.type) {
    case 'CallRequested': {
      const d = event.data;
      return [{ ...base, op: 'requested', campaignId: d.campaignId ?? '', trunk: d.trunk ?? '', agentId: d.agentId ?? '', at: d.at }];
    }
    case 'CallOriginated':
      return [{ ...base, op: 'originated', trunk: event.data.trunk }];
    case 'CallAnswered':
      return [{ ...base, op: 'answered' }];
    case 'DtmfPressed':
      return event.data.digit === '1' ? [{ ...base, op: 'pressed-one' }] : [];
    case 'CallHungUp': {
      const d = event.data;
      const disposition = knownDisposition(d.disposition);
      return [{ ...base, op: 'hung-up', disposition, talkSeconds: d.talkSeconds ?? 0, billableSeconds: d.billableSeconds ?? 0 }];
    }
    case 'CallOriginateFailed':
      return [{ ...base, op: 'originate-failed' }];
    default:
      return [];
  }
}

/** A call's working row (campaign_stats_calls_v1); numeric and timestamptz travel as text. */
interface CallRow {
  call_id: string;
  campaign_id: string;
  trunk: string;
  agent_id: string;
  hour: string;
  originated: boolean;
  answered: boolean;
  pressed_one: boolean;
  disposition: string | null;
  talk_seconds: string;
  billable_seconds: number;
  last_position: bigint;
}

/** What a bucket gets from the batch: counter deltas, talk seconds addends, last position touched. */
interface BucketChange {
  campaign_id: string;
  trunk: string;
  agent_id: string;
  hour: string;
  counters: Record<string, number>;
  talk: string[];
  last_position: bigint;
}

/** What one call row contributes to its bucket. */
function contribution(c: CallRow): { counters: Record<string, number>; talk: string } {
  const ended = c.disposition !== null;
  const counters: Record<string, number> = {
    attempts: 1,
    originated: +c.originated,
    answered: +c.answered,
    ended: +ended,
    answered_ended: +(c.answered && ended),
    pressed_one: +c.pressed_one,
    billable_seconds: c.billable_seconds,
  };
  for (const d of DISPOSITIONS) counters[dispositionColumn(d)] = +(c.disposition === d);
  return { counters, talk: c.talk_seconds };
}

const negate = (decimal: string): string => (decimal.startsWith('-') ? decimal.slice(1) : `-${decimal}`);

/**
 * The calls' working rows are read first and moved in memory, in event order, with the rules the
 * per-event statements had: a call is requested once; a fact (originated, answered, pressed 1,
 * ended) is a flag set once, and only the event that sets it adds its counters to the call's
 * bucket; CallOriginated (position-guarded) may move the call to the bucket of the trunk actually
 * used, taking its whole contribution from the old bucket to the new one. Each bucket touched
 * gets the sum of its deltas and the latest position that touched it, in one statement; the
 * changed working rows are written back in another.
 */
async function write(tx: ReadModelQueryable, callColumns: Record<string, Column>, steps: readonly Step[]): Promise<void> {
  const { calls, hours } = await read(tx, [...new Set(steps.map((s) => s.callId))], [...new Set(steps.flatMap((s) => (s.op === 'requested' ? [s.at] : [])))]);
  const buckets = new Map<string, BucketChange>();
  const changed = new Set<string>();
  const touch = (c: CallRow, at: bigint, counters: Record<string, number>, talk?: string) => {
    const key = JSON.stringify([c.campaign_id, c.trunk, c.agent_id, c.hour]);
    let b = buckets.get(key);
    if (!b) {
      b = { campaign_id: c.campaign_id, trunk: c.trunk, agent_id: c.agent_id, hour: c.hour, counters: {}, talk: [], last_position: at };
      buckets.set(key, b);
    }
    for (const [col, n] of Object.entries(counters)) b.counters[col] = (b.counters[col] ?? 0) + n;
    if (talk !== undefined) b.talk.push(talk);
    if (at > b.last_position) b.last_position = at;
    changed.add(c.call_id);
  };
  /** Sets a flag if unset; the counters move (in the call's bucket) only then. */
  const once = (c: CallRow, at: bigint, isUnset: boolean, set: () => Record<string, number>, talk?: string) => {
    if (!isUnset) return;
    const deltas = set();
    if (at > c.last_position) c.last_position = at;
    touch(c, at, deltas, talk);
  };
  // Asterisk can report an answer or a hang-up without the Originate response: such a call was originated too.
  const originated = (c: CallRow, at: bigint) => once(c, at, !c.originated, () => ((c.originated = true), { originated: 1 }));
  for (const s of steps) {
    const c = calls.get(s.callId);
    if (s.op === 'requested') {
      if (c) continue; // requested once: a repeat (or a replay) changes nothing
      const row: CallRow = {
        call_id: s.callId, campaign_id: s.campaignId, trunk: s.trunk, agent_id: s.agentId, hour: hours.get(s.at)!,
        originated: false, answered: false, pressed_one: false, disposition: null, talk_seconds: '0', billable_seconds: 0, last_position: s.position,
      };
      calls.set(s.callId, row);
      touch(row, s.position, { attempts: 1 });
      continue;
    }
    if (!c) continue;
    switch (s.op) {
      case 'originated': {
        if (c.last_position >= s.position) break;
        const before = { ...c };
        c.originated = true;
        if (s.trunk !== null && s.trunk !== undefined && s.trunk !== '') c.trunk = String(s.trunk);
        c.last_position = s.position;
        const was = contribution(before);
        touch(before, s.position, Object.fromEntries(Object.entries(was.counters).map(([k, n]) => [k, -n])), negate(was.talk));
        const now = contribution(c);
        touch(c, s.position, now.counters, now.talk);
        break;
      }
      case 'answered':
        originated(c, s.position);
        once(c, s.position, !c.answered, () => ((c.answered = true), { answered: 1, answered_ended: +(c.disposition !== null) }));
        break;
      case 'pressed-one':
        once(c, s.position, !c.pressed_one, () => ((c.pressed_one = true), { pressed_one: 1 }));
        break;
      case 'hung-up': {
        originated(c, s.position);
        const talk = String(jsonValue(s.talkSeconds));
        once(c, s.position, c.disposition === null, () => {
          c.disposition = s.disposition;
          c.talk_seconds = talk;
          c.billable_seconds = s.billableSeconds;
          return { ...ended(c, s.disposition), billable_seconds: s.billableSeconds };
        }, talk);
        break;
      }
      case 'originate-failed':
        once(c, s.position, c.disposition === null, () => ((c.disposition = 'originate-failed'), ended(c, 'originate-failed')));
        break;
    }
  }
  const writes = new Writes();
  writeBuckets(writes, [...buckets.values()]);
  putRows(writes, CALLS, callColumns, ['call_id'], [...changed].map((id) => calls.get(id)!));
  await writes.run(tx);
}

const ended = (c: CallRow, d: Disposition): Record<string, number> => ({ ended: 1, answered_ended: +c.answered, [dispositionColumn(d)]: 1 });

/**
 * One read: the calls' working rows, and the UTC hour each new request time falls in — computed by
 * PostgreSQL, so the bucket does not depend on the session's TimeZone. Numeric and timestamptz
 * values come as text and go back as text, exactly.
 */
async function read(tx: ReadModelQueryable, ids: string[], ats: string[]): Promise<{ calls: Map<string, CallRow>; hours: Map<string, string> }> {
  const rows = await tx.query<Omit<CallRow, 'last_position'> & { last_position: string | null }>(
    `SELECT call_id, campaign_id, trunk, agent_id, hour::text AS hour, originated, answered, pressed_one, disposition,\n` +
      `talk_seconds::text AS talk_seconds, billable_seconds, last_position::text AS last_position\n` +
      `FROM ${CALLS} WHERE call_id = ANY($1::text[])\n` +
      `UNION ALL SELECT at, NULL, NULL, NULL, (date_trunc('hour', at::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')::text,\n` +
      `NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM unnest($2::text[]) AS at`,
    [ids, ats],
  );
  const calls = new Map<string, CallRow>();
  const hours = new Map<string, string>();
  for (const r of rows) {
    if (r.last_position === null) hours.set(r.call_id, r.hour);
    else calls.set(r.call_id, { ...r, billable_seconds: Number(r.billable_seconds), last_position: BigInt(r.last_position) });
  }
  return { calls, hours };
}

/** Adds each bucket's deltas; last_position = the latest event that touched it. */
function writeBuckets(writes: Writes, buckets: BucketChange[]): void {
  if (buckets.length === 0) return;
  const rows = buckets.map(({ counters, ...b }) => ({ ...b, ...Object.fromEntries(COUNTERS.map((c) => [c, counters[c] ?? 0])) }));
  const counters = [...COUNTERS, 'talk_seconds'];
  writes.add(
    `INSERT INTO ${TABLE} AS t (${BUCKET.join(', ')}, ${counters.join(', ')}, last_position)\n` +
      `SELECT campaign_id, trunk, agent_id, hour, ${COUNTERS.join(', ')},\n` +
      `(SELECT coalesce(sum(x::numeric), 0) FROM jsonb_array_elements_text(talk) x), last_position\n` +
      `FROM jsonb_to_recordset(${writes.rows(rows)}) AS r(campaign_id text, trunk text, agent_id text, hour timestamptz, ` +
      `${COUNTERS.map((c) => `${c} bigint, `).join('')}talk jsonb, last_position bigint)\n` +
      `ON CONFLICT (${BUCKET.join(', ')}) DO UPDATE SET ${counters.map((col) => `${col} = t.${col} + excluded.${col}`).join(', ')}, ` +
      `last_position = greatest(t.last_position, excluded.last_position)`,
  );
}

/** An unknown disposition (from a newer writer) is counted as `unknown` rather than lost. */
function knownDisposition(d: string): Disposition {
  return (DISPOSITIONS as readonly string[]).includes(d) ? (d as Disposition) : 'unknown';
}
