import type { DomainEvent } from '../shared/domain-event';
import type { Disposition } from './disposition';

/** Stream of one call attempt: `call-<id>`. A retry is a new call with the next attempt number. */
export const callStreamId = (callId: string): string => `call-${callId}`;

/** `autodial`: the PBX plays the IVR prompt; `agent-first`: the agent's phone rings, then the target. */
export type CallKind = 'autodial' | 'agent-first';
export type DtmfSource = 'dtmf' | 'userevent';
export type AmdResult = 'human' | 'machine' | 'notsure';

export type CallRequested = DomainEvent<
  'CallRequested',
  {
    callId: string;
    campaignId?: string;
    contactId?: string;
    agentId: string;
    /** E.164. */
    phone: string;
    /** 1 for the first attempt at this contact. */
    attempt: number;
    /** Human-readable id passed to Asterisk and shown to agents, e.g. `JKD1.7`. */
    trackingId: string;
    kind: CallKind;
    route?: string;
    trunk?: string;
    callerId?: string;
    at: string;
  },
  1
>;

export type CallOriginated = DomainEvent<
  'CallOriginated',
  { callId: string; channel: string; uniqueId: string; trunk: string; at: string },
  1
>;

export type CallOriginateFailed = DomainEvent<'CallOriginateFailed', { callId: string; reason: string; at: string }, 1>;

export type CallAnswered = DomainEvent<'CallAnswered', { callId: string; at: string }, 1>;

export type DtmfPressed = DomainEvent<
  'DtmfPressed',
  { callId: string; digit: string; source: DtmfSource; at: string },
  1
>;

export type AmdDetected = DomainEvent<
  'AmdDetected',
  { callId: string; result: AmdResult; cause?: string; at: string },
  1
>;

export type CallHungUp = DomainEvent<
  'CallHungUp',
  {
    callId: string;
    /** Q.850 cause as reported by Asterisk. */
    cause: number;
    causeText?: string;
    disposition: Disposition;
    /** From the request until answer (or until hang-up if never answered). */
    ringSeconds: number;
    /** From answer until hang-up; 0 if never answered. */
    talkSeconds: number;
    /** Talk time rounded up to whole seconds, as carriers bill it. */
    billableSeconds: number;
    /** From the request until hang-up; ringSeconds + talkSeconds. */
    durationSeconds: number;
    at: string;
  },
  1
>;

export type CallRetryScheduled = DomainEvent<
  'CallRetryScheduled',
  {
    callId: string;
    campaignId?: string;
    contactId?: string;
    nextAttempt: number;
    /** ISO-8601; the saga does not dial the next attempt before this. */
    notBefore: string;
    at: string;
  },
  1
>;

export type CallEvent =
  | CallRequested
  | CallOriginated
  | CallOriginateFailed
  | CallAnswered
  | DtmfPressed
  | AmdDetected
  | CallHungUp
  | CallRetryScheduled;
