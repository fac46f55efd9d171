import { campaignDecider } from '../../src/campaigns/campaign.decider';
import { CreateCampaign } from '../../src/campaigns/create-campaign/create-campaign.command';
import { ImportContacts } from '../../src/campaigns/import-contacts/import-contacts.command';
import { PauseCampaign } from '../../src/campaigns/pause-campaign/pause-campaign.command';
import { StartCampaign } from '../../src/campaigns/start-campaign/start-campaign.command';
import { DEFAULT_RETRY_POLICY } from '../../src/calls/retry-policy';
import { DomainError } from '../../src/shared/domain-error';
import { foldStream, handleCommand } from '../../src/shared/handle-command';
import type { Clock } from '../../src/shared/tokens';
import { InMemoryEventStore } from './in-memory-event-store';

const clock: Clock = { now: () => new Date('2025-03-01T09:00:00.000Z') };
const create = (campaignId = 'c1') =>
  new CreateCampaign({
    campaignId,
    name: 'March renewals',
    agentId: 'a1',
    timeZone: 'UTC',
    callingWindow: { start: '09:00', end: '18:00' },
    maxConcurrentCalls: 5,
    route: 'main',
    meta: { correlationId: 'corr-1', causationId: 'cmd-1', actor: 'agent:a1' },
  });
const importChunk = (chunkIndex: number) =>
  new ImportContacts({ campaignId: 'c1', chunkIndex, contacts: [{ contactId: `k${chunkIndex}`, phone: '+4915112345678' }] });

describe('handleCommand', () => {
  let store: InMemoryEventStore;
  beforeEach(() => {
    store = new InMemoryEventStore();
  });

  it('creates a stream expecting no stream, with the command metadata on each event', async () => {
    const outcome = await handleCommand(store, clock, campaignDecider, create());
    expect(outcome).toEqual({ streamId: 'campaign-c1', revision: 0, appended: 1 });
    expect(store.appends).toEqual([{ streamId: 'campaign-c1', expectedRevision: 'no_stream' }]);
    const [event] = await store.readStream('campaign-c1');
    expect(event).toMatchObject({
      type: 'CampaignCreated',
      schemaVersion: 2,
      metadata: { correlationId: 'corr-1', causationId: 'cmd-1', actor: 'agent:a1', occurredAt: '2025-03-01T09:00:00.000Z' },
    });
  });

  it('appends to an existing stream expecting its last revision', async () => {
    await handleCommand(store, clock, campaignDecider, create());
    await handleCommand(store, clock, campaignDecider, importChunk(0));
    const outcome = await handleCommand(store, clock, campaignDecider, new StartCampaign({ campaignId: 'c1' }));
    expect(outcome).toEqual({ streamId: 'campaign-c1', revision: 2, appended: 1 });
    expect(store.appends.map((append) => append.expectedRevision)).toEqual(['no_stream', 0, 1]);
  });

  it('appends nothing when the command is already satisfied', async () => {
    await handleCommand(store, clock, campaignDecider, create());
    await handleCommand(store, clock, campaignDecider, importChunk(0));
    expect(await handleCommand(store, clock, campaignDecider, importChunk(0))).toEqual({
      streamId: 'campaign-c1',
      revision: 1,
      appended: 0,
    });
    expect(store.appends).toHaveLength(2);
  });

  it('refuses an invalid command before reading or appending anything', async () => {
    const read = jest.spyOn(store, 'readStream');
    await expect(handleCommand(store, clock, campaignDecider, new StartCampaign({ campaignId: '' }))).rejects.toMatchObject({
      code: 'INVALID_COMMAND',
      properties: ['campaignId'],
    });
    expect(read).not.toHaveBeenCalled();
    expect(store.appends).toHaveLength(0);
  });

  it('passes a domain refusal through and appends nothing', async () => {
    await expect(handleCommand(store, clock, campaignDecider, new PauseCampaign({ campaignId: 'c1' }))).rejects.toMatchObject({
      code: 'CAMPAIGN_NOT_FOUND',
    });
    expect(await store.readStream('campaign-c1')).toEqual([]);
  });

  it('re-reads and decides again after a competing append', async () => {
    await handleCommand(store, clock, campaignDecider, create());
    // Someone imports chunk 0 between our read and our append, once.
    let raced = false;
    store.beforeAppend = () => {
      if (raced) return;
      raced = true;
      store.appendNow('campaign-c1', [{ type: 'ContactsImported', data: { campaignId: 'c1', chunkIndex: 0, contacts: [{ contactId: 'x', phone: '+4915112345678' }], at: 'x' } }], {
        expectedRevision: 0,
      });
    };
    const outcome = await handleCommand(store, clock, campaignDecider, importChunk(1));
    expect(outcome).toEqual({ streamId: 'campaign-c1', revision: 2, appended: 1 });
    expect(store.appends.map((append) => append.expectedRevision)).toEqual(['no_stream', 0, 1]);
  });

  it('decides against the winner’s events: a resent chunk that lost the race is recorded once', async () => {
    await handleCommand(store, clock, campaignDecider, create());
    let raced = false;
    store.beforeAppend = () => {
      if (raced) return;
      raced = true;
      store.appendNow('campaign-c1', [{ type: 'ContactsImported', data: { campaignId: 'c1', chunkIndex: 0, contacts: [], at: 'x' } }], {
        expectedRevision: 0,
      });
    };
    expect(await handleCommand(store, clock, campaignDecider, importChunk(0))).toMatchObject({ appended: 0, revision: 1 });
  });

  it('gives up with CONCURRENCY_CONFLICT when the stream keeps changing', async () => {
    await handleCommand(store, clock, campaignDecider, create());
    let chunk = 100;
    store.beforeAppend = (streamId) => {
      store.appendNow(streamId, [{ type: 'ContactsImported', data: { campaignId: 'c1', chunkIndex: chunk++, contacts: [], at: 'x' } }], {
        expectedRevision: 'any',
      });
    };
    const error = await handleCommand(store, clock, campaignDecider, importChunk(0), { maxRetries: 2 }).catch((caught) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'CONCURRENCY_CONFLICT', details: { streamId: 'campaign-c1', attempts: 3 } });
  });

  it('folds old event versions through the decider’s upcasters', async () => {
    store.appendNow(
      'campaign-c1',
      [
        {
          type: 'CampaignCreated',
          schemaVersion: 1,
          data: { campaignId: 'c1', name: 'Old', agentId: 'a1', timeZone: 'UTC', callingWindow: { start: '09:00', end: '17:00' }, maxConcurrentCalls: 1, route: 'main', at: 'x' },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const state = foldStream(campaignDecider, await store.readStream('campaign-c1'));
    expect(state).toMatchObject({ status: 'draft', retryPolicy: DEFAULT_RETRY_POLICY });
  });
});
