import type { AppendResult, EventStore, NewEvent } from '../../src/eventstore/event-store.port';

/** Appends one event to a stream (any revision) and returns where it landed. */
export function append(store: EventStore, streamId: string, type: string, data: object, schemaVersion = 1): Promise<AppendResult> {
  const event: NewEvent = { type, schemaVersion, data };
  return store.append(streamId, [event], { expectedRevision: 'any' });
}

const t = (s: number) => new Date(Date.UTC(2026, 10, 20, 9, 0, s)).toISOString();

export const CAMPAIGN = 'camp-1';
export const OLD_CAMPAIGN = 'camp-v1';
/** Quotes, a backslash and a placeholder-lookalike: statements are sent with inlined literals. */
export const OLD_NAME = "Old 'quoted' \\ $1 campaign";

/**
 * A small day of dialling, interleaved across streams as the saga and the AMI ingest would write
 * it: a campaign (v2 CampaignCreated), an old campaign (v1 CampaignCreated, upcast), four calls —
 * A answered with DTMF 1, 2, 1; B busy then a retry scheduled; C originate failed; D outside any
 * campaign, answered by a machine.
 */
export async function appendScenario(store: EventStore): Promise<AppendResult> {
  const c = `campaign-${CAMPAIGN}`;
  await append(store, c, 'CampaignCreated', {
    campaignId: CAMPAIGN,
    name: 'Spring promo',
    agentId: 'ag-1',
    timeZone: 'America/New_York',
    callingWindow: { start: '09:00', end: '20:00' },
    retryPolicy: { maxAttempts: 4, retryDelaySeconds: 600, retryOn: ['busy', 'no-answer'] },
    maxConcurrentCalls: 5,
    route: 'us',
    at: t(0),
  }, 2);
  await append(store, `campaign-${OLD_CAMPAIGN}`, 'CampaignCreated', {
    campaignId: OLD_CAMPAIGN, name: OLD_NAME, agentId: 'ag-2', timeZone: 'UTC',
    callingWindow: { start: '08:00', end: '18:00' }, maxConcurrentCalls: 1, route: 'us', at: t(0),
  }, 1);
  await append(store, c, 'ContactsImported', {
    campaignId: CAMPAIGN, chunkIndex: 0, at: t(1),
    contacts: [{ contactId: 'k1', phone: '+15550000001' }, { contactId: 'k2', phone: '+15550000002' }, { contactId: 'k3', phone: '+15550000003' }],
  });
  await append(store, c, 'CampaignStarted', { campaignId: CAMPAIGN, at: t(2) });
  const requested = (callId: string, contactId: string | undefined, phone: string, extra: object = {}) =>
    append(store, `call-${callId}`, 'CallRequested', {
      callId, campaignId: contactId ? CAMPAIGN : undefined, contactId, agentId: 'ag-1', phone, attempt: 1,
      trackingId: `T.${callId}`, kind: 'autodial', route: 'us', trunk: 'tr-a', callerId: '+15559990000', at: t(3), ...extra,
    });
  await requested('A', 'k1', '+15550000001');
  await requested('B', 'k2', '+15550000002');
  await append(store, 'call-A', 'CallOriginated', { callId: 'A', channel: 'PJSIP/tr-b-1', uniqueId: '1.1', trunk: 'tr-b', at: t(4) });
  await requested('C', 'k3', '+15550000003');
  await append(store, 'call-B', 'CallOriginated', { callId: 'B', channel: 'PJSIP/tr-a-2', uniqueId: '1.2', trunk: 'tr-a', at: t(4) });
  await append(store, 'call-C', 'CallOriginateFailed', { callId: 'C', reason: 'trunk down', at: t(5) });
  await append(store, 'call-A', 'CallAnswered', { callId: 'A', at: t(9) });
  await append(store, 'call-A', 'DtmfPressed', { callId: 'A', digit: '1', source: 'dtmf', at: t(12) });
  await append(store, 'call-B', 'CallHungUp', {
    callId: 'B', cause: 17, causeText: 'User busy', disposition: 'busy', ringSeconds: 3.5, talkSeconds: 0, billableSeconds: 0, durationSeconds: 3.5, at: t(7),
  });
  await append(store, 'call-A', 'DtmfPressed', { callId: 'A', digit: '2', source: 'userevent', at: t(13) });
  await append(store, 'call-B', 'CallRetryScheduled', { callId: 'B', campaignId: CAMPAIGN, contactId: 'k2', nextAttempt: 2, notBefore: t(600), at: t(7) });
  await requested('D', undefined, '+15550000009', { kind: 'agent-first' });
  await append(store, 'agent-ag-1', 'AgentStatusChanged', { agentId: 'ag-1', status: 'busy' });
  await append(store, 'call-A', 'DtmfPressed', { callId: 'A', digit: '1', source: 'dtmf', at: t(14) });
  await append(store, 'call-D', 'CallAnswered', { callId: 'D', at: t(8) });
  await append(store, 'call-D', 'AmdDetected', { callId: 'D', result: 'machine', at: t(9) });
  await append(store, c, 'CampaignPaused', { campaignId: CAMPAIGN, at: t(15) });
  await append(store, 'call-A', 'CallHungUp', {
    callId: 'A', cause: 16, disposition: 'answered', ringSeconds: 6, talkSeconds: 12.4, billableSeconds: 13, durationSeconds: 18.4, at: t(21),
  });
  await append(store, 'call-D', 'CallHungUp', {
    callId: 'D', cause: 16, disposition: 'machine', ringSeconds: 5, talkSeconds: 4, billableSeconds: 4, durationSeconds: 9, at: t(12),
  });
  return append(store, c, 'CampaignResumed', { campaignId: CAMPAIGN, at: t(30) });
}
