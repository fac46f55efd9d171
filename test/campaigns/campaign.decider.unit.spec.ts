import { campaignDecider, type CampaignState } from '../../src/campaigns/campaign.decider';
import type {
  CampaignCancelled,
  CampaignCompleted,
  CampaignCreated,
  CampaignPaused,
  CampaignResumed,
  CampaignStarted,
  ContactsImported,
} from '../../src/campaigns/campaign.events';
import { CancelCampaign } from '../../src/campaigns/cancel-campaign/cancel-campaign.command';
import { CompleteCampaign } from '../../src/campaigns/complete-campaign/complete-campaign.command';
import { CreateCampaign } from '../../src/campaigns/create-campaign/create-campaign.command';
import { ImportContacts } from '../../src/campaigns/import-contacts/import-contacts.command';
import { PauseCampaign } from '../../src/campaigns/pause-campaign/pause-campaign.command';
import { ResumeCampaign } from '../../src/campaigns/resume-campaign/resume-campaign.command';
import { StartCampaign } from '../../src/campaigns/start-campaign/start-campaign.command';
import { DEFAULT_RETRY_POLICY } from '../../src/calls/retry-policy';
import { deciderSpec, fold } from '../support/decider-spec';

const now = new Date('2025-03-01T09:00:00.000Z');
const at = now.toISOString();
const earlier = '2025-03-01T08:00:00.000Z';
const campaignId = 'c1';
const spec = deciderSpec(campaignDecider, now);

const createCommand = (overrides: Partial<CreateCampaign> = {}) =>
  new CreateCampaign({
    campaignId,
    name: 'March renewals',
    agentId: 'a1',
    timeZone: 'Europe/Berlin',
    callingWindow: { start: '09:00', end: '18:00' },
    maxConcurrentCalls: 5,
    route: 'main',
    ...overrides,
  });

const created: CampaignCreated = {
  type: 'CampaignCreated',
  schemaVersion: 2,
  data: {
    campaignId,
    name: 'March renewals',
    agentId: 'a1',
    timeZone: 'Europe/Berlin',
    callingWindow: { start: '09:00', end: '18:00' },
    retryPolicy: { ...DEFAULT_RETRY_POLICY, retryOn: [...DEFAULT_RETRY_POLICY.retryOn] },
    maxConcurrentCalls: 5,
    route: 'main',
    at: earlier,
  },
};
const imported = (chunkIndex = 0, count = 2): ContactsImported => ({
  type: 'ContactsImported',
  schemaVersion: 1,
  data: {
    campaignId,
    chunkIndex,
    contacts: Array.from({ length: count }, (_, i) => ({
      contactId: `k${chunkIndex}-${i}`,
      phone: `+4915112345${String(chunkIndex * 100 + i).padStart(3, '0')}`,
    })),
    at: earlier,
  },
});
const started: CampaignStarted = { type: 'CampaignStarted', schemaVersion: 1, data: { campaignId, at: earlier } };
const paused: CampaignPaused = { type: 'CampaignPaused', schemaVersion: 1, data: { campaignId, at: earlier } };
const resumed: CampaignResumed = { type: 'CampaignResumed', schemaVersion: 1, data: { campaignId, at: earlier } };
const cancelled: CampaignCancelled = {
  type: 'CampaignCancelled',
  schemaVersion: 1,
  data: { campaignId, reason: 'wrong list', at: earlier },
};
const summary = { contacts: 2, calls: 3, answered: 1, pressedOne: 1, byDisposition: { answered: 1, busy: 2 } };
const completed: CampaignCompleted = { type: 'CampaignCompleted', schemaVersion: 1, data: { campaignId, summary, at: earlier } };

describe('campaign decider', () => {
  describe('CreateCampaign', () => {
    it('creates a draft with the default retry policy when none is given', () => {
      spec.given([]).when(createCommand()).then([{ ...created, data: { ...created.data, at } }]);
    });

    it('keeps a given retry policy and caller id', () => {
      const retryPolicy = { maxAttempts: 5, retryDelaySeconds: 600, retryOn: ['busy' as const] };
      spec
        .given([])
        .when(createCommand({ retryPolicy, callerId: '+14155550100' }))
        .then([{ ...created, data: { ...created.data, retryPolicy, callerId: '+14155550100', at } }]);
    });

    it('refuses an id that is already taken', () => {
      spec.given([created]).when(createCommand()).thenThrows('CAMPAIGN_ALREADY_EXISTS', { campaignId });
    });

    it('refuses an empty calling window', () => {
      spec
        .given([])
        .when(createCommand({ callingWindow: { start: '10:00', end: '10:00' } }))
        .thenThrows('CALLING_WINDOW_EMPTY');
    });
  });

  describe('ImportContacts', () => {
    const importCommand = (chunkIndex = 0) =>
      new ImportContacts({ campaignId, chunkIndex, contacts: imported(chunkIndex).data.contacts });

    it('records a chunk of contacts on a draft', () => {
      spec.given([created]).when(importCommand()).then([{ ...imported(), data: { ...imported().data, at } }]);
    });

    it('accepts further chunks while the campaign is running', () => {
      spec.given([created, imported(0), started]).when(importCommand(1)).then([{ ...imported(1), data: { ...imported(1).data, at } }]);
    });

    it('records a resent chunk only once', () => {
      spec.given([created, imported(0)]).when(importCommand(0)).thenNothing();
    });

    it('refuses an unknown campaign', () => {
      spec.given([]).when(importCommand()).thenThrows('CAMPAIGN_NOT_FOUND');
    });

    it('refuses a closed campaign', () => {
      spec.given([created, cancelled]).when(importCommand()).thenThrows('CAMPAIGN_CLOSED', { status: 'cancelled' });
    });
  });

  describe('StartCampaign', () => {
    const start = new StartCampaign({ campaignId });

    it('starts a draft with contacts', () => {
      spec.given([created, imported()]).when(start).then([{ ...started, data: { campaignId, at } }]);
    });

    it('refuses to start without contacts', () => {
      spec.given([created]).when(start).thenThrows('CAMPAIGN_HAS_NO_CONTACTS');
    });

    it('refuses an unknown campaign', () => {
      spec.given([]).when(start).thenThrows('CAMPAIGN_NOT_FOUND');
    });

    it('refuses to start twice', () => {
      spec.given([created, imported(), started]).when(start).thenThrows('INVALID_TRANSITION', { status: 'running' });
    });

    it('refuses a completed campaign', () => {
      spec.given([created, imported(), started, completed]).when(start).thenThrows('CAMPAIGN_CLOSED');
    });
  });

  describe('PauseCampaign', () => {
    const pause = new PauseCampaign({ campaignId });

    it('pauses a running campaign', () => {
      spec.given([created, imported(), started]).when(pause).then([{ ...paused, data: { campaignId, at } }]);
    });

    it('refuses a campaign that is not running', () => {
      spec.given([created, imported()]).when(pause).thenThrows('CAMPAIGN_NOT_RUNNING', { status: 'draft' });
      spec.given([created, imported(), started, paused]).when(pause).thenThrows('CAMPAIGN_NOT_RUNNING');
    });

    it('refuses an unknown or cancelled campaign', () => {
      spec.given([]).when(pause).thenThrows('CAMPAIGN_NOT_FOUND');
      spec.given([created, cancelled]).when(pause).thenThrows('CAMPAIGN_CLOSED');
    });
  });

  describe('ResumeCampaign', () => {
    const resume = new ResumeCampaign({ campaignId });

    it('resumes a paused campaign', () => {
      spec.given([created, imported(), started, paused]).when(resume).then([{ ...resumed, data: { campaignId, at } }]);
    });

    it('refuses a campaign that is not paused', () => {
      spec.given([created, imported(), started]).when(resume).thenThrows('CAMPAIGN_NOT_PAUSED', { status: 'running' });
      spec.given([created, imported(), started, paused, resumed]).when(resume).thenThrows('CAMPAIGN_NOT_PAUSED');
    });

    it('refuses an unknown or completed campaign', () => {
      spec.given([]).when(resume).thenThrows('CAMPAIGN_NOT_FOUND');
      spec.given([created, imported(), started, completed]).when(resume).thenThrows('CAMPAIGN_CLOSED');
    });
  });

  describe('CancelCampaign', () => {
    const cancel = new CancelCampaign({ campaignId, reason: 'wrong list' });
    const expected = [{ ...cancelled, data: { ...cancelled.data, at } }];

    it.each([
      ['draft', [created]],
      ['running', [created, imported(), started]],
      ['paused', [created, imported(), started, paused]],
    ])('cancels a %s campaign', (_status, given) => {
      spec.given(given).when(cancel).then(expected);
    });

    it('refuses an unknown campaign', () => {
      spec.given([]).when(cancel).thenThrows('CAMPAIGN_NOT_FOUND');
    });

    it('refuses a campaign that already ended', () => {
      spec.given([created, cancelled]).when(cancel).thenThrows('CAMPAIGN_CLOSED', { status: 'cancelled' });
      spec.given([created, imported(), started, completed]).when(cancel).thenThrows('CAMPAIGN_CLOSED', { status: 'completed' });
    });
  });

  describe('CompleteCampaign', () => {
    const complete = new CompleteCampaign({ campaignId, summary });
    const expected = [{ ...completed, data: { ...completed.data, at } }];

    it('completes a running campaign with its summary', () => {
      spec.given([created, imported(), started]).when(complete).then(expected);
    });

    it('completes a paused campaign whose last calls ended after the pause', () => {
      spec.given([created, imported(), started, paused]).when(complete).then(expected);
    });

    it('refuses a draft that never ran', () => {
      spec.given([created, imported()]).when(complete).thenThrows('INVALID_TRANSITION', { status: 'draft' });
    });

    it('refuses an unknown campaign or one that already ended', () => {
      spec.given([]).when(complete).thenThrows('CAMPAIGN_NOT_FOUND');
      spec.given([created, imported(), started, completed]).when(complete).thenThrows('CAMPAIGN_CLOSED');
    });
  });

  describe('evolve', () => {
    it('counts contacts across chunks and remembers which chunks arrived', () => {
      const state: CampaignState = fold(campaignDecider, [created, imported(0, 3), imported(1, 2)]);
      expect(state.contactCount).toBe(5);
      expect([...state.importedChunks]).toEqual([0, 1]);
      expect(state.retryPolicy).toEqual(DEFAULT_RETRY_POLICY);
    });

    it('skips event types it does not know', () => {
      const unknown = { type: 'CampaignRenamed', schemaVersion: 1, data: {} } as never;
      expect(fold(campaignDecider, [created, unknown])).toEqual(fold(campaignDecider, [created]));
    });
  });
});
