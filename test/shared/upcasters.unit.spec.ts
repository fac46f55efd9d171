import { campaignDecider } from '../../src/campaigns/campaign.decider';
import { campaignUpcasters } from '../../src/campaigns/campaign.upcasters';
import { DEFAULT_RETRY_POLICY } from '../../src/calls/retry-policy';
import { upcasterRegistry } from '../../src/shared/upcasters';

const createdV1 = {
  campaignId: 'c1',
  name: 'Old campaign',
  agentId: 'a1',
  timeZone: 'UTC',
  callingWindow: { start: '09:00', end: '17:00' },
  maxConcurrentCalls: 2,
  route: 'main',
  at: '2024-01-01T00:00:00.000Z',
};

describe('upcasters', () => {
  const upcast = upcasterRegistry(campaignUpcasters);

  it('lifts CampaignCreated v1 to v2 with the default retry policy', () => {
    expect(upcast('CampaignCreated', 1, createdV1)).toEqual({
      schemaVersion: 2,
      data: { ...createdV1, retryPolicy: DEFAULT_RETRY_POLICY },
    });
  });

  it('leaves the latest version and other event types alone', () => {
    const v2 = { ...createdV1, retryPolicy: { maxAttempts: 1, retryDelaySeconds: 0, retryOn: [] } };
    expect(upcast('CampaignCreated', 2, v2)).toEqual({ schemaVersion: 2, data: v2 });
    expect(upcast('CampaignStarted', 1, { campaignId: 'c1' })).toEqual({ schemaVersion: 1, data: { campaignId: 'c1' } });
  });

  it('chains upcasters version by version', () => {
    const chain = upcasterRegistry(
      [{ type: 'X', fromVersion: 1, up: (data) => ({ ...(data as object), b: 2 }) }],
      [{ type: 'X', fromVersion: 2, up: (data) => ({ ...(data as object), c: 3 }) }],
    );
    expect(chain('X', 1, { a: 1 })).toEqual({ schemaVersion: 3, data: { a: 1, b: 2, c: 3 } });
  });

  it('refuses two upcasters for the same version', () => {
    expect(() => upcasterRegistry(campaignUpcasters, campaignUpcasters)).toThrow('two upcasters for CampaignCreated@1');
  });

  it('is what the campaign decider folds v1 events with', () => {
    const { retryPolicy } = campaignDecider.upcast!('CampaignCreated', 1, createdV1).data as { retryPolicy: unknown };
    expect(retryPolicy).toEqual(DEFAULT_RETRY_POLICY);
  });
});
