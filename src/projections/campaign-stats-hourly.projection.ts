import type { EventPayload } from '../eventstore/event-store.port';
import type { CallEvent } from '../calls/call.events';
import { DISPOSITIONS, Disposition } from '../calls/disposition';
import { dispositionColumn } from './campaigns.projection';
import type { Change, Projection } from './projection';
import { readProjectionSchema } from './schema-file';
import { byKeys, Column, columnsOf, jsonValue, replaceRows, Writes } from './sql';
import type { FoundRow, Read, WritePlan } from './write-plan';

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
    plan: (changes) => plan(callColumns, changes as Step[]),
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

function handle(recorded: EventPayload): Step[] {
  const event = { type: recorded.type, data: recorded.data } as CallEvent;
  const callId = event.data.callId;
  const position = recorded.position;
  // Plain literals, not `{ ...base, op }`: spreading a shared base into each step cost over ten times the rest of handle.
  switch (event.type) {
    case 'CallRequested': {
      const d = event.data;
      return [{ op: 'requested', callId, position, campaignId: d.campaignId ?? '', trunk: d.trunk ?? '', agentId: d.agentId ?? '', at: d.at }];
    }
    case 'CallOriginated':
      return [{ op: 'originated', callId, position, trunk: event.data.trunk }];
    case 'CallAnswered':
      return [{ op: 'answered', callId, position }];
    case 'DtmfPressed':
      return event.data.digit === '1' ? [{ op: 'pressed-one', callId, position }] : [];
    case 'CallHungUp': {
      const d = event.data;
      const disposition = knownDisposition(d.disposition);
      return [{ op: 'hung-up', callId, position, disposition, talkSeconds: d.talkSeconds ?? 0, billableSeconds: d.billableSeconds ?? 0 }];
    }
    case 'CallOriginateFailed':
      return [{ op: 'originate-failed', callId, position }];
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

/** What a bucket gets from the batch: counter deltas (in COUNTERS order), talk seconds addends, last position touched. */
interface BucketChange {
  campaign_id: string;
  trunk: string;
  agent_id: string;
  hour: string;
  counters: number[];
  talk: string[];
  last_position: bigint;
}

// Where each counter sits in BucketChange.counters: a batch moves counters tens of thousands of
// times, and an array indexed by constants costs no allocation per move (a record per move did).
const ATTEMPTS = COUNTERS.indexOf('attempts');
const ORIGINATED = COUNTERS.indexOf('originated');
const ANSWERED = COUNTERS.indexOf('answered');
const ENDED = COUNTERS.indexOf('ended');
const ANSWERED_ENDED = COUNTERS.indexOf('answered_ended');
const PRESSED_ONE = COUNTERS.indexOf('pressed_one');
const BILLABLE_SECONDS = COUNTERS.indexOf('billable_seconds');
const DISPOSITION_COUNTER = new Map<string, number>(DISPOSITIONS.map((d) => [d, COUNTERS.indexOf(dispositionColumn(d))]));

/** Adds (sign 1) or takes back (sign -1) what one call row contributes to its bucket. */
function contribute(b: BucketChange, c: CallRow, sign: 1 | -1): void {
  const n = b.counters;
  const ended = c.disposition !== null;
  n[ATTEMPTS] += sign;
  n[ORIGINATED] += sign * +c.originated;
  n[ANSWERED] += sign * +c.answered;
  n[ENDED] += sign * +ended;
  n[ANSWERED_ENDED] += sign * +(c.answered && ended);
  n[PRESSED_ONE] += sign * +c.pressed_one;
  n[BILLABLE_SECONDS] += sign * c.billable_seconds;
  const disposition = ended ? DISPOSITION_COUNTER.get(c.disposition!) : undefined;
  if (disposition !== undefined) n[disposition] += sign;
  b.talk.push(sign > 0 ? c.talk_seconds : negate(c.talk_seconds));
}

/** The counters a call's end adds to its bucket (billable seconds and talk are the caller's). */
function end(b: BucketChange, c: CallRow, d: Disposition): void {
  b.counters[ENDED] += 1;
  b.counters[ANSWERED_ENDED] += +c.answered;
  b.counters[DISPOSITION_COUNTER.get(d)!] += 1;
}

const negate = (decimal: string): string => (decimal.startsWith('-') ? decimal.slice(1) : `-${decimal}`);

/** A call's row reflects the latest event that changed it. */
const advance = (c: CallRow, at: bigint): void => {
  if (at > c.last_position) c.last_position = at;
};

/**
 * The calls' working rows are read first and moved in memory, in event order, with the rules the
 * per-event statements had: a call is requested once; a fact (originated, answered, pressed 1,
 * ended) is a flag set once, and only the event that sets it adds its counters to the call's
 * bucket; CallOriginated (position-guarded) may move the call to the bucket of the trunk actually
 * used, taking its whole contribution from the old bucket to the new one. Each bucket touched
 * gets the sum of its deltas and the latest position that touched it, in one statement; the
 * changed working rows are written back in another.
 */
function plan(callColumns: Record<string, Column>, steps: readonly Step[]): WritePlan {
  const read = storedCalls([...new Set(steps.map((s) => s.callId))], [...new Set(steps.flatMap((s) => (s.op === 'requested' ? [s.at] : [])))]);
  return { reads: [read], fold: ([found], writes) => fold(writes, callColumns, steps, found) };
}

function fold(writes: Writes, callColumns: Record<string, Column>, steps: readonly Step[], found: readonly FoundRow[]): void {
  const { calls, hours } = callsFound(found);
  const stored = new Set(calls.keys());
  const buckets = new Map<string, BucketChange>();
  const changed = new Set<string>();
  /** The bucket `c` is in now, touched at `at`; `c`'s working row is to be written back. */
  const bucketOf = (c: CallRow, at: bigint): BucketChange => {
    // NUL cannot occur in PostgreSQL text, so the joined key is as unambiguous as a JSON array.
    const key = `${c.campaign_id}\0${c.trunk}\0${c.agent_id}\0${c.hour}`;
    let b = buckets.get(key);
    if (!b) {
      b = { campaign_id: c.campaign_id, trunk: c.trunk, agent_id: c.agent_id, hour: c.hour, counters: new Array<number>(COUNTERS.length).fill(0), talk: [], last_position: at };
      buckets.set(key, b);
    } else if (at > b.last_position) b.last_position = at;
    changed.add(c.call_id);
    return b;
  };
  // Asterisk can report an answer or a hang-up without the Originate response: such a call was originated too.
  const originated = (c: CallRow, at: bigint) => {
    if (c.originated) return;
    c.originated = true;
    advance(c, at);
    bucketOf(c, at).counters[ORIGINATED] += 1;
  };
  for (const s of steps) {
    const c = calls.get(s.callId);
    if (s.op === 'requested') {
      if (c) continue; // requested once: a repeat (or a replay) changes nothing
      const row: CallRow = {
        call_id: s.callId, campaign_id: s.campaignId, trunk: s.trunk, agent_id: s.agentId, hour: hours.get(s.at)!,
        originated: false, answered: false, pressed_one: false, disposition: null, talk_seconds: '0', billable_seconds: 0, last_position: s.position,
      };
      calls.set(s.callId, row);
      bucketOf(row, s.position).counters[ATTEMPTS] += 1;
      continue;
    }
    if (!c) continue;
    switch (s.op) {
      case 'originated': {
        if (c.last_position >= s.position) break;
        contribute(bucketOf(c, s.position), c, -1);
        c.originated = true;
        if (s.trunk !== null && s.trunk !== undefined && s.trunk !== '') c.trunk = String(s.trunk);
        c.last_position = s.position;
        contribute(bucketOf(c, s.position), c, 1);
        break;
      }
      case 'answered':
        originated(c, s.position);
        if (c.answered) break;
        c.answered = true;
        advance(c, s.position);
        {
          const b = bucketOf(c, s.position);
          b.counters[ANSWERED] += 1;
          b.counters[ANSWERED_ENDED] += +(c.disposition !== null);
        }
        break;
      case 'pressed-one':
        if (c.pressed_one) break;
        c.pressed_one = true;
        advance(c, s.position);
        bucketOf(c, s.position).counters[PRESSED_ONE] += 1;
        break;
      case 'hung-up': {
        originated(c, s.position);
        const talk = String(jsonValue(s.talkSeconds)); // refused if not finite, even when the call has ended already
        if (c.disposition !== null) break;
        c.disposition = s.disposition;
        c.talk_seconds = talk;
        c.billable_seconds = s.billableSeconds;
        advance(c, s.position);
        const b = bucketOf(c, s.position);
        end(b, c, s.disposition);
        b.counters[BILLABLE_SECONDS] += s.billableSeconds;
        b.talk.push(talk);
        break;
      }
      case 'originate-failed':
        if (c.disposition !== null) break;
        c.disposition = 'originate-failed';
        advance(c, s.position);
        end(bucketOf(c, s.position), c, 'originate-failed');
        break;
    }
  }
  writeBuckets(writes, [...buckets.values()]);
  replaceRows(writes, CALLS, callColumns, 'call_id', [...changed].map((id) => calls.get(id)!), (row) => stored.has((row as CallRow).call_id));
}

/**
 * One read: the calls' working rows, and the UTC hour each new request time falls in — computed by
 * PostgreSQL, so the bucket does not depend on the session's TimeZone. Numeric and timestamptz
 * values come as text and go back as text, exactly.
 *
 * Each row comes back as one JSON array (a ReadTuple), not as an object: this is the rebuild's
 * largest read (a 5000-event batch brings back about a thousand rows of twelve fields), and the
 * fields' names would more than double its text. Every value keeps its type through JSON: text,
 * booleans, an int, NULL.
 */
function storedCalls(ids: string[], ats: string[]): Read {
  return {
    sql:
      `SELECT json_build_array(call_id, campaign_id, trunk, agent_id, hour, originated, answered, pressed_one,\n` +
      `disposition, talk_seconds, billable_seconds, last_position) AS t FROM (\n` +
      `SELECT c.* FROM ${byKeys('$1', CALLS, 'call_id', 'c', 'call_id, campaign_id, trunk, agent_id, hour::text AS hour, originated, answered, ' +
      'pressed_one, disposition, talk_seconds::text AS talk_seconds, billable_seconds, last_position::text AS last_position')}\n` +
      `UNION ALL SELECT at, NULL, NULL, NULL, (date_trunc('hour', at::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')::text,\n` +
      `NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM unnest($2::text[]) AS at) c`,
    params: [ids, ats],
  };
}

function callsFound(found: readonly FoundRow[]): { calls: Map<string, CallRow>; hours: Map<string, string> } {
  const calls = new Map<string, CallRow>();
  const hours = new Map<string, string>();
  for (const { t: r } of found as unknown as { t: ReadTuple }[]) {
    // A request time's row: [at, NULL, NULL, NULL, hour, NULL, ...]; a call's last_position is never NULL.
    if (r[11] === null) hours.set(r[0], r[4]);
    else {
      calls.set(r[0], {
        call_id: r[0], campaign_id: r[1]!, trunk: r[2]!, agent_id: r[3]!, hour: r[4], originated: r[5]!, answered: r[6]!,
        pressed_one: r[7]!, disposition: r[8], talk_seconds: r[9]!, billable_seconds: Number(r[10]), last_position: BigInt(r[11]),
      });
    }
  }
  return { calls, hours };
}

/** One row of storedCalls' JSON, in its SELECT order (NULLs but the first and the hour on a request time's row). */
type ReadTuple = [
  callId: string, campaignId: string | null, trunk: string | null, agentId: string | null, hour: string,
  originated: boolean | null, answered: boolean | null, pressedOne: boolean | null, disposition: string | null,
  talkSeconds: string | null, billableSeconds: number | null, lastPosition: string | null,
];

/** Adds each bucket's deltas; last_position = the latest event that touched it. */
function writeBuckets(writes: Writes, buckets: BucketChange[]): void {
  if (buckets.length === 0) return;
  const rows = buckets.map((b) => {
    const row: Record<string, unknown> = { campaign_id: b.campaign_id, trunk: b.trunk, agent_id: b.agent_id, hour: b.hour };
    for (let i = 0; i < COUNTERS.length; i++) row[COUNTERS[i]] = b.counters[i];
    row.talk = b.talk;
    row.last_position = b.last_position;
    return row;
  });
  const counters = [...COUNTERS, 'talk_seconds'];
  writes.add(
    `INSERT INTO ${TABLE} AS t (${BUCKET.join(', ')}, ${counters.join(', ')}, last_position)\n` +
      `SELECT campaign_id, trunk, agent_id, hour, ${COUNTERS.join(', ')},\n` +
      `(SELECT coalesce(sum(x::numeric), 0) FROM json_array_elements_text(talk) x), last_position\n` +
      `FROM json_to_recordset(${writes.records(rows)}) AS r(campaign_id text, trunk text, agent_id text, hour timestamptz, ` +
      `${COUNTERS.map((c) => `${c} bigint, `).join('')}talk json, last_position bigint)\n` +
      `ON CONFLICT (${BUCKET.join(', ')}) DO UPDATE SET ${counters.map((col) => `${col} = t.${col} + excluded.${col}`).join(', ')}, ` +
      `last_position = greatest(t.last_position, excluded.last_position)`,
  );
}

/** An unknown disposition (from a newer writer) is counted as `unknown` rather than lost. */
function knownDisposition(d: string): Disposition {
  return (DISPOSITIONS as readonly string[]).includes(d) ? (d as Disposition) : 'unknown';
}
