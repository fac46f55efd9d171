import type { CallCommand } from '../../calls/call.decider';
import type { AmdResult } from '../../calls/call.events';
import type { Disposition } from '../../calls/disposition';
import { RecordAmdResult } from '../../calls/record-amd-result/record-amd-result.command';
import { RecordAnswer } from '../../calls/record-answer/record-answer.command';
import { RecordDtmf } from '../../calls/record-dtmf/record-dtmf.command';
import { RecordHangup } from '../../calls/record-hangup/record-hangup.command';
import { RecordOriginateFailure } from '../../calls/record-originate-failure/record-originate-failure.command';
import { RecordOriginated } from '../../calls/record-originated/record-originated.command';
import { withoutUndefined } from '../../shared/without-undefined';
import type { TrackedCall } from './channel-tracker';
import { trunkFromChannel } from './originate-outcome';

/**
 * The commands a call's AMI events turn into, each issued at most once per call: the tracker's
 * flags are the translator's memory, so a repeated or redundant event (Newstate Up after DialEnd
 * ANSWER, a second Hangup) yields nothing instead of a command the decider would refuse.
 */

// Who caused these commands, as the events' metadata will say; a fresh object each, never shared.
const meta = () => ({ actor: 'system:ami' });

/** The call's channel exists: CallOriginated must come before anything that happens on it. */
export function originatedFirst(call: TrackedCall): CallCommand[] {
  const primary = call.primary;
  if (call.originatedSent || call.ended || !primary?.channel) return [];
  call.originatedSent = true;
  const trunk = call.trunk ?? trunkFromChannel(primary.channel);
  return [new RecordOriginated({ callId: call.callId, channel: primary.channel, uniqueId: primary.uniqueId, trunk, meta: meta() })];
}

export function answer(call: TrackedCall): CallCommand[] {
  if (call.answered || call.ended) return [];
  call.answered = true;
  return [...originatedFirst(call), new RecordAnswer({ callId: call.callId, meta: meta() })];
}

export function hangUp(call: TrackedCall, cause: number, causeText?: string, disposition?: Disposition): CallCommand[] {
  if (call.ended) return [];
  const before = originatedFirst(call);
  call.ended = true;
  return [...before, new RecordHangup({ callId: call.callId, cause, meta: meta(), ...withoutUndefined({ causeText, disposition }) })];
}

export function originateFailed(call: TrackedCall, reason: string): CallCommand[] {
  if (call.ended) return [];
  call.ended = true;
  return [new RecordOriginateFailure({ callId: call.callId, reason, meta: meta() })];
}

export function dtmf(call: TrackedCall, digit: string, source: 'dtmf' | 'userevent'): CallCommand[] {
  return [new RecordDtmf({ callId: call.callId, digit, source, meta: meta() })];
}

export function amdResult(call: TrackedCall, result: AmdResult, cause?: string): CallCommand[] {
  if (call.amdSent || !call.answered || call.ended) return [];
  call.amdSent = true;
  return [new RecordAmdResult({ callId: call.callId, result, meta: meta(), ...withoutUndefined({ cause }) })];
}
