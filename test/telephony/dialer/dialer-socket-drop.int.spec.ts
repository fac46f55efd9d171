import pino from 'pino';
import type { CallRequested } from '../../../src/calls/call.events';
import type { Contact } from '../../../src/campaigns/campaign.events';
import { loadConfig } from '../../../src/config';
import type { EventStore, RecordedEvent } from '../../../src/eventstore/event-store.port';
import { openPgliteEventStore } from '../../../src/eventstore/postgres';
import { runSimulatedCampaign, type SimulatedCampaignResult } from '../../../src/telephony/dialer';

const NUMBERS = 120;
const contacts: Contact[] = Array.from({ length: NUMBERS }, (_, i) => ({
  contactId: `contact-${i + 1}`,
  phone: `+1202555${String(2000 + i).padStart(4, '0')}`,
}));

/**
 * The PBX drops the AMI socket twice mid-campaign. Siren must reconnect, reconcile the calls in
 * flight with the PBX's channel list, and complete the campaign — without dialing any attempt
 * twice and without losing one: every requested call is originated at most once and ends once.
 */
describe('DialerRuntime when the AMI socket drops mid-campaign', () => {
  let store: EventStore;
  let result: SimulatedCampaignResult;
  let events: RecordedEvent[];
  let drops = 0;

  beforeAll(async () => {
    store = await openPgliteEventStore();
    const timers: NodeJS.Timeout[] = [];
    try {
      result = await runSimulatedCampaign({
        eventStore: store,
        config: loadConfig({}),
        logger: pino({ level: 'silent' }),
        contacts,
        seed: 11,
        timeScale: 1000,
        outcomes: 'last-digit',
        campaignId: 'campaign-drop',
        clockStart: new Date('2024-03-04T10:00:00.000Z'),
        maxConcurrentCalls: 40,
        timeoutMs: 90_000,
        onPbxStarted: (pbx) => {
          for (const at of [800, 2500]) {
            timers.push(setTimeout(() => {
              drops += 1;
              pbx.dropConnections();
            }, at));
          }
        },
      });
    } finally {
      timers.forEach(clearTimeout);
    }
    events = await store.readAll();
  }, 100_000);

  afterAll(async () => {
    await store?.close();
  });

  it('dropped the socket mid-campaign and still completed it', () => {
    expect(drops).toBe(2);
    expect(events.filter((e) => e.type === 'CampaignCompleted')).toHaveLength(1);
    expect(result.summary.contacts).toBe(NUMBERS);
  });

  it('dialed no call id twice, and every Originate the PBX took was a call Siren had requested', () => {
    expect(result.simulator.duplicateCallIds).toEqual([]);
    const requested = events.filter((e) => e.type === 'CallRequested').length;
    // Originates whose response was lost in a drop are in doubt for Siren (never re-sent), so it
    // confirms at most as many as the PBX took; the PBX never takes more than Siren requested.
    expect(result.originated).toBeLessThanOrEqual(result.simulator.originated);
    expect(result.simulator.originated).toBeLessThanOrEqual(requested);
  });

  it('ended every requested call exactly once, and gave no number more attempts than the policy allows', () => {
    const requested = events.filter((e) => e.type === 'CallRequested').map((e) => (e.data as CallRequested['data']));
    const ends = new Map<string, number>();
    for (const e of events) {
      if (e.type === 'CallHungUp' || e.type === 'CallOriginateFailed') {
        const callId = (e.data as { callId: string }).callId;
        ends.set(callId, (ends.get(callId) ?? 0) + 1);
      }
    }
    for (const call of requested) expect({ callId: call.callId, ends: ends.get(call.callId) }).toEqual({ callId: call.callId, ends: 1 });
    const attempts = new Map<string, number>();
    for (const call of requested) attempts.set(call.contactId!, Math.max(attempts.get(call.contactId!) ?? 0, call.attempt));
    for (const contact of contacts) expect(attempts.get(contact.contactId)).toBeLessThanOrEqual(3);
    expect(attempts.size).toBe(NUMBERS);
  });
});
