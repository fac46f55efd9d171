import { defaultRetryPolicy, type RetryPolicy } from '../calls/retry-policy';
import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { upcasterRegistry } from '../shared/upcasters';
import { withoutUndefined } from '../shared/without-undefined';
import { campaignUpcasters } from './campaign.upcasters';
import {
  campaignStreamId,
  type CampaignCancelled,
  type CampaignCompleted,
  type CampaignCreated,
  type CampaignEvent,
  type CampaignPaused,
  type CampaignResumed,
  type CampaignStarted,
  type ContactsImported,
} from './campaign.events';
import type { CancelCampaign } from './cancel-campaign/cancel-campaign.command';
import type { CompleteCampaign } from './complete-campaign/complete-campaign.command';
import type { CreateCampaign } from './create-campaign/create-campaign.command';
import type { ImportContacts } from './import-contacts/import-contacts.command';
import type { PauseCampaign } from './pause-campaign/pause-campaign.command';
import type { ResumeCampaign } from './resume-campaign/resume-campaign.command';
import type { StartCampaign } from './start-campaign/start-campaign.command';

export type CampaignCommand =
  | CreateCampaign
  | ImportContacts
  | StartCampaign
  | PauseCampaign
  | ResumeCampaign
  | CancelCampaign
  | CompleteCampaign;

/** draft → running ⇄ paused → completed | cancelled; `none` until CampaignCreated. */
export type CampaignStatus = 'none' | 'draft' | 'running' | 'paused' | 'completed' | 'cancelled';

export interface CampaignState {
  status: CampaignStatus;
  campaignId?: string;
  agentId?: string;
  retryPolicy?: RetryPolicy;
  contactCount: number;
  importedChunks: ReadonlySet<number>;
}

export const initialCampaignState = (): CampaignState => ({
  status: 'none',
  contactCount: 0,
  importedChunks: new Set(),
});

export function evolveCampaign(state: CampaignState, event: CampaignEvent): CampaignState {
  const { type } = event;
  switch (type) {
    case 'CampaignCreated': {
      const { campaignId, agentId, retryPolicy } = event.data;
      return { ...state, status: 'draft', campaignId, agentId, retryPolicy };
    }
    case 'ContactsImported':
      return {
        ...state,
        contactCount: state.contactCount + event.data.contacts.length,
        importedChunks: new Set([...state.importedChunks, event.data.chunkIndex]),
      };
    case 'CampaignStarted':
    case 'CampaignResumed':
      return { ...state, status: 'running' };
    case 'CampaignPaused':
      return { ...state, status: 'paused' };
    case 'CampaignCancelled':
      return { ...state, status: 'cancelled' };
    case 'CampaignCompleted':
      return { ...state, status: 'completed' };
    default: {
      // Events of types this version does not know are skipped, not fatal.
      const _unknown: never = type;
      return state;
    }
  }
}

const isClosed = (state: CampaignState): boolean =>
  state.status === 'completed' || state.status === 'cancelled';

function ensureExists(state: CampaignState, campaignId: string): void {
  if (state.status === 'none') {
    throw new DomainError('CAMPAIGN_NOT_FOUND', `campaign ${campaignId} does not exist`, { campaignId });
  }
}

function ensureOpen(state: CampaignState, campaignId: string): void {
  ensureExists(state, campaignId);
  if (isClosed(state)) {
    throw new DomainError('CAMPAIGN_CLOSED', `campaign ${campaignId} is already ${state.status}`, {
      campaignId,
      status: state.status,
    });
  }
}

function invalidTransition(state: CampaignState, campaignId: string, action: string): DomainError {
  return new DomainError('INVALID_TRANSITION', `cannot ${action} campaign ${campaignId} while ${state.status}`, {
    campaignId,
    status: state.status,
    action,
  });
}

export function createCampaign(command: CreateCampaign, state: CampaignState, now: Date): CampaignCreated[] {
  if (state.status !== 'none') {
    throw new DomainError('CAMPAIGN_ALREADY_EXISTS', `campaign ${command.campaignId} already exists`, {
      campaignId: command.campaignId,
    });
  }
  if (command.callingWindow.start === command.callingWindow.end) {
    // An empty window would leave the campaign running forever without dialing anyone.
    throw new DomainError('CALLING_WINDOW_EMPTY', 'calling window start and end are equal', {
      callingWindow: command.callingWindow,
    });
  }
  const { campaignId, name, agentId, timeZone, callingWindow, maxConcurrentCalls, route, callerId } = command;
  return [
    {
      type: 'CampaignCreated',
      schemaVersion: 2,
      data: {
        campaignId,
        name,
        agentId,
        timeZone,
        callingWindow: { start: callingWindow.start, end: callingWindow.end },
        retryPolicy: command.retryPolicy ? { ...command.retryPolicy } : defaultRetryPolicy(),
        maxConcurrentCalls,
        route,
        ...withoutUndefined({ callerId }),
        at: now.toISOString(),
      },
    },
  ];
}

export function importContacts(command: ImportContacts, state: CampaignState, now: Date): ContactsImported[] {
  ensureOpen(state, command.campaignId);
  // The importer may resend a chunk after a crash; the first copy is the one that counts.
  if (state.importedChunks.has(command.chunkIndex)) return [];
  const contacts = command.contacts.map(({ contactId, phone }) => ({ contactId, phone }));
  return [
    {
      type: 'ContactsImported',
      schemaVersion: 1,
      data: { campaignId: command.campaignId, chunkIndex: command.chunkIndex, contacts, at: now.toISOString() },
    },
  ];
}

export function startCampaign(command: StartCampaign, state: CampaignState, now: Date): CampaignStarted[] {
  ensureOpen(state, command.campaignId);
  if (state.status !== 'draft') throw invalidTransition(state, command.campaignId, 'start');
  if (state.contactCount === 0) {
    throw new DomainError('CAMPAIGN_HAS_NO_CONTACTS', `campaign ${command.campaignId} has no contacts to dial`, {
      campaignId: command.campaignId,
    });
  }
  return [{ type: 'CampaignStarted', schemaVersion: 1, data: { campaignId: command.campaignId, at: now.toISOString() } }];
}

export function pauseCampaign(command: PauseCampaign, state: CampaignState, now: Date): CampaignPaused[] {
  ensureOpen(state, command.campaignId);
  if (state.status !== 'running') {
    throw new DomainError('CAMPAIGN_NOT_RUNNING', `campaign ${command.campaignId} is ${state.status}, not running`, {
      campaignId: command.campaignId,
      status: state.status,
    });
  }
  return [{ type: 'CampaignPaused', schemaVersion: 1, data: { campaignId: command.campaignId, at: now.toISOString() } }];
}

export function resumeCampaign(command: ResumeCampaign, state: CampaignState, now: Date): CampaignResumed[] {
  ensureOpen(state, command.campaignId);
  if (state.status !== 'paused') {
    throw new DomainError('CAMPAIGN_NOT_PAUSED', `campaign ${command.campaignId} is ${state.status}, not paused`, {
      campaignId: command.campaignId,
      status: state.status,
    });
  }
  return [{ type: 'CampaignResumed', schemaVersion: 1, data: { campaignId: command.campaignId, at: now.toISOString() } }];
}

export function cancelCampaign(command: CancelCampaign, state: CampaignState, now: Date): CampaignCancelled[] {
  ensureOpen(state, command.campaignId);
  return [
    {
      type: 'CampaignCancelled',
      schemaVersion: 1,
      data: { campaignId: command.campaignId, reason: command.reason, at: now.toISOString() },
    },
  ];
}

export function completeCampaign(command: CompleteCampaign, state: CampaignState, now: Date): CampaignCompleted[] {
  ensureOpen(state, command.campaignId);
  // A paused campaign can still complete: its last calls may end after the pause.
  if (state.status === 'draft') throw invalidTransition(state, command.campaignId, 'complete');
  const { contacts, calls, answered, pressedOne, byDisposition } = command.summary;
  return [
    {
      type: 'CampaignCompleted',
      schemaVersion: 1,
      data: {
        campaignId: command.campaignId,
        summary: { contacts, calls, answered, pressedOne, byDisposition: { ...byDisposition } },
        at: now.toISOString(),
      },
    },
  ];
}

export function decideCampaign(command: CampaignCommand, state: CampaignState, now: Date): CampaignEvent[] {
  const { type } = command;
  switch (type) {
    case 'CreateCampaign':
      return createCampaign(command, state, now);
    case 'ImportContacts':
      return importContacts(command, state, now);
    case 'StartCampaign':
      return startCampaign(command, state, now);
    case 'PauseCampaign':
      return pauseCampaign(command, state, now);
    case 'ResumeCampaign':
      return resumeCampaign(command, state, now);
    case 'CancelCampaign':
      return cancelCampaign(command, state, now);
    case 'CompleteCampaign':
      return completeCampaign(command, state, now);
    default: {
      const _exhaustive: never = type;
      throw new DomainError('UNKNOWN_COMMAND', `unknown campaign command ${String(_exhaustive)}`);
    }
  }
}

export const campaignDecider: Decider<CampaignCommand, CampaignState, CampaignEvent> = {
  streamId: (command) => campaignStreamId(command.campaignId),
  initialState: initialCampaignState,
  evolve: evolveCampaign,
  decide: decideCampaign,
  upcast: upcasterRegistry(campaignUpcasters),
};
