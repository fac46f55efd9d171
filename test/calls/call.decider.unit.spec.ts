import { callDecider, callDurations } from '../../src/calls/call.decider';
import type {
  AmdDetected,
  CallAnswered,
  CallHungUp,
  CallOriginated,
  CallOriginateFailed,
  CallRequested,
  CallRetryScheduled,
  DtmfPressed,
} from '../../src/calls/call.events';
import { dispositionForHangup } from '../../src/calls/disposition';
import { RecordAmdResult } from '../../src/calls/record-amd-result/record-amd-result.command';
import { RecordAnswer } from '../../src/calls/record-answer/record-answer.command';
import { RecordDtmf } from '../../src/calls/record-dtmf/record-dtmf.command';
import { RecordHangup } from '../../src/calls/record-hangup/record-hangup.command';
import { RecordOriginateFailure } from '../../src/calls/record-originate-failure/record-originate-failure.command';
import { RecordOriginated } from '../../src/calls/record-originated/record-originated.command';
import { RequestCall } from '../../src/calls/request-call/request-call.command';
import { defaultRetryPolicy } from '../../src/calls/retry-policy';
import { ScheduleCallRetry } from '../../src/calls/schedule-call-retry/schedule-call-retry.command';
import { deciderSpec, fold } from '../support/decider-spec';

const callId = 'call-7';
const t = (seconds: number) => new Date(Date.UTC(2025, 2, 1, 10, 0, 0) + seconds * 1000);
const iso = (seconds: number) => t(seconds).toISOString();
const spec = deciderSpec(callDecider, t(60));

const requested = (attempt = 1): CallRequested => ({
  type: 'CallRequested',
  schemaVersion: 1,
  data: {
    callId,
    campaignId: 'c1',
    contactId: 'k1',
    agentId: 'a1',
    phone: '+4915112345678',
    attempt,
    trackingId: 'JKD1.7',
    kind: 'autodial',
    route: 'main',
    at: iso(0),
  },
});
const originated: CallOriginated = {
  type: 'CallOriginated',
  schemaVersion: 1,
  data: { callId, channel: 'PJSIP/trunk-a-00000001', uniqueId: '1700000000.1', trunk: 'trunk-a', at: iso(1) },
};
const originateFailed: CallOriginateFailed = {
  type: 'CallOriginateFailed',
  schemaVersion: 1,
  data: { callId, reason: 'no such trunk', at: iso(1) },
};
const answered: CallAnswered = { type: 'CallAnswered', schemaVersion: 1, data: { callId, at: iso(12) } };
const machineDetected: AmdDetected = {
  type: 'AmdDetected',
  schemaVersion: 1,
  data: { callId, result: 'machine', cause: 'LONGGREETING', at: iso(14) },
};
const hungUp = (disposition: CallHungUp['data']['disposition'], at = 40): CallHungUp => ({
  type: 'CallHungUp',
  schemaVersion: 1,
  data: { callId, cause: 17, disposition, ringSeconds: at, talkSeconds: 0, billableSeconds: 0, durationSeconds: at, at: iso(at) },
});
const retryScheduled: CallRetryScheduled = {
  type: 'CallRetryScheduled',
  schemaVersion: 1,
  data: { callId, campaignId: 'c1', contactId: 'k1', nextAttempt: 2, notBefore: iso(40 + 1800), at: iso(60) },
};

describe('call decider', () => {
  describe('RequestCall', () => {
    const command = new RequestCall({
      callId,
      campaignId: 'c1',
      contactId: 'k1',
      agentId: 'a1',
      phone: '+4915112345678',
      attempt: 1,
      trackingId: 'JKD1.7',
      kind: 'autodial',
      route: 'main',
    });

    it('requests the call, leaving unset options out of the event', () => {
      spec.given([]).when(command, t(0)).then([requested()]);
    });

    it('refuses a call id that is already used', () => {
      spec.given([requested()]).when(command).thenThrows('CALL_ALREADY_EXISTS');
    });
  });

  describe('RecordOriginated', () => {
    const command = new RecordOriginated({
      callId,
      channel: 'PJSIP/trunk-a-00000001',
      uniqueId: '1700000000.1',
      trunk: 'trunk-a',
    });

    it('records the channel of a requested call', () => {
      spec.given([requested()]).when(command, t(1)).then([originated]);
    });

    it('ignores a second report of the same channel', () => {
      spec.given([requested(), originated]).when(command).thenNothing();
    });

    it('refuses a different channel once answered', () => {
      spec
        .given([requested(), answered])
        .when(new RecordOriginated({ ...command, uniqueId: '1700000000.9' }))
        .thenThrows('INVALID_TRANSITION', { status: 'answered' });
    });

    it('refuses an unknown, failed or finished call', () => {
      spec.given([]).when(command).thenThrows('CALL_NOT_FOUND');
      spec.given([requested(), originateFailed]).when(command).thenThrows('CALL_ORIGINATE_FAILED');
      spec.given([requested(), hungUp('busy')]).when(command).thenThrows('CALL_ALREADY_HUNG_UP');
    });
  });

  describe('RecordOriginateFailure', () => {
    const command = new RecordOriginateFailure({ callId, reason: 'no such trunk' });

    it('records that a requested call was never placed', () => {
      spec.given([requested()]).when(command, t(1)).then([originateFailed]);
    });

    it('refuses once the call was originated', () => {
      spec.given([requested(), originated]).when(command).thenThrows('INVALID_TRANSITION', { status: 'originated' });
    });

    it('refuses an unknown or already failed call', () => {
      spec.given([]).when(command).thenThrows('CALL_NOT_FOUND');
      spec.given([requested(), originateFailed]).when(command).thenThrows('CALL_ORIGINATE_FAILED');
    });
  });

  describe('RecordAnswer', () => {
    const command = new RecordAnswer({ callId });

    it('records the answer of an originated call', () => {
      spec.given([requested(), originated]).when(command, t(12)).then([answered]);
    });

    it('accepts an answer before OriginateResponse arrives', () => {
      spec.given([requested()]).when(command, t(12)).then([answered]);
    });

    it('records the answer only once', () => {
      spec.given([requested(), originated, answered]).when(command).thenNothing();
    });

    it('refuses an unknown, failed or hung-up call', () => {
      spec.given([]).when(command).thenThrows('CALL_NOT_FOUND');
      spec.given([requested(), originateFailed]).when(command).thenThrows('CALL_ORIGINATE_FAILED');
      spec.given([requested(), hungUp('no-answer')]).when(command).thenThrows('CALL_ALREADY_HUNG_UP');
    });
  });

  describe('RecordDtmf', () => {
    const command = new RecordDtmf({ callId, digit: '1', source: 'userevent' });
    const pressed: DtmfPressed = { type: 'DtmfPressed', schemaVersion: 1, data: { callId, digit: '1', source: 'userevent', at: iso(20) } };

    it('records a key pressed on an answered call', () => {
      spec.given([requested(), originated, answered]).when(command, t(20)).then([pressed]);
    });

    it('records every press, repeated digits included', () => {
      spec.given([requested(), originated, answered, pressed]).when(command, t(20)).then([pressed]);
    });

    it('refuses a call that is not answered yet', () => {
      spec.given([requested(), originated]).when(command).thenThrows('CALL_NOT_ANSWERED', { status: 'originated' });
    });

    it('refuses a call that has hung up', () => {
      spec.given([requested(), originated, answered, hungUp('answered')]).when(command).thenThrows('CALL_ALREADY_HUNG_UP');
    });

    it('refuses an unknown call', () => {
      spec.given([]).when(command).thenThrows('CALL_NOT_FOUND');
    });
  });

  describe('RecordAmdResult', () => {
    const command = new RecordAmdResult({ callId, result: 'machine', cause: 'LONGGREETING' });

    it('records the detector verdict on an answered call', () => {
      spec.given([requested(), answered]).when(command, t(14)).then([machineDetected]);
    });

    it('leaves out an absent cause', () => {
      spec
        .given([requested(), answered])
        .when(new RecordAmdResult({ callId, result: 'human' }), t(14))
        .then([{ type: 'AmdDetected', schemaVersion: 1, data: { callId, result: 'human', at: iso(14) } }]);
    });

    it('refuses an unanswered, hung-up or unknown call', () => {
      spec.given([requested()]).when(command).thenThrows('CALL_NOT_ANSWERED');
      spec.given([requested(), answered, hungUp('answered')]).when(command).thenThrows('CALL_ALREADY_HUNG_UP');
      spec.given([]).when(command).thenThrows('CALL_NOT_FOUND');
    });
  });

  describe('RecordHangup', () => {
    it('computes ring, talk, billable and total seconds of an answered call', () => {
      spec
        .given([requested(), originated, answered])
        .when(new RecordHangup({ callId, cause: 16, causeText: 'Normal Clearing' }), new Date(t(42).getTime() + 300))
        .then([
          {
            type: 'CallHungUp',
            schemaVersion: 1,
            data: {
              callId,
              cause: 16,
              causeText: 'Normal Clearing',
              disposition: 'answered',
              ringSeconds: 12,
              talkSeconds: 30,
              billableSeconds: 31,
              durationSeconds: 42,
              at: new Date(t(42).getTime() + 300).toISOString(),
            },
          },
        ]);
    });

    it('derives busy from cause 17 on an unanswered call, all of it ringing', () => {
      spec.given([requested(), originated]).when(new RecordHangup({ callId, cause: 17 }), t(40)).then([hungUp('busy')]);
    });

    it('marks an answered call the detector called a machine as machine', () => {
      spec
        .given([requested(), answered, machineDetected])
        .when(new RecordHangup({ callId, cause: 16 }), t(20))
        .then([
          {
            type: 'CallHungUp',
            schemaVersion: 1,
            data: { callId, cause: 16, disposition: 'machine', ringSeconds: 12, talkSeconds: 8, billableSeconds: 8, durationSeconds: 20, at: iso(20) },
          },
        ]);
    });

    it('uses an explicit disposition over the cause', () => {
      spec
        .given([requested(), originated])
        .when(new RecordHangup({ callId, cause: 16, disposition: 'cancelled' }), t(5))
        .then([
          {
            type: 'CallHungUp',
            schemaVersion: 1,
            data: { callId, cause: 16, disposition: 'cancelled', ringSeconds: 5, talkSeconds: 0, billableSeconds: 0, durationSeconds: 5, at: iso(5) },
          },
        ]);
    });

    it('refuses a second hang-up', () => {
      spec.given([requested(), hungUp('busy')]).when(new RecordHangup({ callId, cause: 16 })).thenThrows('CALL_ALREADY_HUNG_UP');
    });

    it('refuses an unknown or never-placed call', () => {
      spec.given([]).when(new RecordHangup({ callId, cause: 16 })).thenThrows('CALL_NOT_FOUND');
      spec.given([requested(), originateFailed]).when(new RecordHangup({ callId, cause: 16 })).thenThrows('CALL_ORIGINATE_FAILED');
    });
  });

  describe('ScheduleCallRetry', () => {
    const command = new ScheduleCallRetry({ callId, retryPolicy: defaultRetryPolicy() });

    it('schedules the next attempt one delay after the hang-up', () => {
      spec.given([requested(), originated, hungUp('busy')]).when(command, t(60)).then([retryScheduled]);
    });

    it('retries a failed originate when the policy lists originate-failed', () => {
      const retryPolicy = { ...defaultRetryPolicy(), retryOn: ['originate-failed' as const], retryDelaySeconds: 60 };
      spec
        .given([requested(), originateFailed])
        .when(new ScheduleCallRetry({ callId, retryPolicy }), t(2))
        .then([{ ...retryScheduled, data: { ...retryScheduled.data, notBefore: iso(61), at: iso(2) } }]);
    });

    it('refuses a disposition the policy does not retry', () => {
      spec
        .given([requested(), answered, hungUp('answered')])
        .when(command)
        .thenThrows('CALL_NOT_RETRYABLE', { disposition: 'answered' });
      spec.given([requested(), originateFailed]).when(command).thenThrows('CALL_NOT_RETRYABLE', { disposition: 'originate-failed' });
    });

    it('refuses once the last allowed attempt has been made', () => {
      spec
        .given([requested(3), hungUp('no-answer')])
        .when(command)
        .thenThrows('CALL_ATTEMPTS_EXHAUSTED', { attempt: 3, maxAttempts: 3 });
    });

    it('refuses a call that has not ended', () => {
      spec.given([requested(), originated]).when(command).thenThrows('CALL_NOT_ENDED', { status: 'originated' });
    });

    it('refuses a second retry for the same attempt', () => {
      spec.given([requested(), hungUp('busy'), retryScheduled]).when(command).thenThrows('CALL_RETRY_ALREADY_SCHEDULED');
    });

    it('refuses an unknown call', () => {
      spec.given([]).when(command).thenThrows('CALL_NOT_FOUND');
    });
  });

  describe('evolve', () => {
    it('tracks the call through its life', () => {
      const state = fold(callDecider, [requested(2), originated, answered, machineDetected, hungUp('machine')]);
      expect(state).toMatchObject({
        status: 'hung-up',
        attempt: 2,
        uniqueId: '1700000000.1',
        amdResult: 'machine',
        disposition: 'machine',
        answeredAt: iso(12),
      });
    });
  });
});

describe('callDurations', () => {
  it('never lets rounding make ring + talk differ from the duration', () => {
    const state = fold(callDecider, [requested(), { ...answered, data: { callId, at: new Date(t(10).getTime() + 600).toISOString() } }]);
    const result = callDurations(state, new Date(t(20).getTime() + 800));
    expect(result.ringSeconds + result.talkSeconds).toBe(result.durationSeconds);
    expect(result).toEqual({ ringSeconds: 11, talkSeconds: 10, billableSeconds: 11, durationSeconds: 21 });
  });
});

describe('dispositionForHangup', () => {
  it.each([
    [17, false, false, 'busy'],
    [19, false, false, 'no-answer'],
    [16, false, false, 'no-answer'],
    [21, false, false, 'rejected'],
    [1, false, false, 'invalid-number'],
    [34, false, false, 'congestion'],
    [38, false, false, 'carrier-failure'],
    [3, false, false, 'unreachable'],
    [99, false, false, 'failed'],
    [16, true, false, 'answered'],
    [16, true, true, 'machine'],
  ] as const)('cause %i (answered %s, machine %s) → %s', (cause, answered, machine, expected) => {
    expect(dispositionForHangup({ cause, answered, machine })).toBe(expected);
  });
});
