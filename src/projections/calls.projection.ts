import type { EventPayload } from '../eventstore/event-store.port';
import type { CallEvent } from '../calls/call.events';
import type { Change, Projection } from './projection';
import { readProjectionSchema } from './schema-file';
import { planRows, RowChange, rowTable, Value } from './sql';

const NAME = 'calls';
const VERSION = 1;
const TABLE = 'calls_v1';

type CallRowChange = Change & RowChange;

/** One row per call attempt, from the call's own events (projections/calls.v1.sql). */
export function callsProjection(): Projection {
  const schemaSql = readProjectionSchema(NAME, VERSION);
  // DTMF digits are appended, not replaced: the position guard keeps a replay from appending twice.
  const calls = rowTable(schemaSql, TABLE, 'call_id', { digits: 'concat' });
  return {
    name: NAME,
    version: VERSION,
    schemaSql,
    tables: [TABLE],
    handle,
    plan: (changes) => planRows(calls, changes as CallRowChange[]),
  };
}

function handle(recorded: EventPayload): CallRowChange[] {
  const event = { type: recorded.type, data: recorded.data } as CallEvent;
  const row = (set: Record<string, Value>): CallRowChange[] => [{ op: 'row', key: event.data.callId, at: recorded.position, set }];
  switch (event.type) {
    case 'CallRequested': {
      const d = event.data;
      return row({
        campaign_id: d.campaignId,
        contact_id: d.contactId,
        agent_id: d.agentId,
        phone: d.phone,
        attempt: d.attempt,
        tracking_id: d.trackingId,
        kind: d.kind,
        route: d.route,
        trunk: d.trunk,
        caller_id: d.callerId,
        status: 'requested',
        requested_at: d.at,
      });
    }
    case 'CallOriginated':
      return row({
        channel: event.data.channel,
        unique_id: event.data.uniqueId,
        trunk: event.data.trunk,
        status: 'originated',
        originated_at: event.data.at,
      });
    case 'CallOriginateFailed':
      return row({
        status: 'originate-failed',
        disposition: 'originate-failed',
        failure_reason: event.data.reason,
      });
    case 'CallAnswered':
      return row({ status: 'answered', answered_at: event.data.at });
    case 'AmdDetected':
      return row({ amd: event.data.result });
    case 'DtmfPressed':
      return row({ digits: event.data.digit });
    case 'CallHungUp': {
      const d = event.data;
      return row({
        status: 'hung-up',
        hung_up_at: d.at,
        ring_seconds: d.ringSeconds,
        talk_seconds: d.talkSeconds,
        billable_seconds: d.billableSeconds,
        duration_seconds: d.durationSeconds,
        cause: d.cause,
        cause_text: d.causeText,
        disposition: d.disposition,
      });
    }
    case 'CallRetryScheduled':
      return row({ retry_not_before: event.data.notBefore });
    default:
      return [];
  }
}
