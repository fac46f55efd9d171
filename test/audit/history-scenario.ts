import { agentDecider } from '../../src/agents/agent.decider';
import { AuthorizeAgent } from '../../src/agents/authorize-agent/authorize-agent.command';
import { ChangeAgentStatus } from '../../src/agents/change-agent-status/change-agent-status.command';
import { RegisterAgent } from '../../src/agents/register-agent/register-agent.command';
import { callDecider } from '../../src/calls/call.decider';
import { RecordAnswer } from '../../src/calls/record-answer/record-answer.command';
import { RecordDtmf } from '../../src/calls/record-dtmf/record-dtmf.command';
import { RecordHangup } from '../../src/calls/record-hangup/record-hangup.command';
import { RecordOriginated } from '../../src/calls/record-originated/record-originated.command';
import { RequestCall } from '../../src/calls/request-call/request-call.command';
import { ScheduleCallRetry } from '../../src/calls/schedule-call-retry/schedule-call-retry.command';
import { defaultRetryPolicy } from '../../src/calls/retry-policy';
import { campaignDecider } from '../../src/campaigns/campaign.decider';
import { CreateCampaign } from '../../src/campaigns/create-campaign/create-campaign.command';
import { ImportContacts } from '../../src/campaigns/import-contacts/import-contacts.command';
import { StartCampaign } from '../../src/campaigns/start-campaign/start-campaign.command';
import type { EventStore } from '../../src/eventstore/event-store.port';
import { handleCommand } from '../../src/shared/handle-command';
import type { Clock } from '../../src/shared/tokens';
import { dialerStreamId, type ContactSkipped } from '../../src/telephony/saga';

/** The number the tests ask about: dialed twice by campaign `spring`, skipped by `summer` (DNC), once by hand. */
export const PHONE = '+14155550123';
export const OTHER_PHONE = '+14155550124';

/**
 * Instants of the story. Call `spring-1` rang from 09:00:00 (originated 09:00:02) and hung up
 * unanswered at 09:00:40 — so at RINGING it was ringing, and at AFTER_HANGUP it was over.
 */
/** What `history number PHONE` shows, stream:event, in global order. */
export const NUMBER_TIMELINE = [
  'call-spring-1:CallRequested',
  'call-spring-1:CallOriginated',
  'call-spring-1:CallHungUp',
  'call-spring-1:CallRetryScheduled',
  'call-spring-2:CallRequested',
  'call-spring-2:CallAnswered',
  'call-spring-2:DtmfPressed',
  'call-spring-2:CallHungUp',
  'dialer-summer:ContactSkipped',
  'call-manual-7:CallRequested',
  'call-manual-7:CallHungUp',
];

export const T = {
  campaignCreated: '2025-03-03T08:55:00.000Z',
  requested: '2025-03-03T09:00:00.000Z',
  originated: '2025-03-03T09:00:02.000Z',
  ringing: '2025-03-03T09:00:20.000Z',
  hungUp: '2025-03-03T09:00:40.000Z',
  afterHangUp: '2025-03-03T09:05:00.000Z',
} as const;

const SAGA = { actor: 'system:saga' };
const AMI = { actor: 'system:ami' };

/**
 * Writes a small, realistic history through the real command pipeline (validate → fold → decide →
 * append), with a clock the story moves by hand.
 */
export async function seedHistory(store: EventStore): Promise<void> {
  let now = new Date(T.campaignCreated);
  const clock: Clock = { now: () => now };
  const at = (iso: string) => (now = new Date(iso));

  at('2025-03-03T08:00:00.000Z');
  await handleCommand(store, clock, agentDecider, new RegisterAgent({ agentId: 'ann', telegramUserId: '1001', name: 'Ann Auditee', meta: { actor: 'agent:ann' } }));
  at('2025-03-03T08:01:00.000Z');
  await handleCommand(store, clock, agentDecider, new AuthorizeAgent({ agentId: 'ann', by: 'admin:root', meta: { actor: 'admin:root' } }));
  at('2025-03-03T08:02:00.000Z');
  await handleCommand(store, clock, agentDecider, new ChangeAgentStatus({ agentId: 'ann', to: 'available', reason: '/online', meta: { actor: 'agent:ann' } }));

  for (const [campaignId, name] of [['spring', 'Spring =SUM(A1) sale'], ['summer', 'Summer, "hot" deals']] as const) {
    at(T.campaignCreated);
    await handleCommand(store, clock, campaignDecider, new CreateCampaign({
      campaignId, name, agentId: 'ann', timeZone: 'America/Los_Angeles', callingWindow: { start: '09:00', end: '18:00' },
      maxConcurrentCalls: 5, route: 'main', meta: { actor: 'agent:ann' },
    }));
    await handleCommand(store, clock, campaignDecider, new ImportContacts({
      campaignId, chunkIndex: 0,
      contacts: [{ contactId: `${campaignId}-c1`, phone: PHONE }, { contactId: `${campaignId}-c2`, phone: OTHER_PHONE }],
      meta: { actor: 'agent:ann' },
    }));
    at('2025-03-03T08:59:00.000Z');
    await handleCommand(store, clock, campaignDecider, new StartCampaign({ campaignId, meta: { actor: 'agent:ann' } }));
  }

  // spring-1: rings, nobody answers, a retry is scheduled.
  at(T.requested);
  await call(new RequestCall({ callId: 'spring-1', campaignId: 'spring', contactId: 'spring-c1', agentId: 'ann', phone: PHONE, attempt: 1, trackingId: 'SPR1.1', kind: 'autodial', route: 'main', meta: SAGA }));
  at(T.originated);
  await call(new RecordOriginated({ callId: 'spring-1', channel: 'PJSIP/trunk-main-0001', uniqueId: '1741000000.1', trunk: 'trunk-main', meta: AMI }));
  at(T.hungUp);
  await call(new RecordHangup({ callId: 'spring-1', cause: 19, causeText: 'No answer', meta: AMI }));
  at('2025-03-03T09:00:41.000Z');
  await call(new ScheduleCallRetry({ callId: 'spring-1', retryPolicy: defaultRetryPolicy(), meta: SAGA }));

  // spring-other: the other contact, answered.
  at('2025-03-03T09:01:00.000Z');
  await call(new RequestCall({ callId: 'spring-other', campaignId: 'spring', contactId: 'spring-c2', agentId: 'ann', phone: OTHER_PHONE, attempt: 1, trackingId: 'SPR2.1', kind: 'autodial', meta: SAGA }));
  at('2025-03-03T09:01:05.000Z');
  await call(new RecordAnswer({ callId: 'spring-other', meta: AMI }));
  at('2025-03-03T09:01:30.000Z');
  await call(new RecordHangup({ callId: 'spring-other', cause: 16, meta: AMI }));

  // spring-2: the retry, answered, pressed 1.
  at('2025-03-03T09:31:00.000Z');
  await call(new RequestCall({ callId: 'spring-2', campaignId: 'spring', contactId: 'spring-c1', agentId: 'ann', phone: PHONE, attempt: 2, trackingId: 'SPR1.2', kind: 'autodial', meta: SAGA }));
  at('2025-03-03T09:31:08.000Z');
  await call(new RecordAnswer({ callId: 'spring-2', meta: AMI }));
  at('2025-03-03T09:31:15.000Z');
  await call(new RecordDtmf({ callId: 'spring-2', digit: '1', source: 'dtmf', meta: AMI }));
  at('2025-03-03T09:32:00.000Z');
  await call(new RecordHangup({ callId: 'spring-2', cause: 16, meta: AMI }));

  // summer: the same number is on the do-not-call list by then; the dialer skips it (as DialerActions does).
  at('2025-03-03T10:00:00.000Z');
  const skipped: ContactSkipped = {
    type: 'ContactSkipped',
    schemaVersion: 1,
    data: { campaignId: 'summer', contactId: 'summer-c1', phone: PHONE, reason: 'do-not-call', at: now.toISOString() },
  };
  await store.append(dialerStreamId('summer'), [{ ...skipped, metadata: { ...SAGA, occurredAt: now.toISOString() } }], { expectedRevision: 'any' });
  // …and agent bob dials it by hand later (no campaign).
  at('2025-03-03T11:00:00.000Z');
  await call(new RequestCall({ callId: 'manual-7', agentId: 'bob', phone: PHONE, attempt: 1, trackingId: 'MAN7', kind: 'agent-first', meta: { actor: 'agent:bob' } }));
  at('2025-03-03T11:00:03.000Z');
  await call(new RecordHangup({ callId: 'manual-7', cause: 17, meta: AMI }));

  function call(command: Parameters<typeof callDecider.decide>[0]) {
    return handleCommand(store, clock, callDecider, command);
  }
}
