import { emptyBuckets, type DialDecision } from '../../../src/telephony/saga';
import {
  answer,
  applyDials,
  at,
  callIdFor,
  contacts,
  createCampaign,
  dialed,
  EventLog,
  hangUp,
  importContacts,
  kinds,
  lifecycle,
  plan,
  requestCall,
  runningCampaign,
  T0,
} from './dialer-test-support';

describe('planDialing', () => {
  describe('calling window', () => {
    it('dials while the window is open in the campaign time zone', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(2), { timeZone: 'UTC', callingWindow: { start: '09:00', end: '18:00' } });
      expect(dialed(plan(log.fold(), new Date('2024-03-04T14:00:00Z')))).toEqual(['k1/c1#1', 'k1/c2#1']);
    });

    it('dials nothing where it is night although it is day in UTC', () => {
      const log = new EventLog();
      runningCampaign(log, 'tokyo', contacts(2), { timeZone: 'Asia/Tokyo', callingWindow: { start: '09:00', end: '18:00' } });
      expect(plan(log.fold(), new Date('2024-03-04T14:00:00Z')).decisions).toEqual([]); // 23:00 in Tokyo
      expect(dialed(plan(log.fold(), new Date('2024-03-05T01:00:00Z')))).toHaveLength(2); // 10:00 in Tokyo
    });

    it('dials in a window that crosses midnight, and not outside it', () => {
      const log = new EventLog();
      runningCampaign(log, 'night', contacts(1), { timeZone: 'Europe/Berlin', callingWindow: { start: '22:00', end: '01:00' } });
      const state = log.fold();
      expect(dialed(plan(state, new Date('2024-03-04T22:30:00Z')))).toEqual(['night/c1#1']); // 23:30 in Berlin
      expect(dialed(plan(state, new Date('2024-03-04T23:30:00Z')))).toEqual(['night/c1#1']); // 00:30 in Berlin
      expect(dialed(plan(state, new Date('2024-03-05T00:30:00Z')))).toEqual([]); // 01:30 in Berlin
      expect(dialed(plan(state, new Date('2024-03-04T12:00:00Z')))).toEqual([]);
    });
  });

  describe('the dial decision', () => {
    it('carries a deterministic call id, the campaign settings and the trunk charged', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(1), { route: 'red', callerId: '+15550001111' });
      const [decision] = plan(log.fold(), T0).decisions as DialDecision[];
      expect(decision).toEqual({
        kind: 'dial',
        campaignId: 'k1',
        contactId: 'c1',
        phone: '+15550000001',
        attempt: 1,
        callId: callIdFor('k1', 'c1', 1),
        sequence: 1,
        agentId: 'agent-1',
        route: 'red',
        callerId: '+15550001111',
        trunkHint: 'red',
      });
      expect(decision!.callId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(plan(log.fold(), T0)).toEqual(plan(log.fold(), T0));
    });

    it('uses the callIdFor it is given', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(1));
      const [decision] = plan(log.fold(), T0, undefined, { callIdFor: (c, k, n) => `${c}:${k}:${n}` }).decisions;
      expect(decision).toMatchObject({ kind: 'dial', callId: 'k1:c1:1' });
    });

    it('numbers contacts by their place in the upload', () => {
      const log = new EventLog();
      createCampaign(log, 'k1');
      importContacts(log, 'k1', contacts(2, 'b'), 1);
      importContacts(log, 'k1', contacts(2, 'a'), 0);
      lifecycle(log, 'k1', 'CampaignStarted');
      const decisions = plan(log.fold(), T0).decisions as DialDecision[];
      expect(decisions.map((d) => `${d.contactId}:${d.sequence}`)).toEqual(['a1:1', 'a2:2', 'b1:1001', 'b2:1002']);
    });
  });

  describe('concurrency caps', () => {
    it('respects the campaign cap, counting its live calls', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(10), { maxConcurrentCalls: 3 });
      expect(dialed(plan(log.fold(), T0))).toEqual(['k1/c1#1', 'k1/c2#1', 'k1/c3#1']);
      requestCall(log, { callId: 'x1', campaignId: 'k1', contactId: 'c1', phone: '+15550000001', attempt: 1 });
      requestCall(log, { callId: 'x2', campaignId: 'k1', contactId: 'c2', phone: '+15550000002', attempt: 1 });
      expect(dialed(plan(log.fold(), T0))).toEqual(['k1/c3#1']);
      hangUp(log, 'x1', 'answered');
      expect(dialed(plan(log.fold(), T0))).toEqual(['k1/c3#1', 'k1/c4#1']);
    });

    it('respects the global cap, counting manual calls too, and shares it round-robin', () => {
      const log = new EventLog();
      runningCampaign(log, 'a', contacts(10));
      runningCampaign(log, 'b', contacts(10));
      requestCall(log, { callId: 'manual', phone: '+15559999999', attempt: 1 });
      const result = plan(log.fold(), T0, { maxGlobalCalls: 5 });
      expect(dialed(result)).toEqual(['a/c1#1', 'b/c1#1', 'a/c2#1', 'b/c2#1']);
    });

    it('respects per-trunk channel caps and fails over to the next trunk of the route', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(10));
      requestCall(log, { callId: 'busy-line', phone: '+15559999999', attempt: 1, trunk: 'alpha' });
      const limits = {
        maxGlobalCalls: 100,
        trunks: { alpha: { maxChannels: 2, callsPerSecond: 100 }, beta: { maxChannels: 3, callsPerSecond: 100 } },
        trunksFor: () => ['alpha', 'beta'],
      };
      const decisions = plan(log.fold(), T0, limits).decisions as DialDecision[];
      expect(decisions.map((d) => d.trunkHint)).toEqual(['alpha', 'beta', 'beta', 'beta']);
    });

    it('counts a call on the trunk it was originated on', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(5));
      requestCall(log, { callId: 'x1', campaignId: 'k1', contactId: 'c1', phone: '+15550000001', attempt: 1, trunk: 'alpha' });
      log.add('call-x1', 'CallOriginated', { callId: 'x1', channel: 'PJSIP/beta-1', uniqueId: 'u1', trunk: 'beta', at: T0.toISOString() });
      const state = log.fold();
      expect([...state.liveByTrunk]).toEqual([['beta', 1]]);
      const limits = { maxGlobalCalls: 100, trunks: { beta: { maxChannels: 1, callsPerSecond: 100 } }, trunksFor: () => ['beta'] };
      expect(dialed(plan(state, T0, limits))).toEqual([]);
    });
  });

  describe('calls per second', () => {
    const limits = { maxGlobalCalls: 1000, trunks: { main: { maxChannels: 1000, callsPerSecond: 3 } } };

    it('allows N calls per second per trunk, then refills', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(20), { maxConcurrentCalls: 100 });
      const first = plan(log.fold(), T0, limits);
      expect(dialed(first)).toHaveLength(3);
      applyDials(log, first, T0);

      const sameInstant = plan(log.fold(), T0, limits, { buckets: first.buckets });
      expect(dialed(sameInstant)).toEqual([]);

      const halfSecond = plan(log.fold(), at(0.5), limits, { buckets: first.buckets });
      expect(dialed(halfSecond)).toEqual(['k1/c4#1']); // 1.5 tokens
      applyDials(log, halfSecond, at(0.5));

      const later = plan(log.fold(), at(1), limits, { buckets: halfSecond.buckets });
      expect(dialed(later)).toEqual(['k1/c5#1', 'k1/c6#1']); // 0.5 + 1.5
    });

    it('paces in time: 20 contacts at 3/s take 7 ticks of one second', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(20), { maxConcurrentCalls: 100 });
      let buckets = emptyBuckets(); // full after a start
      const perTick: number[] = [];
      for (let second = 0; second < 10; second++) {
        const result = plan(log.fold(), at(second), limits, { buckets });
        applyDials(log, result, at(second));
        buckets = result.buckets;
        perTick.push(dialed(result).length);
      }
      expect(perTick).toEqual([3, 3, 3, 3, 3, 3, 2, 0, 0, 0]);
    });
  });

  describe('retries', () => {
    const policy = { maxAttempts: 3, retryDelaySeconds: 600, retryOn: ['busy' as const, 'no-answer' as const] };

    function oneCallEnded(disposition: Parameters<typeof hangUp>[2], attempt = 1) {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(1), { retryPolicy: policy });
      for (let n = 1; n <= attempt; n++) {
        requestCall(log, { callId: `call-${n}`, campaignId: 'k1', contactId: 'c1', phone: '+15550000001', attempt: n }, at((n - 1) * 600));
        hangUp(log, `call-${n}`, n < attempt ? 'busy' : disposition, at((n - 1) * 600 + 30));
      }
      return log;
    }

    it('redials a retryable disposition only after the delay, as the next attempt', () => {
      const log = oneCallEnded('busy');
      expect(dialed(plan(log.fold(), at(629)))).toEqual([]);
      expect(dialed(plan(log.fold(), at(630)))).toEqual(['k1/c1#2']);
      const [decision] = plan(log.fold(), at(630)).decisions.filter((d) => d.kind === 'dial');
      expect(decision).toMatchObject({ callId: callIdFor('k1', 'c1', 2) });
    });

    it('asks for the retry to be recorded until CallRetryScheduled is folded, then honours its notBefore', () => {
      const log = oneCallEnded('no-answer');
      expect(plan(log.fold(), at(60)).decisions).toEqual([
        {
          kind: 'schedule-retry',
          campaignId: 'k1',
          contactId: 'c1',
          callId: 'call-1',
          nextAttempt: 2,
          notBefore: at(630).toISOString(),
          retryPolicy: policy,
        },
      ]);
      log.add('call-call-1', 'CallRetryScheduled', {
        callId: 'call-1', campaignId: 'k1', contactId: 'c1', nextAttempt: 2, notBefore: at(700).toISOString(), at: at(60).toISOString(),
      });
      expect(plan(log.fold(), at(630)).decisions).toEqual([]);
      expect(dialed(plan(log.fold(), at(700)))).toEqual(['k1/c1#2']);
    });

    it.each(['answered', 'rejected', 'failed', 'machine'] as const)('does not retry %s (not in the policy)', (disposition) => {
      const log = oneCallEnded(disposition);
      const state = log.fold();
      expect(state.campaigns.get('k1')!.contacts.done).toBe(1);
      expect(kinds(plan(state, at(100_000)))).toEqual(['complete']);
    });

    it('never retries invalid-number, even when the policy lists it', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(1), { retryPolicy: { ...policy, retryOn: ['invalid-number', 'busy'] } });
      requestCall(log, { callId: 'x', campaignId: 'k1', contactId: 'c1', phone: '+15550000001', attempt: 1 });
      hangUp(log, 'x', 'invalid-number');
      expect(kinds(plan(log.fold(), at(100_000)))).toEqual(['complete']);
    });

    it('stops at max attempts', () => {
      const log = oneCallEnded('busy', 3);
      const state = log.fold();
      const contact = [...state.campaigns.get('k1')!.contacts.chunks[0]!.contacts][0]!;
      expect(contact).toMatchObject({ attempts: 3, status: 'done', lastDisposition: 'busy' });
      expect(dialed(plan(state, at(100_000)))).toEqual([]);
      expect(kinds(plan(state, at(100_000)))).toEqual(['complete']);
    });

    it('takes fresh contacts before due retries, each in import order', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(4), { retryPolicy: policy, maxConcurrentCalls: 3 });
      requestCall(log, { callId: 'x2', campaignId: 'k1', contactId: 'c2', phone: '+15550000002', attempt: 1 });
      requestCall(log, { callId: 'x1', campaignId: 'k1', contactId: 'c1', phone: '+15550000001', attempt: 1 });
      hangUp(log, 'x2', 'busy');
      hangUp(log, 'x1', 'busy', at(5));
      expect(dialed(plan(log.fold(), at(1000)))).toEqual(['k1/c3#1', 'k1/c4#1', 'k1/c1#2']);
    });

    it('uses the default policy for a v1 CampaignCreated (3 attempts, 30 minutes)', () => {
      const log = new EventLog();
      log.add('campaign-old', 'CampaignCreated', {
        campaignId: 'old', name: 'old', agentId: 'agent-1', timeZone: 'UTC', callingWindow: { start: '00:00', end: '24:00' },
        maxConcurrentCalls: 5, route: 'main', at: T0.toISOString(),
      }, 1);
      importContacts(log, 'old', contacts(1));
      lifecycle(log, 'old', 'CampaignStarted');
      requestCall(log, { callId: 'x', campaignId: 'old', contactId: 'c1', phone: '+15550000001', attempt: 1 });
      hangUp(log, 'x', 'no-answer');
      expect(log.fold().campaigns.get('old')!.settings.retryPolicy.maxAttempts).toBe(3);
      expect(dialed(plan(log.fold(), at(1799)))).toEqual([]);
      expect(dialed(plan(log.fold(), at(1800)))).toEqual(['old/c1#2']);
    });
  });

  describe('do-not-call', () => {
    it('skips contacts on the list at planning time, taking no capacity', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(4), { maxConcurrentCalls: 2 });
      const doNotCall = new Set(['+15550000001', '+15550000003']);
      const result = plan(log.fold(), T0, undefined, { doNotCall });
      expect(result.decisions.map((d) => `${d.kind}:${'contactId' in d ? d.contactId : ''}`)).toEqual([
        'skip-dnc:c1',
        'dial:c2',
        'skip-dnc:c3',
        'dial:c4',
      ]);
    });

    it('a recorded skip makes the contact done, and the campaign can complete', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(1));
      log.add('dialer-k1', 'ContactSkipped', { campaignId: 'k1', contactId: 'c1', phone: '+15550000001', reason: 'do-not-call', at: T0.toISOString() });
      const state = log.fold();
      expect(state.campaigns.get('k1')!.skipped).toBe(1);
      expect(plan(state, T0, undefined, { doNotCall: new Set(['+15550000001']) }).decisions).toEqual([
        { kind: 'complete', campaignId: 'k1', summary: { contacts: 1, calls: 0, answered: 0, pressedOne: 0, byDisposition: {} } },
      ]);
    });

    it('checks a retry against the list when it comes due', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(1));
      requestCall(log, { callId: 'x', campaignId: 'k1', contactId: 'c1', phone: '+15550000001', attempt: 1 });
      hangUp(log, 'x', 'busy');
      log.add('call-x', 'CallRetryScheduled', { callId: 'x', campaignId: 'k1', contactId: 'c1', nextAttempt: 2, notBefore: at(1800).toISOString(), at: T0.toISOString() });
      expect(kinds(plan(log.fold(), at(1800), undefined, { doNotCall: new Set(['+15550000001']) }))).toEqual(['skip-dnc']);
    });
  });

  describe('campaign status', () => {
    it('dials nothing for a draft, paused, cancelled or completed campaign', () => {
      for (const type of ['none', 'CampaignPaused', 'CampaignCancelled', 'CampaignCompleted'] as const) {
        const log = new EventLog();
        createCampaign(log, 'k1');
        importContacts(log, 'k1', contacts(3));
        if (type === 'CampaignCompleted') {
          lifecycle(log, 'k1', 'CampaignStarted');
          log.add('campaign-k1', type, { campaignId: 'k1', summary: {}, at: T0.toISOString() });
        } else if (type !== 'none') {
          lifecycle(log, 'k1', 'CampaignStarted');
          lifecycle(log, 'k1', type);
        }
        expect(plan(log.fold(), T0).decisions).toEqual([]);
      }
    });

    it('dials again after resume', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(1));
      lifecycle(log, 'k1', 'CampaignPaused');
      lifecycle(log, 'k1', 'CampaignResumed');
      expect(dialed(plan(log.fold(), T0))).toEqual(['k1/c1#1']);
    });

    it('hangs up the live calls of a cancelled campaign, and only those', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(3));
      runningCampaign(log, 'k2', contacts(1));
      requestCall(log, { callId: 'x1', campaignId: 'k1', contactId: 'c1', phone: '+15550000001', attempt: 1 });
      requestCall(log, { callId: 'x2', campaignId: 'k1', contactId: 'c2', phone: '+15550000002', attempt: 1 });
      requestCall(log, { callId: 'y1', campaignId: 'k2', contactId: 'c1', phone: '+15550000001', attempt: 1 });
      answer(log, 'x2');
      hangUp(log, 'x1', 'busy');
      lifecycle(log, 'k1', 'CampaignCancelled');
      const result = plan(log.fold(), T0, undefined);
      expect(result.decisions).toEqual([{ kind: 'hangup', campaignId: 'k1', callId: 'x2', reason: 'campaign-cancelled' }]);
      hangUp(log, 'x2', 'cancelled');
      expect(plan(log.fold(), T0).decisions).toEqual([]);
    });

    it('a paused campaign whose last calls end completes', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(1));
      requestCall(log, { callId: 'x1', campaignId: 'k1', contactId: 'c1', phone: '+15550000001', attempt: 1 });
      lifecycle(log, 'k1', 'CampaignPaused');
      expect(plan(log.fold(), T0).decisions).toEqual([]);
      answer(log, 'x1');
      hangUp(log, 'x1', 'answered');
      expect(kinds(plan(log.fold(), T0))).toEqual(['complete']);
    });
  });

  describe('completion', () => {
    it('completes with a summary once every contact is done and nothing is live', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(3));
      const dispositions = ['answered', 'invalid-number', 'busy'] as const;
      dispositions.forEach((disposition, i) => {
        const id = `x${i + 1}`;
        requestCall(log, { callId: id, campaignId: 'k1', contactId: `c${i + 1}`, phone: '+1555000000' + (i + 1), attempt: 1 });
        if (disposition === 'answered') {
          answer(log, id);
          log.add(`call-${id}`, 'DtmfPressed', { callId: id, digit: '1', source: 'dtmf', at: T0.toISOString() });
          log.add(`call-${id}`, 'DtmfPressed', { callId: id, digit: '1', source: 'userevent', at: T0.toISOString() });
        }
        hangUp(log, id, disposition);
      });
      // c3 was busy: pending a retry, so not complete yet.
      expect(kinds(plan(log.fold(), at(60)))).toEqual(['schedule-retry']);
      requestCall(log, { callId: 'x4', campaignId: 'k1', contactId: 'c3', phone: '+15550000003', attempt: 2 }, at(1900));
      expect(plan(log.fold(), at(1900)).decisions).toEqual([]);
      hangUp(log, 'x4', 'rejected', at(1930));
      expect(plan(log.fold(), at(1930)).decisions).toEqual([
        {
          kind: 'complete',
          campaignId: 'k1',
          summary: { contacts: 3, calls: 4, answered: 1, pressedOne: 1, byDisposition: { answered: 1, 'invalid-number': 1, busy: 1, rejected: 1 } },
        },
      ]);
      log.add('campaign-k1', 'CampaignCompleted', { campaignId: 'k1', summary: {}, at: at(1930).toISOString() });
      expect(plan(log.fold(), at(1930)).decisions).toEqual([]);
    });

    it('treats an originate failure as the attempt\'s end', () => {
      const log = new EventLog();
      runningCampaign(log, 'k1', contacts(1));
      requestCall(log, { callId: 'x1', campaignId: 'k1', contactId: 'c1', phone: '+15550000001', attempt: 1, trunk: 'main' });
      log.add('call-x1', 'CallOriginateFailed', { callId: 'x1', reason: 'no route', at: T0.toISOString() });
      const state = log.fold();
      expect(state.liveCalls.size).toBe(0);
      expect(state.liveByTrunk.size).toBe(0);
      expect(plan(state, T0).decisions).toEqual([
        { kind: 'complete', campaignId: 'k1', summary: { contacts: 1, calls: 1, answered: 0, pressedOne: 0, byDisposition: { 'originate-failed': 1 } } },
      ]);
    });
  });
});
