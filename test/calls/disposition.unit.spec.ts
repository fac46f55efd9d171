import { callDecider } from '../../src/calls/call.decider';
import type { AmdDetected, CallAnswered, CallOriginateFailed, CallRequested } from '../../src/calls/call.events';
import { dispositionForHangup } from '../../src/calls/disposition';
import { RecordHangup } from '../../src/calls/record-hangup/record-hangup.command';
import { DEFAULT_RETRY_POLICY } from '../../src/calls/retry-policy';
import { fold } from '../support/decider-spec';

/** The product's disposition table (PRODUCT.md, M6), one row per case. */
describe('disposition table', () => {
  it.each([
    [16, true, 'answered'],
    [17, false, 'busy'],
    [18, false, 'no-answer'],
    [19, false, 'no-answer'],
    [20, false, 'unreachable'],
    [21, false, 'rejected'],
    [1, false, 'invalid-number'],
    [22, false, 'invalid-number'],
    [28, false, 'invalid-number'],
    [27, false, 'failed'],
    [34, false, 'congestion'],
    [42, false, 'congestion'],
    [38, false, 'carrier-failure'],
    // Rows kept beyond the table (justified in disposition.ts).
    [3, false, 'unreachable'],
    [41, false, 'carrier-failure'],
    [16, false, 'no-answer'],
    [0, false, 'no-answer'],
    [99, false, 'failed'],
  ] as const)('cause %i (answered %s) → %s', (cause, answered, expected) => {
    expect(dispositionForHangup({ cause, answered, machine: false })).toBe(expected);
  });

  it('an answered call the AMD called a machine is `machine`, whatever the cause', () => {
    expect(dispositionForHangup({ cause: 16, answered: true, machine: true })).toBe('machine');
  });

  it('the default retry policy never retries an invalid number', () => {
    expect(DEFAULT_RETRY_POLICY.retryOn).not.toContain('invalid-number');
  });

  describe('as the call stream records it', () => {
    const at = '2025-03-01T10:00:00.000Z';
    const requested: CallRequested = {
      type: 'CallRequested',
      schemaVersion: 1,
      data: { callId: 'c1', agentId: 'a1', phone: '+15550100', attempt: 1, trackingId: 'T1.1', kind: 'autodial', at },
    };

    it('Originate Reason 0 (CallOriginateFailed) → originate-failed', () => {
      const failed: CallOriginateFailed = { type: 'CallOriginateFailed', schemaVersion: 1, data: { callId: 'c1', reason: 'failure', at } };
      expect(fold(callDecider, [requested, failed]).disposition).toBe('originate-failed');
    });

    it('AMD machine on an answered call → machine', () => {
      const answered: CallAnswered = { type: 'CallAnswered', schemaVersion: 1, data: { callId: 'c1', at } };
      const machine: AmdDetected = { type: 'AmdDetected', schemaVersion: 1, data: { callId: 'c1', result: 'machine', at } };
      const state = fold(callDecider, [requested, answered, machine]);
      const [hungUp] = callDecider.decide(new RecordHangup({ callId: 'c1', cause: 16 }), state, new Date(at));
      expect(hungUp).toMatchObject({ type: 'CallHungUp', data: { disposition: 'machine' } });
    });
  });
});
