import type { RecordedEvent } from '../eventstore/event-store.port';
import type { CallEvent } from '../calls/call.events';
import type { Projection, Statement } from './projection';
import { readProjectionSchema } from './schema-file';
import { int, numeric, Param, text, timestamptz, upsert, UpsertSpec } from './sql';

const NAME = 'calls';
const VERSION = 1;
const TABLE = 'calls_v1';

/** One row per call attempt, from the call's own events (projections/calls.v1.sql). */
export function callsProjection(): Projection {
  return { name: NAME, version: VERSION, schemaSql: readProjectionSchema(NAME, VERSION), tables: [TABLE], handle };
}

function handle(recorded: RecordedEvent): Statement[] {
  const event = { type: recorded.type, data: recorded.data } as CallEvent;
  const row = (set: Record<string, Param | undefined>, extra: Pick<UpsertSpec, 'merge'> = {}) => [
    upsert({ table: TABLE, key: { call_id: text(event.data.callId) }, set, at: recorded.position, ...extra }),
  ];
  switch (event.type) {
    case 'CallRequested': {
      const d = event.data;
      return row({
        campaign_id: text(d.campaignId),
        contact_id: text(d.contactId),
        agent_id: text(d.agentId),
        phone: text(d.phone),
        attempt: int(d.attempt),
        tracking_id: text(d.trackingId),
        kind: text(d.kind),
        route: text(d.route),
        trunk: text(d.trunk),
        caller_id: text(d.callerId),
        status: text('requested'),
        requested_at: timestamptz(d.at),
      });
    }
    case 'CallOriginated':
      return row({
        channel: text(event.data.channel),
        unique_id: text(event.data.uniqueId),
        trunk: text(event.data.trunk),
        status: text('originated'),
        originated_at: timestamptz(event.data.at),
      });
    case 'CallOriginateFailed':
      return row({
        status: text('originate-failed'),
        disposition: text('originate-failed'),
        failure_reason: text(event.data.reason),
      });
    case 'CallAnswered':
      return row({ status: text('answered'), answered_at: timestamptz(event.data.at) });
    case 'AmdDetected':
      return row({ amd: text(event.data.result) });
    case 'DtmfPressed':
      // Appended, not replaced: the position guard is what keeps a replay from appending twice.
      return row({ digits: text(event.data.digit) }, { merge: { digits: 't.digits || excluded.digits' } });
    case 'CallHungUp': {
      const d = event.data;
      return row({
        status: text('hung-up'),
        hung_up_at: timestamptz(d.at),
        ring_seconds: numeric(d.ringSeconds),
        talk_seconds: numeric(d.talkSeconds),
        billable_seconds: int(d.billableSeconds),
        duration_seconds: numeric(d.durationSeconds),
        cause: int(d.cause),
        cause_text: text(d.causeText),
        disposition: text(d.disposition),
      });
    }
    case 'CallRetryScheduled':
      return row({ retry_not_before: timestamptz(event.data.notBefore) });
    default:
      return [];
  }
}
