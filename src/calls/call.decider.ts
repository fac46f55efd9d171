import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { withoutUndefined } from '../shared/without-undefined';
import {
  callStreamId,
  type AmdDetected,
  type AmdResult,
  type CallAnswered,
  type CallEvent,
  type CallHungUp,
  type CallOriginated,
  type CallOriginateFailed,
  type CallRequested,
  type CallRetryScheduled,
  type DtmfPressed,
} from './call.events';
import { dispositionForHangup, type Disposition } from './disposition';
import type { RecordAmdResult } from './record-amd-result/record-amd-result.command';
import type { RecordAnswer } from './record-answer/record-answer.command';
import type { RecordDtmf } from './record-dtmf/record-dtmf.command';
import type { RecordHangup } from './record-hangup/record-hangup.command';
import type { RecordOriginateFailure } from './record-originate-failure/record-originate-failure.command';
import type { RecordOriginated } from './record-originated/record-originated.command';
import type { RequestCall } from './request-call/request-call.command';
import type { ScheduleCallRetry } from './schedule-call-retry/schedule-call-retry.command';

export type CallCommand =
  | RequestCall
  | RecordOriginated
  | RecordOriginateFailure
  | RecordAnswer
  | RecordDtmf
  | RecordAmdResult
  | RecordHangup
  | ScheduleCallRetry;

/**
 * requested → originated → answered → hung-up, or requested → originate-failed.
 * requested → answered is allowed too: Asterisk sends OriginateResponse only once the far end
 * answers, so the answer can be the first thing we hear.
 */
export type CallStatus = 'none' | 'requested' | 'originated' | 'answered' | 'hung-up' | 'originate-failed';

export interface CallState {
  status: CallStatus;
  callId?: string;
  campaignId?: string;
  contactId?: string;
  attempt: number;
  uniqueId?: string;
  requestedAt?: string;
  answeredAt?: string;
  endedAt?: string;
  amdResult?: AmdResult;
  disposition?: Disposition;
  retryScheduled: boolean;
}

export const initialCallState = (): CallState => ({ status: 'none', attempt: 0, retryScheduled: false });

export function evolveCall(state: CallState, event: CallEvent): CallState {
  const { type } = event;
  switch (type) {
    case 'CallRequested': {
      const { callId, campaignId, contactId, attempt, at } = event.data;
      return { ...state, status: 'requested', callId, campaignId, contactId, attempt, requestedAt: at };
    }
    case 'CallOriginated':
      return { ...state, status: 'originated', uniqueId: event.data.uniqueId };
    case 'CallOriginateFailed':
      return { ...state, status: 'originate-failed', disposition: 'originate-failed', endedAt: event.data.at };
    case 'CallAnswered':
      return { ...state, status: 'answered', answeredAt: event.data.at };
    case 'DtmfPressed':
      return state;
    case 'AmdDetected':
      return { ...state, amdResult: event.data.result };
    case 'CallHungUp':
      return { ...state, status: 'hung-up', disposition: event.data.disposition, endedAt: event.data.at };
    case 'CallRetryScheduled':
      return { ...state, retryScheduled: true };
    default: {
      // Events of types this version does not know are skipped, not fatal.
      const _unknown: never = type;
      return state;
    }
  }
}

/** Refuses any change to a call that does not exist or has already ended. */
function ensureLive(state: CallState, callId: string): void {
  if (state.status === 'none') {
    throw new DomainError('CALL_NOT_FOUND', `call ${callId} does not exist`, { callId });
  }
  if (state.status === 'hung-up') {
    throw new DomainError('CALL_ALREADY_HUNG_UP', `call ${callId} has already hung up`, { callId });
  }
  if (state.status === 'originate-failed') {
    throw new DomainError('CALL_ORIGINATE_FAILED', `call ${callId} was never placed`, { callId });
  }
}

function ensureAnswered(state: CallState, callId: string): void {
  ensureLive(state, callId);
  if (state.status !== 'answered') {
    throw new DomainError('CALL_NOT_ANSWERED', `call ${callId} has not been answered`, { callId, status: state.status });
  }
}

function invalidTransition(state: CallState, callId: string, action: string): DomainError {
  return new DomainError('INVALID_TRANSITION', `cannot ${action} call ${callId} while ${state.status}`, {
    callId,
    status: state.status,
    action,
  });
}

export function requestCall(command: RequestCall, state: CallState, now: Date): CallRequested[] {
  if (state.status !== 'none') {
    throw new DomainError('CALL_ALREADY_EXISTS', `call ${command.callId} already exists`, { callId: command.callId });
  }
  const { callId, campaignId, contactId, agentId, phone, attempt, trackingId, kind, route, trunk, callerId } = command;
  const optional = { campaignId, contactId, route, trunk, callerId };
  return [
    {
      type: 'CallRequested',
      schemaVersion: 1,
      data: {
        callId,
        ...withoutUndefined(optional),
        agentId,
        phone,
        attempt,
        trackingId,
        kind,
        at: now.toISOString(),
      },
    },
  ];
}

export function recordOriginated(command: RecordOriginated, state: CallState, now: Date): CallOriginated[] {
  ensureLive(state, command.callId);
  // OriginateResponse and Newchannel both report the channel; the second report changes nothing.
  if (state.uniqueId === command.uniqueId) return [];
  if (state.status !== 'requested') throw invalidTransition(state, command.callId, 'originate');
  const { callId, channel, uniqueId, trunk } = command;
  return [{ type: 'CallOriginated', schemaVersion: 1, data: { callId, channel, uniqueId, trunk, at: now.toISOString() } }];
}

export function recordOriginateFailure(
  command: RecordOriginateFailure,
  state: CallState,
  now: Date,
): CallOriginateFailed[] {
  ensureLive(state, command.callId);
  if (state.status !== 'requested') throw invalidTransition(state, command.callId, 'fail origination of');
  return [
    {
      type: 'CallOriginateFailed',
      schemaVersion: 1,
      data: { callId: command.callId, reason: command.reason, at: now.toISOString() },
    },
  ];
}

export function recordAnswer(command: RecordAnswer, state: CallState, now: Date): CallAnswered[] {
  ensureLive(state, command.callId);
  // Newstate Up and DialEnd ANSWER both mean "answered"; the first one wins.
  if (state.status === 'answered') return [];
  return [{ type: 'CallAnswered', schemaVersion: 1, data: { callId: command.callId, at: now.toISOString() } }];
}

export function recordDtmf(command: RecordDtmf, state: CallState, now: Date): DtmfPressed[] {
  ensureAnswered(state, command.callId);
  const { callId, digit, source } = command;
  return [{ type: 'DtmfPressed', schemaVersion: 1, data: { callId, digit, source, at: now.toISOString() } }];
}

export function recordAmdResult(command: RecordAmdResult, state: CallState, now: Date): AmdDetected[] {
  ensureAnswered(state, command.callId);
  const { callId, result, cause } = command;
  return [
    {
      type: 'AmdDetected',
      schemaVersion: 1,
      data: { callId, result, ...withoutUndefined({ cause }), at: now.toISOString() },
    },
  ];
}

const millisBetween = (from: string | undefined, to: Date): number =>
  from === undefined ? 0 : Math.max(0, to.getTime() - Date.parse(from));

/** Whole seconds; duration is rounded once and split so that ring + talk always equals it. */
export function callDurations(state: CallState, endedAt: Date) {
  const totalMs = millisBetween(state.requestedAt, endedAt);
  const talkMs = state.answeredAt === undefined ? 0 : millisBetween(state.answeredAt, endedAt);
  const durationSeconds = Math.round(totalMs / 1000);
  const talkSeconds = Math.min(Math.round(talkMs / 1000), durationSeconds);
  return {
    ringSeconds: durationSeconds - talkSeconds,
    talkSeconds,
    billableSeconds: Math.ceil(talkMs / 1000),
    durationSeconds,
  };
}

export function recordHangup(command: RecordHangup, state: CallState, now: Date): CallHungUp[] {
  ensureLive(state, command.callId);
  const { callId, cause, causeText } = command;
  const disposition =
    command.disposition ??
    dispositionForHangup({ cause, answered: state.status === 'answered', machine: state.amdResult === 'machine' });
  return [
    {
      type: 'CallHungUp',
      schemaVersion: 1,
      data: {
        callId,
        cause,
        ...withoutUndefined({ causeText }),
        disposition,
        ...callDurations(state, now),
        at: now.toISOString(),
      },
    },
  ];
}

export function scheduleCallRetry(command: ScheduleCallRetry, state: CallState, now: Date): CallRetryScheduled[] {
  const { callId, retryPolicy } = command;
  if (state.status === 'none') throw new DomainError('CALL_NOT_FOUND', `call ${callId} does not exist`, { callId });
  if (state.status !== 'hung-up' && state.status !== 'originate-failed') {
    throw new DomainError('CALL_NOT_ENDED', `call ${callId} is still ${state.status}`, { callId, status: state.status });
  }
  if (state.retryScheduled) {
    throw new DomainError('CALL_RETRY_ALREADY_SCHEDULED', `call ${callId} already has a retry`, { callId });
  }
  const disposition = state.disposition ?? 'unknown';
  if (!retryPolicy.retryOn.includes(disposition)) {
    throw new DomainError('CALL_NOT_RETRYABLE', `the policy does not retry ${disposition} calls`, { callId, disposition });
  }
  if (state.attempt >= retryPolicy.maxAttempts) {
    throw new DomainError('CALL_ATTEMPTS_EXHAUSTED', `call ${callId} was attempt ${state.attempt} of ${retryPolicy.maxAttempts}`, {
      callId,
      attempt: state.attempt,
      maxAttempts: retryPolicy.maxAttempts,
    });
  }
  // The delay counts from when the attempt ended, so a saga that schedules late does not push it further.
  const endedAt = Date.parse(state.endedAt ?? now.toISOString());
  const notBefore = new Date(endedAt + retryPolicy.retryDelaySeconds * 1000).toISOString();
  const { campaignId, contactId } = state;
  return [
    {
      type: 'CallRetryScheduled',
      schemaVersion: 1,
      data: {
        callId,
        ...withoutUndefined({ campaignId, contactId }),
        nextAttempt: state.attempt + 1,
        notBefore,
        at: now.toISOString(),
      },
    },
  ];
}

export function decideCall(command: CallCommand, state: CallState, now: Date): CallEvent[] {
  const { type } = command;
  switch (type) {
    case 'RequestCall':
      return requestCall(command, state, now);
    case 'RecordOriginated':
      return recordOriginated(command, state, now);
    case 'RecordOriginateFailure':
      return recordOriginateFailure(command, state, now);
    case 'RecordAnswer':
      return recordAnswer(command, state, now);
    case 'RecordDtmf':
      return recordDtmf(command, state, now);
    case 'RecordAmdResult':
      return recordAmdResult(command, state, now);
    case 'RecordHangup':
      return recordHangup(command, state, now);
    case 'ScheduleCallRetry':
      return scheduleCallRetry(command, state, now);
    default: {
      const _exhaustive: never = type;
      throw new DomainError('UNKNOWN_COMMAND', `unknown call command ${String(_exhaustive)}`);
    }
  }
}

export const callDecider: Decider<CallCommand, CallState, CallEvent> = {
  streamId: (command) => callStreamId(command.callId),
  initialState: initialCallState,
  evolve: evolveCall,
  decide: decideCall,
};
