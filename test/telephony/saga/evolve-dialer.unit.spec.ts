import { evolveDialer, findContact, foldDialer, initialDialerState } from '../../../src/telephony/saga';
import { answer, contacts, EventLog, hangUp, requestCall, runningCampaign, T0 } from './dialer-test-support';

describe('evolveDialer', () => {
  function history(): EventLog {
    const log = new EventLog();
    runningCampaign(log, 'k1', contacts(3));
    requestCall(log, { callId: 'x1', campaignId: 'k1', contactId: 'c1', phone: '+15550000001', attempt: 1, trunk: 'main' });
    requestCall(log, { callId: 'x2', campaignId: 'k1', contactId: 'c2', phone: '+15550000002', attempt: 1, trunk: 'main' });
    answer(log, 'x1');
    hangUp(log, 'x1', 'answered');
    hangUp(log, 'x2', 'busy');
    return log;
  }

  it('folds campaigns, contacts, live calls and counts', () => {
    const state = history().fold();
    const campaign = state.campaigns.get('k1')!;
    expect(campaign.status).toBe('running');
    expect(campaign.contacts).toMatchObject({ total: 3, fresh: 1, retrying: 1, live: 0, done: 1 });
    expect(campaign).toMatchObject({ calls: 2, answered: 1, liveCalls: 0, byDisposition: { answered: 1, busy: 1 } });
    expect(findContact(campaign.contacts, 'c1')).toMatchObject({ attempts: 1, status: 'done', lastDisposition: 'answered' });
    expect(findContact(campaign.contacts, 'c2')).toMatchObject({
      attempts: 1,
      status: 'pending',
      lastDisposition: 'busy',
      nextEligibleAt: T0.getTime() + 1800 * 1000,
    });
    expect(findContact(campaign.contacts, 'c3')).toMatchObject({ attempts: 0, status: 'pending' });
    expect(state.liveCalls.size).toBe(0);
    expect(state.liveByTrunk.size).toBe(0);
    expect(state.position).toBe(BigInt(history().events.length));
  });

  it('tracks live calls globally and per trunk', () => {
    const log = new EventLog();
    runningCampaign(log, 'k1', contacts(2));
    requestCall(log, { callId: 'x1', campaignId: 'k1', contactId: 'c1', phone: '+15550000001', attempt: 1, trunk: 'a' });
    requestCall(log, { callId: 'm1', phone: '+15559999999', attempt: 1, trunk: 'a' });
    const state = log.fold();
    expect([...state.liveCalls.keys()]).toEqual(['x1', 'm1']);
    expect(state.liveByTrunk.get('a')).toBe(2);
    expect(state.campaigns.get('k1')!.liveCalls).toBe(1);
    expect(findContact(state.campaigns.get('k1')!.contacts, 'c1')).toMatchObject({ status: 'live', liveCallId: 'x1' });
  });

  it('is idempotent per position: re-applying any applied event changes nothing', () => {
    const { events } = history();
    const once = foldDialer(events);
    let again = once;
    for (const event of events) again = evolveDialer(again, event);
    expect(again).toBe(once);
    // A redelivery from an older checkpoint, e.g. after a restart.
    expect(foldDialer([...events.slice(0, 6), ...events.slice(3)])).toEqual(once);
  });

  it('is pure: folding leaves earlier states as they were', () => {
    const { events } = history();
    const before = foldDialer(events.slice(0, 4));
    const snapshot = JSON.stringify(before, (_k, v: unknown) => (v instanceof Map ? [...v] : typeof v === 'bigint' ? String(v) : v));
    foldDialer(events.slice(4), before);
    expect(JSON.stringify(before, (_k, v: unknown) => (v instanceof Map ? [...v] : typeof v === 'bigint' ? String(v) : v))).toBe(snapshot);
  });

  it('passes over event types it does not need, advancing the position', () => {
    const log = new EventLog();
    log.add('agent-a1', 'AgentAuthorized', { agentId: 'a1' });
    const state = evolveDialer(initialDialerState(), log.events[0]!);
    expect(state.position).toBe(1n);
    expect(state.campaigns.size).toBe(0);
  });
});
