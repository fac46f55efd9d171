import type { CallCommand } from '../../calls/call.decider';
import type { AmdResult } from '../../calls/call.events';
import type { AmiEvent } from '../ami/ami-fields';
import { amdResult, answer, dtmf, hangUp, originatedFirst, originateFailed } from './call-commands';
import type { ChannelMatch, ChannelRef, ChannelTracker } from './channel-tracker';
import { isNewPress } from './dtmf-presses';
import { ORIGINATE_ANSWERED, causeIsVague, dispositionForDialStatus, dispositionForReason } from './originate-outcome';

type Translate = (event: AmiEvent, tracker: ChannelTracker) => CallCommand[];

/**
 * One AMI event (as AmiClient.onEvent delivers it: lower-cased keys, `chanvariable.NAME`) → the
 * call commands it means, in the order they must be dispatched. Pure apart from the tracker it
 * updates; an event about a channel Siren did not originate, or one that adds nothing, yields [].
 */
export function translateAmiEvent(event: AmiEvent, tracker: ChannelTracker): CallCommand[] {
  const name = event.event;
  const translate = name === undefined ? undefined : TRANSLATORS[name.toLowerCase()];
  return translate ? translate(event, tracker) : [];
}

const TRANSLATORS: Readonly<Record<string, Translate>> = {
  newchannel: (event, tracker) => onPrimary(tracker.resolve(channelRef(event)), originatedFirst),
  dialbegin: (event, tracker) => onPrimary(tracker.resolve(channelRef(event, 'dest')), originatedFirst),
  newstate: (event, tracker) =>
    onPrimary(tracker.resolve(channelRef(event)), (call) => (isUp(event) ? answer(call) : originatedFirst(call))),
  dialend: (event, tracker) =>
    onPrimary(tracker.resolve(channelRef(event, 'dest')), (call) => {
      const status = event.dialstatus?.toUpperCase();
      if (status === 'ANSWER') return answer(call);
      if (status) call.dialStatus = status;
      return originatedFirst(call);
    }),
  dtmfend: (event, tracker) =>
    onPrimary(tracker.resolve(channelRef(event)), (call) => {
      // `Sent` is what we play to the customer (or a bridged leg relays); only what they press counts.
      if (event.direction?.toLowerCase() !== 'received') return [];
      return press(call, 'dtmf', event.digit);
    }),
  userevent: translateUserEvent,
  hangup: translateHangup,
  originateresponse: translateOriginateResponse,
};

/** The customer channel's events drive the call; a secondary leg's (Local half, agent leg) do not. */
function onPrimary(match: ChannelMatch | undefined, run: (call: ChannelMatch['call']) => CallCommand[]): CallCommand[] {
  return match?.primary ? run(match.call) : [];
}

function translateUserEvent(event: AmiEvent, tracker: ChannelTracker): CallCommand[] {
  // The dialplan's own reports, carrying SIREN_CALL_ID: trusted from any leg of the call.
  const call = tracker.resolve(channelRef(event))?.call;
  if (!call) return [];
  switch (event.userevent?.toLowerCase()) {
    case 'autodialresponse':
    case 'keypress':
      return press(call, 'userevent', event.digit ?? event.key);
    case 'amdresult': {
      const result = AMD_RESULTS[event.amdstatus?.toUpperCase() ?? ''];
      return result ? amdResult(call, result, nonEmpty(event.amdcause)) : [];
    }
    default:
      return [];
  }
}

const AMD_RESULTS: Readonly<Record<string, AmdResult>> = { MACHINE: 'machine', HUMAN: 'human', NOTSURE: 'notsure' };

const DTMF_DIGIT = /^[0-9*#A-D]$/;

function press(call: ChannelMatch['call'], source: 'dtmf' | 'userevent', digit: string | undefined): CallCommand[] {
  // A press before answer is early media the decider refuses; an empty Digit is "no key pressed".
  if (!call.answered || call.ended || digit === undefined || !DTMF_DIGIT.test(digit)) return [];
  return isNewPress(call, source, digit) ? dtmf(call, digit, source) : [];
}

function translateHangup(event: AmiEvent, tracker: ChannelTracker): CallCommand[] {
  const ref = channelRef(event);
  const match = tracker.resolve(ref);
  if (!match) return [];
  const { call } = match;
  if (!match.primary) {
    tracker.dropChannel(ref.uniqueId!);
    return [];
  }
  const cause = causeOf(event.cause);
  // Normal clearing before answer says nothing; what the dial or the Originate reported does.
  const disposition =
    !call.answered && causeIsVague(cause)
      ? (dispositionForReason(call.failureReason ?? -1) ?? dispositionForDialStatus(call.dialStatus))
      : undefined;
  const commands = hangUp(call, cause, nonEmpty(event['cause-txt']), disposition);
  tracker.forgetIfDone(call);
  return commands;
}

/**
 * Async Originate's verdict, matched by ActionID or by Uniqueid = the ChannelId Siren sent
 * (`<unknown>` when none was sent). It may arrive before or after the channel's Hangup.
 */
function translateOriginateResponse(event: AmiEvent, tracker: ChannelTracker): CallCommand[] {
  const uniqueId = nonEmpty(event.uniqueid);
  const knownId = uniqueId === '<unknown>' ? undefined : uniqueId;
  const call = tracker.byAction(event.actionid) ?? tracker.byChannel(knownId) ?? tracker.resolve({ uniqueId: knownId })?.call;
  if (!call) return [];
  call.responded = true;
  const reason = Number.parseInt(event.reason ?? '', 10);
  const commands = event.response?.toLowerCase() === 'success' || reason === ORIGINATE_ANSWERED ? succeeded(event, tracker, call, knownId) : failed(call, reason);
  tracker.forgetIfDone(call);
  return commands;
}

/** Asterisk sends Success for an Async Originate into a context only once the far end answered. */
function succeeded(event: AmiEvent, tracker: ChannelTracker, call: ChannelMatch['call'], uniqueId: string | undefined): CallCommand[] {
  const channel = nonEmpty(event.channel);
  if (uniqueId && channel) tracker.bindPrimary(call, uniqueId, channel);
  return answer(call);
}

function failed(call: ChannelMatch['call'], reason: number): CallCommand[] {
  // The channel exists, so its Hangup (with the real cause) is on its way or already counted.
  if (call.primary || call.ended) {
    call.failureReason = reason;
    return [];
  }
  // No channel was ever seen: this response is all we will hear about the call.
  const disposition = dispositionForReason(reason);
  if (disposition) return hangUp(call, 0, `no channel; OriginateResponse Reason ${reason}`, disposition);
  return originateFailed(call, `OriginateResponse Failure, Reason ${Number.isNaN(reason) ? 'missing' : reason}`);
}

/**
 * The channel an event is about. Dial events describe the dialed channel under `Dest*` headers;
 * AmiClient flattens only plain `ChanVariable`, so a `DestChanVariable` keeps its first
 * `NAME=value` — SIREN_CALL_ID when it is the first of manager.conf's channelvars.
 */
export function channelRef(event: AmiEvent, prefix = ''): ChannelRef {
  const callId = prefix
    ? variableValue(event[`${prefix}chanvariable`], 'SIREN_CALL_ID')
    : (nonEmpty(event['chanvariable.SIREN_CALL_ID']) ?? nonEmpty(event.siren_call_id));
  return {
    uniqueId: nonEmpty(event[`${prefix}uniqueid`]),
    linkedId: nonEmpty(event[`${prefix}linkedid`]),
    channel: nonEmpty(event[`${prefix}channel`]),
    callId,
  };
}

function variableValue(assignment: string | undefined, name: string): string | undefined {
  return assignment?.startsWith(`${name}=`) ? nonEmpty(assignment.slice(name.length + 1)) : undefined;
}

function isUp(event: AmiEvent): boolean {
  return event.channelstate === '6' || event.channelstatedesc?.toLowerCase() === 'up';
}

/** Q.850 causes are 0–127; anything unreadable is 0, "unknown", as Asterisk itself says. */
function causeOf(text: string | undefined): number {
  const cause = Number.parseInt(text ?? '', 10);
  return Number.isInteger(cause) && cause >= 0 && cause <= 127 ? cause : 0;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
