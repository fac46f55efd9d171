import { findContact, reconcile, type DialDecision } from '../../../src/telephony/saga';
import { applyDials, at, contacts, dialed, EventLog, hangUp, plan, requestCall, runningCampaign, T0 } from './dialer-test-support';

/**
 * A dial decision is appended as CallRequested (deterministic call id) before the Originate is
 * sent. These tests crash the runner at each point of that sequence and restart from the log.
 */
describe('crash safety', () => {
  function crashedMidTick() {
    const log = new EventLog();
    runningCampaign(log, 'k1', contacts(3));
    const beforeCrash = plan(log.fold(), T0);
    const [c1, c2] = beforeCrash.decisions as DialDecision[];
    // CallRequested for c1 and c2 appended; Originate sent for c1 only; crash before c3 was appended.
    requestCall(log, { callId: c1!.callId, campaignId: 'k1', contactId: 'c1', phone: c1!.phone, attempt: 1 }, T0);
    requestCall(log, { callId: c2!.callId, campaignId: 'k1', contactId: 'c2', phone: c2!.phone, attempt: 1 }, T0);
    const onThePbx = new Set([c1!.callId]);
    return { log, beforeCrash, onThePbx, c1: c1!, c2: c2! };
  }

  it('after a restart, an attempt already requested is not planned again; the one not appended is, with the same id', () => {
    const { log, beforeCrash } = crashedMidTick();
    const restarted = log.fold(); // a fresh process: state from the log only, buckets empty
    const afterRestart = plan(restarted, at(1));
    expect(dialed(afterRestart)).toEqual(['k1/c3#1']);
    expect(afterRestart.decisions[0]).toMatchObject({ callId: (beforeCrash.decisions[2] as DialDecision).callId });
  });

  it('a plan from a lagging state repeats the same call ids, so the duplicate append is recognised', () => {
    const { beforeCrash, log } = crashedMidTick();
    const lagging = new EventLog();
    lagging.events.push(...log.events.slice(0, 3)); // the campaign's events; the two CallRequested not yet folded
    expect(plan(lagging.fold(), T0).decisions).toEqual(beforeCrash.decisions);
  });

  it('reconcile closes calls in doubt that the PBX does not have, and leaves live ones alone', () => {
    const { log, onThePbx, c2 } = crashedMidTick();
    const state = log.fold();
    expect(reconcile(state, onThePbx, at(60))).toEqual([{ kind: 'close-unknown', callId: c2.callId, campaignId: 'k1', contactId: 'c2' }]);
    // Within the grace period the Originate may still be on its way.
    expect(reconcile(state, onThePbx, at(5))).toEqual([]);
    expect(reconcile(state, onThePbx, at(5), { graceSeconds: 0 })).toHaveLength(1);
  });

  it('a call closed as unknown is not dialed again under the default policy', () => {
    const { log, c2 } = crashedMidTick();
    hangUp(log, c2.callId, 'unknown', at(60));
    const state = log.fold();
    expect(findContact(state.campaigns.get('k1')!.contacts, 'c2')).toMatchObject({ status: 'done', attempts: 1, lastDisposition: 'unknown' });
    expect(dialed(plan(state, at(100_000)))).toEqual(['k1/c3#1']);
  });

  it('a call closed as unknown is retried as the next attempt when the policy lists unknown', () => {
    const log = new EventLog();
    runningCampaign(log, 'k1', contacts(1), { retryPolicy: { maxAttempts: 2, retryDelaySeconds: 60, retryOn: ['unknown'] } });
    const first = plan(log.fold(), T0);
    applyDials(log, first, T0);
    const [closed] = reconcile(log.fold(), new Set(), at(30));
    hangUp(log, closed!.callId, 'unknown', at(30));
    expect(dialed(plan(log.fold(), at(89)))).toEqual([]);
    expect(dialed(plan(log.fold(), at(90)))).toEqual(['k1/c1#2']);
  });
});
