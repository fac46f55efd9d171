import type { Disposition } from '../calls/disposition';
import type { RetryPolicy } from '../calls/retry-policy';
import type { DomainEvent } from '../shared/domain-event';

/** Stream of one campaign's life: `campaign-<id>`. */
export const campaignStreamId = (campaignId: string): string => `campaign-${campaignId}`;

/** ContactsImported chunks stay this small so no single event (or append) grows unbounded. */
export const MAX_CONTACTS_PER_CHUNK = 1000;

/** Local times of day in the campaign's time zone between which it may dial. */
export interface CallingWindow {
  start: string;
  end: string;
}

export interface Contact {
  contactId: string;
  /** E.164. */
  phone: string;
}

export interface CampaignSummary {
  contacts: number;
  calls: number;
  answered: number;
  pressedOne: number;
  byDisposition: Partial<Record<Disposition, number>>;
}

/** v2 added `retryPolicy`; v1 events are upcast with the default policy (campaign.upcasters.ts). */
export type CampaignCreated = DomainEvent<
  'CampaignCreated',
  {
    campaignId: string;
    name: string;
    agentId: string;
    timeZone: string;
    callingWindow: CallingWindow;
    retryPolicy: RetryPolicy;
    maxConcurrentCalls: number;
    route: string;
    callerId?: string;
    at: string;
  },
  2
>;

export type ContactsImported = DomainEvent<
  'ContactsImported',
  { campaignId: string; chunkIndex: number; contacts: Contact[]; at: string },
  1
>;

export type CampaignStarted = DomainEvent<'CampaignStarted', { campaignId: string; at: string }, 1>;
export type CampaignPaused = DomainEvent<'CampaignPaused', { campaignId: string; at: string }, 1>;
export type CampaignResumed = DomainEvent<'CampaignResumed', { campaignId: string; at: string }, 1>;

export type CampaignCancelled = DomainEvent<
  'CampaignCancelled',
  { campaignId: string; reason: string; at: string },
  1
>;

export type CampaignCompleted = DomainEvent<
  'CampaignCompleted',
  { campaignId: string; summary: CampaignSummary; at: string },
  1
>;

export type CampaignEvent =
  | CampaignCreated
  | ContactsImported
  | CampaignStarted
  | CampaignPaused
  | CampaignResumed
  | CampaignCancelled
  | CampaignCompleted;
