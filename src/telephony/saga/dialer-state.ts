import type {
  CallAnswered,
  CallHungUp,
  CallOriginated,
  CallOriginateFailed,
  CallRequested,
  CallRetryScheduled,
  DtmfPressed,
} from '../../calls/call.events';
import type { Disposition } from '../../calls/disposition';
import type { RetryPolicy } from '../../calls/retry-policy';
import type { CampaignStatus } from '../../campaigns/campaign.decider';
import type {
  CallingWindow,
  CampaignCreated,
  CampaignSummary,
  ContactsImported,
} from '../../campaigns/campaign.events';
import { campaignUpcasters } from '../../campaigns/campaign.upcasters';
import type { RecordedEvent } from '../../eventstore/event-store.port';
import { upcasterRegistry } from '../../shared/upcasters';
import type { Weekday } from './calling-window';
import { addChunk, emptyContactBook, updateContact, type ContactBook } from './contact-book';
import type { ContactSkipped } from './dialer.events';
import { effectivePolicy, verdictFor } from './retry-rules';

export interface CampaignSettings {
  readonly name: string;
  readonly agentId: string;
  readonly timeZone: string;
  readonly callingWindow: CallingWindow;
  /** Weekdays a window may open on; every day when absent (CampaignCreated v2 carries none yet). */
  readonly callingDays?: readonly Weekday[];
  readonly retryPolicy: RetryPolicy;
  readonly maxConcurrentCalls: number;
  readonly route: string;
  readonly callerId?: string;
}

export interface DialerCampaign {
  readonly campaignId: string;
  readonly status: CampaignStatus;
  readonly settings: CampaignSettings;
  readonly contacts: ContactBook;
  /** Calls of this campaign requested and not yet ended (whether or not their contact is known). */
  readonly liveCalls: number;
  readonly calls: number;
  readonly answered: number;
  readonly pressedOne: number;
  readonly skipped: number;
  readonly byDisposition: Readonly<Partial<Record<Disposition, number>>>;
}

export type LiveCallStatus = 'requested' | 'originated' | 'answered';

/** A call requested and not yet hung up or failed, of any campaign or none (a manual call). */
export interface LiveCall {
  readonly callId: string;
  readonly status: LiveCallStatus;
  readonly campaignId?: string;
  readonly contactId?: string;
  readonly attempt: number;
  readonly trunk?: string;
  readonly requestedAtMs: number;
  readonly pressedOne: boolean;
}

export interface DialerState {
  /** Global position of the last event applied; an event at or before it is not applied again. */
  readonly position?: bigint;
  /** In creation order (Map keeps insertion order), which is also the planner's round-robin order. */
  readonly campaigns: ReadonlyMap<string, DialerCampaign>;
  readonly liveCalls: ReadonlyMap<string, LiveCall>;
  readonly liveByTrunk: ReadonlyMap<string, number>;
}

export const initialDialerState = (): DialerState => ({
  campaigns: new Map(),
  liveCalls: new Map(),
  liveByTrunk: new Map(),
});

export function summaryOf(campaign: DialerCampaign): CampaignSummary {
  return {
    contacts: campaign.contacts.total,
    calls: campaign.calls,
    answered: campaign.answered,
    pressedOne: campaign.pressedOne,
    byDisposition: { ...campaign.byDisposition },
  };
}

const upcast = upcasterRegistry(campaignUpcasters);

/** The event's data in the shape of its latest version. */
function dataOf<E extends { data: unknown }>(event: RecordedEvent): E['data'] {
  return upcast(event.type, event.schemaVersion, event.data).data as E['data'];
}

const parseTime = (iso: string | undefined, fallback: number): number => {
  const ms = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(ms) ? ms : fallback;
};

function setEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  return new Map(map).set(key, value);
}

function deleteEntry<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!map.has(key)) return map;
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}

function addToTrunk(map: ReadonlyMap<string, number>, trunk: string | undefined, delta: number): ReadonlyMap<string, number> {
  if (trunk === undefined) return map;
  const count = (map.get(trunk) ?? 0) + delta;
  return count > 0 ? setEntry(map, trunk, count) : deleteEntry(map, trunk);
}

function withCampaign(
  state: DialerState,
  campaignId: string | undefined,
  change: (campaign: DialerCampaign) => DialerCampaign,
): DialerState {
  const campaign = campaignId === undefined ? undefined : state.campaigns.get(campaignId);
  if (!campaign) return state;
  return { ...state, campaigns: setEntry(state.campaigns, campaign.campaignId, change(campaign)) };
}

function onCampaignCreated(state: DialerState, data: CampaignCreated['data']): DialerState {
  if (state.campaigns.has(data.campaignId)) return state;
  const extra = data as CampaignCreated['data'] & { callingDays?: readonly Weekday[] };
  const settings: CampaignSettings = {
    name: data.name,
    agentId: data.agentId,
    timeZone: data.timeZone,
    callingWindow: { ...data.callingWindow },
    ...(extra.callingDays ? { callingDays: [...extra.callingDays] } : {}),
    retryPolicy: effectivePolicy(data.retryPolicy),
    maxConcurrentCalls: data.maxConcurrentCalls,
    route: data.route,
    ...(data.callerId !== undefined ? { callerId: data.callerId } : {}),
  };
  const campaign: DialerCampaign = {
    campaignId: data.campaignId,
    status: 'draft',
    settings,
    contacts: emptyContactBook(),
    liveCalls: 0,
    calls: 0,
    answered: 0,
    pressedOne: 0,
    skipped: 0,
    byDisposition: {},
  };
  return { ...state, campaigns: setEntry(state.campaigns, data.campaignId, campaign) };
}

function onContactsImported(state: DialerState, data: ContactsImported['data']): DialerState {
  return withCampaign(state, data.campaignId, (c) => ({ ...c, contacts: addChunk(c.contacts, data.chunkIndex, data.contacts) }));
}

const setStatus = (state: DialerState, campaignId: string, status: CampaignStatus): DialerState =>
  withCampaign(state, campaignId, (c) => (c.status === 'completed' || c.status === 'cancelled' ? c : { ...c, status }));

function onCallRequested(state: DialerState, data: CallRequested['data']): DialerState {
  if (state.liveCalls.has(data.callId)) return state;
  const live: LiveCall = {
    callId: data.callId,
    status: 'requested',
    attempt: data.attempt,
    requestedAtMs: parseTime(data.at, 0),
    pressedOne: false,
    ...(data.campaignId !== undefined ? { campaignId: data.campaignId } : {}),
    ...(data.contactId !== undefined ? { contactId: data.contactId } : {}),
    ...(data.trunk !== undefined ? { trunk: data.trunk } : {}),
  };
  const next: DialerState = {
    ...state,
    liveCalls: setEntry(state.liveCalls, data.callId, live),
    liveByTrunk: addToTrunk(state.liveByTrunk, data.trunk, +1),
  };
  return withCampaign(next, data.campaignId, (c) => {
    const contacts =
      data.contactId === undefined
        ? c.contacts
        : updateContact(c.contacts, data.contactId, (contact) => {
            const { nextEligibleAt: _due, retryRecorded: _recorded, ...rest } = contact;
            return { ...rest, status: 'live', liveCallId: data.callId, attempts: Math.max(contact.attempts, data.attempt) };
          });
    return { ...c, contacts, liveCalls: c.liveCalls + 1, calls: c.calls + 1 };
  });
}

function onCallOriginated(state: DialerState, data: CallOriginated['data']): DialerState {
  const live = state.liveCalls.get(data.callId);
  if (!live) return state;
  const moved = live.trunk === data.trunk ? state.liveByTrunk : addToTrunk(addToTrunk(state.liveByTrunk, live.trunk, -1), data.trunk, +1);
  const status = live.status === 'answered' ? 'answered' : 'originated';
  return { ...state, liveCalls: setEntry(state.liveCalls, data.callId, { ...live, status, trunk: data.trunk }), liveByTrunk: moved };
}

function onCallAnswered(state: DialerState, data: CallAnswered['data']): DialerState {
  const live = state.liveCalls.get(data.callId);
  if (!live || live.status === 'answered') return state;
  const next = { ...state, liveCalls: setEntry(state.liveCalls, data.callId, { ...live, status: 'answered' as const }) };
  return withCampaign(next, live.campaignId, (c) => ({ ...c, answered: c.answered + 1 }));
}

function onDtmfPressed(state: DialerState, data: DtmfPressed['data']): DialerState {
  const live = state.liveCalls.get(data.callId);
  if (!live || live.pressedOne || data.digit !== '1') return state;
  const next = { ...state, liveCalls: setEntry(state.liveCalls, data.callId, { ...live, pressedOne: true }) };
  return withCampaign(next, live.campaignId, (c) => ({ ...c, pressedOne: c.pressedOne + 1 }));
}

/** CallHungUp and CallOriginateFailed: the attempt is over; its contact is retried later or done. */
function onCallEnded(state: DialerState, callId: string, disposition: Disposition, at: string): DialerState {
  const live = state.liveCalls.get(callId);
  if (!live) return state;
  const next: DialerState = {
    ...state,
    liveCalls: deleteEntry(state.liveCalls, callId),
    liveByTrunk: addToTrunk(state.liveByTrunk, live.trunk, -1),
  };
  return withCampaign(next, live.campaignId, (c) => {
    const byDisposition = { ...c.byDisposition, [disposition]: (c.byDisposition[disposition] ?? 0) + 1 };
    const ended = { ...c, byDisposition, liveCalls: Math.max(0, c.liveCalls - 1) };
    if (live.contactId === undefined) return ended;
    const contactId = live.contactId;
    const verdict = verdictFor(c.settings.retryPolicy, live.attempt, disposition, parseTime(at, live.requestedAtMs));
    const contacts = updateContact(c.contacts, contactId, (contact) => {
      if (contact.liveCallId !== callId) return contact;
      const { liveCallId: _ended, ...rest } = contact;
      const base = { ...rest, lastCallId: callId, lastDisposition: disposition };
      if (!verdict.retry) return { ...base, status: 'done' };
      return { ...base, status: 'pending', nextEligibleAt: verdict.notBeforeMs, retryRecorded: false };
    });
    return { ...ended, contacts };
  });
}

/** The recorded notBefore is the call stream's word on when the retry may go; it replaces ours. */
function onCallRetryScheduled(state: DialerState, data: CallRetryScheduled['data']): DialerState {
  const { contactId } = data;
  if (contactId === undefined) return state;
  const notBefore = parseTime(data.notBefore, NaN);
  return withCampaign(state, data.campaignId, (c) => {
    const contacts = updateContact(c.contacts, contactId, (contact) => {
      if (contact.status !== 'pending' || contact.lastCallId !== data.callId) return contact;
      return { ...contact, retryRecorded: true, ...(Number.isFinite(notBefore) ? { nextEligibleAt: notBefore } : {}) };
    });
    return contacts === c.contacts ? c : { ...c, contacts };
  });
}

function onContactSkipped(state: DialerState, data: ContactSkipped['data']): DialerState {
  return withCampaign(state, data.campaignId, (c) => {
    let skipped = false;
    const contacts = updateContact(c.contacts, data.contactId, (contact) => {
      if (contact.status !== 'pending') return contact;
      skipped = true;
      const { nextEligibleAt: _due, retryRecorded: _recorded, ...rest } = contact;
      return { ...rest, status: 'done', skipped: data.reason };
    });
    return skipped ? { ...c, contacts, skipped: c.skipped + 1 } : c;
  });
}

type CampaignLifecycleEvent = { data: { campaignId: string } };
const campaignIdOf = (event: RecordedEvent): string => dataOf<CampaignLifecycleEvent>(event).campaignId;

function apply(state: DialerState, event: RecordedEvent): DialerState {
  switch (event.type) {
    case 'CampaignCreated':
      return onCampaignCreated(state, dataOf<CampaignCreated>(event));
    case 'ContactsImported':
      return onContactsImported(state, dataOf<ContactsImported>(event));
    case 'CampaignStarted':
    case 'CampaignResumed':
      return setStatus(state, campaignIdOf(event), 'running');
    case 'CampaignPaused':
      return setStatus(state, campaignIdOf(event), 'paused');
    case 'CampaignCancelled':
      return setStatus(state, campaignIdOf(event), 'cancelled');
    case 'CampaignCompleted':
      return setStatus(state, campaignIdOf(event), 'completed');
    case 'CallRequested':
      return onCallRequested(state, dataOf<CallRequested>(event));
    case 'CallOriginated':
      return onCallOriginated(state, dataOf<CallOriginated>(event));
    case 'CallAnswered':
      return onCallAnswered(state, dataOf<CallAnswered>(event));
    case 'DtmfPressed':
      return onDtmfPressed(state, dataOf<DtmfPressed>(event));
    case 'CallHungUp': {
      const data = dataOf<CallHungUp>(event);
      return onCallEnded(state, data.callId, data.disposition, data.at);
    }
    case 'CallOriginateFailed': {
      const data = dataOf<CallOriginateFailed>(event);
      return onCallEnded(state, data.callId, 'originate-failed', data.at);
    }
    case 'CallRetryScheduled':
      return onCallRetryScheduled(state, dataOf<CallRetryScheduled>(event));
    case 'ContactSkipped':
      return onContactSkipped(state, dataOf<ContactSkipped>(event));
    default:
      // Agent events, AMD results and types newer than this code change nothing the dialer needs.
      return state;
  }
}

/**
 * Folds one event of the global log (campaign, call and dialer events; anything else is passed
 * over). Pure. Idempotent per position: an event at or before the last applied position is
 * ignored, so a subscription that redelivers after a restart cannot count a call twice. Events
 * must therefore be applied in global order, as the subscription delivers them.
 */
export function evolveDialer(state: DialerState, event: RecordedEvent): DialerState {
  if (state.position !== undefined && event.position <= state.position) return state;
  return { ...apply(state, event), position: event.position };
}

export const foldDialer = (events: Iterable<RecordedEvent>, state: DialerState = initialDialerState()): DialerState => {
  let current = state;
  for (const event of events) current = evolveDialer(current, event);
  return current;
};
