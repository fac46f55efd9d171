import type { Disposition } from '../../../src/calls/disposition';
import type { RetryPolicy } from '../../../src/calls/retry-policy';
import type { CallingWindow, Contact } from '../../../src/campaigns/campaign.events';
import type { RecordedEvent } from '../../../src/eventstore/event-store.port';
import {
  foldDialer,
  planDialing,
  sha256CallId,
  type DialerLimits,
  type DialerState,
  type DialPlan,
  type PlanInput,
} from '../../../src/telephony/saga';

/** A global log under construction: each event gets the next position, as the store would give it. */
export class EventLog {
  readonly events: RecordedEvent[] = [];

  add(streamId: string, type: string, data: unknown, schemaVersion = 1): RecordedEvent {
    const position = BigInt(this.events.length + 1);
    const event: RecordedEvent = {
      id: `event-${position}`,
      streamId,
      revision: 0,
      position,
      type,
      schemaVersion,
      data,
      metadata: { occurredAt: new Date(0).toISOString(), prevHash: '', hash: '' },
    };
    this.events.push(event);
    return event;
  }

  fold(): DialerState {
    return foldDialer(this.events);
  }
}

export const T0 = new Date('2024-03-04T10:00:00.000Z'); // a Monday
export const at = (offsetSeconds: number, from: Date = T0): Date => new Date(from.getTime() + offsetSeconds * 1000);
export const iso = (date: Date): string => date.toISOString();

export interface CampaignOptions {
  timeZone?: string;
  callingWindow?: CallingWindow;
  retryPolicy?: RetryPolicy;
  maxConcurrentCalls?: number;
  route?: string;
  callerId?: string;
}

export const contacts = (count: number, prefix = 'c', firstDigits = '+1555000'): Contact[] =>
  Array.from({ length: count }, (_, i) => ({
    contactId: `${prefix}${i + 1}`,
    phone: `${firstDigits}${String(i + 1).padStart(4, '0')}`,
  }));

export function createCampaign(log: EventLog, campaignId: string, options: CampaignOptions = {}, when: Date = T0): void {
  log.add(
    `campaign-${campaignId}`,
    'CampaignCreated',
    {
      campaignId,
      name: `Campaign ${campaignId}`,
      agentId: 'agent-1',
      timeZone: options.timeZone ?? 'UTC',
      callingWindow: options.callingWindow ?? { start: '00:00', end: '24:00' },
      retryPolicy: options.retryPolicy ?? { maxAttempts: 3, retryDelaySeconds: 1800, retryOn: ['busy', 'no-answer', 'congestion', 'carrier-failure', 'unreachable'] },
      maxConcurrentCalls: options.maxConcurrentCalls ?? 10,
      route: options.route ?? 'main',
      ...(options.callerId ? { callerId: options.callerId } : {}),
      at: iso(when),
    },
    2,
  );
}

export function importContacts(log: EventLog, campaignId: string, list: Contact[], chunkIndex = 0, when: Date = T0): void {
  log.add(`campaign-${campaignId}`, 'ContactsImported', { campaignId, chunkIndex, contacts: list, at: iso(when) });
}

export function lifecycle(log: EventLog, campaignId: string, type: 'CampaignStarted' | 'CampaignPaused' | 'CampaignResumed' | 'CampaignCancelled', when: Date = T0): void {
  log.add(`campaign-${campaignId}`, type, { campaignId, at: iso(when), ...(type === 'CampaignCancelled' ? { reason: 'test' } : {}) });
}

/** Created, imported and started: a running campaign. */
export function runningCampaign(log: EventLog, campaignId: string, list: Contact[], options: CampaignOptions = {}): void {
  createCampaign(log, campaignId, options);
  importContacts(log, campaignId, list);
  lifecycle(log, campaignId, 'CampaignStarted');
}

export interface RequestedCall {
  callId: string;
  campaignId?: string;
  contactId?: string;
  phone: string;
  attempt: number;
  trunk?: string;
}

export function requestCall(log: EventLog, call: RequestedCall, when: Date = T0): void {
  log.add(`call-${call.callId}`, 'CallRequested', {
    ...call,
    agentId: 'agent-1',
    trackingId: 'ABC1.1',
    kind: 'autodial',
    at: iso(when),
  });
}

export function answer(log: EventLog, callId: string, when: Date = T0): void {
  log.add(`call-${callId}`, 'CallAnswered', { callId, at: iso(when) });
}

export function hangUp(log: EventLog, callId: string, disposition: Disposition, when: Date = T0): void {
  log.add(`call-${callId}`, 'CallHungUp', {
    callId,
    cause: 16,
    disposition,
    ringSeconds: 0,
    talkSeconds: 0,
    billableSeconds: 0,
    durationSeconds: 0,
    at: iso(when),
  });
}

export const callIdFor = sha256CallId;

export const generousLimits: DialerLimits = { maxGlobalCalls: 1000 };

export function plan(
  state: DialerState,
  now: Date,
  limits: DialerLimits = generousLimits,
  input: Partial<PlanInput> = {},
): DialPlan {
  return planDialing(state, now, limits, { callIdFor, doNotCall: new Set(), ...input });
}

export const kinds = (result: DialPlan): string[] => result.decisions.map((d) => d.kind);

export const dialed = (result: DialPlan): string[] =>
  result.decisions.flatMap((d) => (d.kind === 'dial' ? [`${d.campaignId}/${d.contactId}#${d.attempt}`] : []));

/** Appends the CallRequested a dial decision becomes, as the runner would. */
export function applyDials(log: EventLog, result: DialPlan, when: Date): void {
  for (const d of result.decisions) {
    if (d.kind !== 'dial') continue;
    requestCall(log, { callId: d.callId, campaignId: d.campaignId, contactId: d.contactId, phone: d.phone, attempt: d.attempt, ...(d.trunkHint ? { trunk: d.trunkHint } : {}) }, when);
  }
}
