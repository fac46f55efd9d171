import pino from 'pino';
import type { CallRequested } from '../../../src/calls/call.events';
import { DEFAULT_RETRY_POLICY } from '../../../src/calls/retry-policy';
import type { Contact } from '../../../src/campaigns/campaign.events';
import { loadConfig } from '../../../src/config';
import type { EventStore, RecordedEvent } from '../../../src/eventstore/event-store.port';
import { openPgliteEventStore } from '../../../src/eventstore/postgres';
import { runSimulatedCampaign, type SimulatedCampaignResult } from '../../../src/telephony/dialer';

/**
 * What the simulator plays per last digit ('last-digit' outcomes) and so how many attempts the
 * default policy (3 attempts on busy / no-answer / congestion / carrier-failure / unreachable) makes.
 */
const RETRIED_DIGITS = new Set(['2', '3', '4', '7']);
const expectedAttempts = (phone: string): number => (RETRIED_DIGITS.has(phone.slice(-1)) ? DEFAULT_RETRY_POLICY.maxAttempts : 1);

const NUMBERS = 1000;
const contacts: Contact[] = Array.from({ length: NUMBERS }, (_, i) => ({
  contactId: `contact-${i + 1}`,
  phone: `+1202555${String(1000 + i).padStart(4, '0')}`,
}));

/**
 * The whole dialer over real TCP: PGlite in memory, the Nest command handlers, the PBX simulator
 * at 1000× (a 30-minute retry delay passes in 1.8 s), AMI client, ingest and DialerRuntime. The
 * campaign must run to CampaignCompleted with every number attempted exactly as its outcome and
 * the retry policy demand, and no call id dialed twice.
 */
describe('DialerRuntime against the PBX simulator (1,000 numbers)', () => {
  let store: EventStore;
  let result: SimulatedCampaignResult;
  let events: RecordedEvent[];

  beforeAll(async () => {
    store = await openPgliteEventStore();
    result = await runSimulatedCampaign({
      eventStore: store,
      config: loadConfig({}),
      logger: pino({ level: 'silent' }),
      contacts,
      seed: 5,
      timeScale: 1000,
      outcomes: 'last-digit',
      campaignId: 'campaign-int',
      clockStart: new Date('2024-03-04T10:00:00.000Z'),
      maxConcurrentCalls: 100,
      timeoutMs: 200_000,
    });
    events = await store.readAll();
  }, 240_000);

  afterAll(async () => {
    await store?.close();
  });

  it('completes the campaign with every contact done', () => {
    expect(result.summary.contacts).toBe(NUMBERS);
    expect(events.filter((e) => e.type === 'CampaignCompleted')).toHaveLength(1);
  });

  it('attempts each number as often as its outcome and the retry policy demand', () => {
    const requests = events.filter((e) => e.type === 'CallRequested').map((e) => (e.data as CallRequested['data']));
    const attempts = new Map<string, number[]>();
    for (const r of requests) attempts.set(r.contactId!, [...(attempts.get(r.contactId!) ?? []), r.attempt]);
    for (const contact of contacts) {
      const n = expectedAttempts(contact.phone);
      expect({ phone: contact.phone, attempts: attempts.get(contact.contactId) }).toEqual({
        phone: contact.phone,
        attempts: Array.from({ length: n }, (_, i) => i + 1),
      });
    }
    expect(result.summary.calls).toBe(requests.length);
  });

  it('dials no call id twice, and Siren counts the same originates as the PBX', () => {
    expect(result.simulator.duplicateCallIds).toEqual([]);
    expect(result.originated).toBe(result.simulator.originated);
    expect(result.summary.calls).toBe(result.simulator.originated);
  });

  it('records one end per attempt with the disposition the simulator played', () => {
    const byDisposition = result.summary.byDisposition;
    const total = Object.values(byDisposition).reduce((sum, n) => sum + (n ?? 0), 0);
    expect(total).toBe(result.summary.calls);
    const perDigit = NUMBERS / 10;
    expect(byDisposition.busy).toBe(perDigit * 3);
    expect(byDisposition['no-answer']).toBe(perDigit * 3);
    expect(byDisposition.congestion).toBe(perDigit * 3);
    expect(byDisposition['carrier-failure']).toBe(perDigit * 3);
    expect(byDisposition.machine).toBe(perDigit);
    expect(byDisposition.answered).toBe(perDigit * 3);
    expect(result.summary.pressedOne).toBe(perDigit);
  });
});
